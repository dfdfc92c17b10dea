package chart

import (
	"io"
	"strconv"
	"strings"
)

// Layout constants, in viewBox units (CSS pixels at 100 %).
const (
	width     = 720.0 // fits A4 portrait (190 mm) at 96 dpi
	pad       = 12.0  // outer padding
	titlePx   = 15.0  // chart heading
	labelPx   = 12.0  // axis and category labels
	valuePx   = 11.0  // value labels at bar ends, legend
	titleBase = 22.0  // baseline of the heading
	fontStack = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
)

// attr is one attribute; a slice of them keeps the output order fixed.
type attr struct{ k, v string }

// svgWriter builds the document, one element per line. Attribute values and
// text are escaped here and nowhere else.
type svgWriter struct {
	b     strings.Builder
	depth int
}

func (w *svgWriter) start(name string, attrs []attr, selfClose bool) {
	w.b.WriteString(strings.Repeat(" ", w.depth))
	w.b.WriteByte('<')
	w.b.WriteString(name)
	for _, a := range attrs {
		w.b.WriteByte(' ')
		w.b.WriteString(a.k)
		w.b.WriteString(`="`)
		escapeTo(&w.b, a.v)
		w.b.WriteByte('"')
	}
	if selfClose {
		w.b.WriteString("/>\n")
		return
	}
	w.b.WriteByte('>')
}

// open writes a start tag on its own line; close ends it.
func (w *svgWriter) open(name string, attrs ...attr) {
	w.start(name, attrs, false)
	w.b.WriteByte('\n')
	w.depth++
}

func (w *svgWriter) close(name string) {
	w.depth--
	w.b.WriteString(strings.Repeat(" ", w.depth))
	w.b.WriteString("</" + name + ">\n")
}

// leaf writes an empty element.
func (w *svgWriter) leaf(name string, attrs ...attr) {
	w.start(name, attrs, true)
}

// text writes an element holding only escaped text.
func (w *svgWriter) text(name, text string, attrs ...attr) {
	w.start(name, attrs, false)
	escapeTo(&w.b, text)
	w.b.WriteString("</" + name + ">\n")
}

// mark writes a data-carrying element with a <title> child for hover.
func (w *svgWriter) mark(name, title string, attrs ...attr) {
	w.start(name, attrs, false)
	w.b.WriteString("<title>")
	escapeTo(&w.b, title)
	w.b.WriteString("</title></" + name + ">\n")
}

func (w *svgWriter) flush(out io.Writer) error {
	_, err := io.WriteString(out, w.b.String())
	return err
}

// num writes a coordinate with at most two decimals and no trailing zeros.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// frame is what every chart shares: the root element, its accessible name
// and description, and the visible heading.
type frame struct {
	id, kind    string
	title, desc string
	height      float64
}

// open writes <svg>, <title>, <desc> and the visible heading.
func (f frame) open(w *svgWriter) {
	w.open("svg",
		attr{"xmlns", "http://www.w3.org/2000/svg"},
		attr{"version", "1.1"},
		attr{"id", f.id},
		attr{"class", "chart chart-" + f.kind},
		attr{"viewBox", "0 0 " + num(width) + " " + num(f.height)},
		attr{"role", "img"},
		attr{"aria-labelledby", f.id + "-title " + f.id + "-desc"},
		attr{"font-family", fontStack},
		attr{"font-size", num(labelPx)})
	w.text("title", display(f.title), attr{"id", f.id + "-title"})
	w.text("desc", f.desc, attr{"id", f.id + "-desc"})
	w.leaf("rect", attr{"class", "background"}, attr{"width", num(width)}, attr{"height", num(f.height)}, attr{"fill", "#ffffff"})
	w.text("text", truncate(display(f.title), width-2*pad, titlePx), attr{"class", "heading"},
		attr{"x", num(pad)}, attr{"y", num(titleBase)}, attr{"font-size", num(titlePx)}, attr{"font-weight", "bold"}, attr{"fill", "#222222"})
}

// noData writes a whole chart that says there is nothing to draw.
func (f frame) noData(out io.Writer, why string) error {
	f.height = 150
	var w svgWriter
	f.open(&w)
	w.leaf("rect", attr{"class", "no-data"}, attr{"x", num(pad)}, attr{"y", num(titleBase + 14)},
		attr{"width", num(width - 2*pad)}, attr{"height", "90"}, attr{"fill", "#f4f4f4"}, attr{"stroke", "#cccccc"})
	w.text("text", "No data", attr{"x", num(width / 2)}, attr{"y", num(titleBase + 55)},
		attr{"text-anchor", "middle"}, attr{"font-size", num(titlePx)}, attr{"fill", "#555555"})
	w.text("text", why, attr{"x", num(width / 2)}, attr{"y", num(titleBase + 78)},
		attr{"text-anchor", "middle"}, attr{"fill", "#555555"})
	w.close("svg")
	return w.flush(out)
}

// describe joins the caller's description and the generated sentences.
func describe(callerDesc string, sentences ...string) string {
	parts := []string{}
	if d := display(callerDesc); d != "" {
		parts = append(parts, strings.TrimRight(d, ".")+".")
	}
	for _, s := range sentences {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}
