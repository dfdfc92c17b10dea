package chart

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"time"
)

// Line is a line chart of values over time, one line per series: waste per
// billing account across syncs, for example. X holds the times, in
// non-decreasing order (equal times are allowed: two syncs on one day); the
// X axis is true to time, so uneven gaps between syncs show as uneven
// spacing. Each series has one value per X; NaN marks a missing value, which
// breaks the line (a billing account that was not synced that time).
//
// Values may be negative (a change, a refund); the value axis always
// includes 0. Times are drawn and written in UTC; data-x holds RFC 3339.
type Line struct {
	// ID, Title, Desc and Format are as for [Bar].
	ID     string
	Title  string
	Desc   string
	X      []time.Time
	Series []Series
	Format func(float64) string
}

// Render writes the chart as SVG to w. It returns an error naming the
// problem when the chart is invalid, before writing anything.
func (c Line) Render(w io.Writer) error {
	if err := c.validate(); err != nil {
		return fmt.Errorf("line chart %q: %w", display(c.Title), err)
	}
	f := frame{id: c.ID, kind: "line", title: c.Title}
	if f.id == "" {
		f.id = derivedID("line", []string{c.Title, c.Desc, fmt.Sprint(c.utc())}, c.Series)
	}
	if !c.hasValues() {
		f.desc = describe(c.Desc, "No data: there are no values to show.")
		return f.noData(w, "There are no values to show.")
	}
	f.desc = describe(c.Desc, c.sentences()...)
	lay := c.layout()
	f.height = lay.height
	var sw svgWriter
	f.open(&sw)
	lay.legend.draw(&sw, true)
	c.drawAxes(&sw, lay)
	c.drawSeries(&sw, lay)
	if lay.allZero {
		lay.plot.noteAllZero(&sw)
	}
	sw.close("svg")
	return sw.flush(w)
}

// SVG returns what Render writes, for html/template.
func (c Line) SVG() (template.HTML, error) { return svgHTML(c.Render) }

func (c Line) validate() error {
	if display(c.Title) == "" {
		return errors.New("title is empty: give every chart a title, it is the name screen readers announce")
	}
	if err := checkID(c.ID); err != nil {
		return err
	}
	for i, t := range c.X {
		if t.IsZero() {
			return fmt.Errorf("x %d is the zero time: give every point its sync time", i)
		}
		if i > 0 && t.Before(c.X[i-1]) {
			return fmt.Errorf("x %d (%s) is before x %d (%s): sort the times in ascending order",
				i, t.UTC().Format(time.RFC3339), i-1, c.X[i-1].UTC().Format(time.RFC3339))
		}
	}
	names := make([]string, len(c.Series))
	for i, s := range c.Series {
		names[i] = s.Name
		if err := c.checkSeries(s); err != nil {
			return fmt.Errorf("series %q: %w", display(s.Name), err)
		}
	}
	return unique("series", names)
}

func (c Line) checkSeries(s Series) error {
	if err := s.Class.check(); err != nil {
		return err
	}
	if len(s.Values) != len(c.X) {
		return fmt.Errorf("%d values for %d times: give one value per time, NaN where there is none", len(s.Values), len(c.X))
	}
	for i, v := range s.Values {
		if math.IsInf(v, 0) {
			return fmt.Errorf("value %d (%s) is infinite: line values must be finite, or NaN where missing",
				i, c.X[i].UTC().Format(time.RFC3339))
		}
	}
	return nil
}

// utc returns X in UTC.
func (c Line) utc() []time.Time {
	out := make([]time.Time, len(c.X))
	for i, t := range c.X {
		out[i] = t.UTC()
	}
	return out
}

// hasValues reports whether any series has a value that is not missing.
func (c Line) hasValues() bool {
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				return true
			}
		}
	}
	return false
}

func (c Line) format(v float64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	return plain(v)
}

// sentences states the numbers of each series: every value when there are
// at most twelve, else the range, first, last, lowest and highest.
func (c Line) sentences() []string {
	xs := c.utc()
	layout := pointLayout(xs)
	out := make([]string, 0, len(c.Series))
	for _, s := range c.Series {
		var idx []int
		for i, v := range s.Values {
			if !math.IsNaN(v) {
				idx = append(idx, i)
			}
		}
		name := isolate(s.Name)
		if name != "" {
			name += ": "
		}
		out = append(out, name+c.summary(s, idx, xs, layout)+".")
	}
	return out
}

// summary describes the values of s at the indexes idx.
func (c Line) summary(s Series, idx []int, xs []time.Time, layout string) string {
	at := func(i int) string { return c.format(s.Values[i]) + " on " + xs[i].Format(layout) }
	if len(idx) == 0 {
		return "no values"
	}
	if len(idx) <= 12 {
		parts := make([]string, len(idx))
		for k, i := range idx {
			parts[k] = at(i)
		}
		return strings.Join(parts, ", ")
	}
	lo, hi := idx[0], idx[0]
	for _, i := range idx {
		if s.Values[i] < s.Values[lo] {
			lo = i
		}
		if s.Values[i] > s.Values[hi] {
			hi = i
		}
	}
	return fmt.Sprintf("%d values from %s to %s; first %s, last %s, lowest %s, highest %s",
		len(idx), xs[idx[0]].Format(layout), xs[idx[len(idx)-1]].Format(layout),
		c.format(s.Values[idx[0]]), c.format(s.Values[idx[len(idx)-1]]), at(lo), at(hi))
}
