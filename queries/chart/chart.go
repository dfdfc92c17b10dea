package chart

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"math"
	"strings"
)

// A Chart renders itself as one <svg> element. Render writes it to w and
// returns the first validation or write error; SVG returns the same bytes as
// template.HTML for html/template, or an error if the chart is invalid.
// Charts are plain values, safe to render from several goroutines.
type Chart interface {
	Render(w io.Writer) error
	SVG() (template.HTML, error)
}

var (
	_ Chart = Bar{}
	_ Chart = Line{}
)

// Series is one named set of values, one per category of a [Bar] or one per
// X of a [Line]. Class picks its colour from the palette; empty means the
// palette's series colours in order (series-1, series-2, …).
type Series struct {
	Name   string
	Values []float64
	Class  Class
}

// Class is a CSS class of the palette: the colour of a series, a category or
// a legend swatch. Every chart element that has a colour carries its class.
type Class string

// The palette. SeriesClass(i) cycles through the eight series colours
// (Okabe–Ito, readable by people with the common colour-vision
// deficiencies); the risk classes give app risk levels fixed colours.
const (
	RiskCritical Class = "risk-critical"
	RiskHigh     Class = "risk-high"
	RiskMedium   Class = "risk-medium"
	RiskLow      Class = "risk-low"
	RiskUnknown  Class = "risk-unknown"
	RiskNone     Class = "risk-none"
)

// palette is the one definition of the chart colours, in order: the series
// colours first, then the fixed classes.
var palette = []struct {
	class Class
	color string
}{
	{"series-1", "#0072B2"}, // blue
	{"series-2", "#E69F00"}, // orange
	{"series-3", "#009E73"}, // green
	{"series-4", "#CC79A7"}, // reddish purple
	{"series-5", "#56B4E9"}, // sky blue
	{"series-6", "#D55E00"}, // vermilion
	{"series-7", "#6A3D9A"}, // purple
	{"series-8", "#7F7F7F"}, // grey
	{RiskCritical, "#A50F15"},
	{RiskHigh, "#E6550D"},
	{RiskMedium, "#D4A106"},
	{RiskLow, "#3182BD"},
	{RiskUnknown, "#969696"},
	{RiskNone, "#31A354"},
}

const seriesColors = 8

// SeriesClass returns the i-th series colour class (0-based), cycling after
// eight.
func SeriesClass(i int) Class {
	return palette[i%seriesColors].class
}

// color returns the palette colour of c, and whether c is in the palette.
func (c Class) color() (string, bool) {
	for _, p := range palette {
		if p.class == c {
			return p.color, true
		}
	}
	return "", false
}

// check reports an error when c is set and not in the palette.
func (c Class) check() error {
	if _, ok := c.color(); c == "" || ok {
		return nil
	}
	names := make([]string, len(palette))
	for i, p := range palette {
		names[i] = string(p.class)
	}
	return fmt.Errorf("unknown class %q: use one of %s", string(c), strings.Join(names, ", "))
}

// orDefault returns c, or the i-th series class when c is empty.
func (c Class) orDefault(i int) Class {
	if c == "" {
		return SeriesClass(i)
	}
	return c
}

// Stylesheet returns CSS for a page that shows charts: the palette as rules
// on the classes (the same colours the SVG carries as attributes, so a page
// may copy and change them), sizing to the page width and print rules that
// keep a chart on one page and its colours in print.
func Stylesheet() string {
	var b strings.Builder
	b.WriteString("svg.chart { display: block; width: 100%; height: auto; max-width: 190mm; }\n")
	b.WriteString("svg.chart text { fill: #222; }\n")
	b.WriteString("svg.chart .grid { stroke: #ddd; }\n")
	b.WriteString("svg.chart .axis { stroke: #555; }\n")
	for _, p := range palette {
		fmt.Fprintf(&b, "svg.chart rect.%[1]s, svg.chart circle.%[1]s { fill: %[2]s; }\n", p.class, p.color)
		fmt.Fprintf(&b, "svg.chart path.%[1]s, svg.chart line.%[1]s { stroke: %[2]s; }\n", p.class, p.color)
	}
	b.WriteString("@media print {\n")
	b.WriteString("  svg.chart { break-inside: avoid; page-break-inside: avoid; print-color-adjust: exact; -webkit-print-color-adjust: exact; }\n")
	b.WriteString("  svg.chart text { fill: #000; }\n")
	b.WriteString("  svg.chart .grid { stroke: #bbb; }\n")
	b.WriteString("}\n")
	return b.String()
}

// checkID accepts an empty id (one is derived) or a name usable as an XML
// id and a CSS selector: a letter, then letters, digits, '-' or '_'.
func checkID(id string) error {
	for i, r := range id {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if letter || i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '_') {
			continue
		}
		return fmt.Errorf("id %q: use a letter, then letters, digits, '-' or '_'", id)
	}
	return nil
}

// derivedID names a chart after a hash of its content, so that different
// charts on one page get different ids without a counter.
func derivedID(kind string, texts []string, series []Series) string {
	h := fnv.New64a()
	for _, s := range append([]string{kind}, texts...) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var buf [8]byte
	for _, s := range series {
		h.Write([]byte(s.Name))
		h.Write([]byte{0})
		for _, v := range s.Values {
			binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
			h.Write(buf[:])
		}
	}
	return fmt.Sprintf("chart-%016x", h.Sum64())
}

// svgHTML renders c into a buffer and returns it as template.HTML.
func svgHTML(render func(io.Writer) error) (template.HTML, error) {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // safe: svgWriter escapes every text and attribute
}
