package chart

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
)

// Bar is a bar chart of values per category: one bar per category with one
// series, bars side by side (grouped) or on top of each other (Stacked) with
// several. Horizontal bars suit many or long category names (billing
// accounts); vertical bars suit a few short ones (frequencies, bins).
//
// Values must be finite and not negative: bars show counts and amounts. The
// zero value of Bar is invalid (it has no title).
//
// Category labels that do not fit are shortened with "…"; under vertical
// bars narrower than 100 units they are slanted at 45° first, and when even
// slanted labels would touch, only every n-th category is labelled (each
// bar's hover title still names it). More than eight series reuse colours.
type Bar struct {
	// ID names the chart in its page (the <svg> id, and the ids its
	// aria-labelledby points at). Empty derives one from the content; two
	// identical charts on one page need IDs of their own.
	ID string
	// Title is the heading and accessible name; required.
	Title string
	// Desc is a summary in words, put before the generated sentences that
	// state every number in <desc>.
	Desc       string
	Categories []string
	// Series hold one value per category. With one series, its name is the
	// unit in sentences and hover titles ("120 people") and may be empty.
	Series []Series
	// CategoryClasses colours each category's bar (single-series charts
	// only), e.g. app risk levels; empty uses the series colour.
	CategoryClasses []Class
	Stacked         bool
	Horizontal      bool
	// Format writes values in labels, ticks, titles and sentences; nil
	// means whole numbers with thousands separators and at most two
	// decimals. data-value attributes always hold the exact number.
	Format func(float64) string
}

// Render writes the chart as SVG to w. It returns an error naming the
// problem when the chart is invalid, before writing anything.
func (b Bar) Render(w io.Writer) error {
	if err := b.validate(); err != nil {
		return fmt.Errorf("bar chart %q: %w", display(b.Title), err)
	}
	f := frame{id: b.ID, kind: "bar", title: b.Title}
	if f.id == "" {
		f.id = derivedID("bar", append([]string{b.Title, b.Desc}, b.Categories...), b.Series)
	}
	if len(b.Categories) == 0 || len(b.Series) == 0 {
		f.desc = describe(b.Desc, "No data: there are no categories or no series.")
		return f.noData(w, "There are no categories or no series to show.")
	}
	f.desc = describe(b.Desc, b.sentences()...)
	lay := b.layout()
	f.height = lay.height
	var sw svgWriter
	f.open(&sw)
	lay.legend.draw(&sw, false)
	b.drawAxis(&sw, lay)
	b.drawBars(&sw, lay)
	if lay.allZero {
		lay.plot.noteAllZero(&sw)
	}
	sw.close("svg")
	return sw.flush(w)
}

// SVG returns what Render writes, for html/template.
func (b Bar) SVG() (template.HTML, error) { return svgHTML(b.Render) }

// validate checks the chart before anything is drawn.
func (b Bar) validate() error {
	if display(b.Title) == "" {
		return errors.New("title is empty: give every chart a title, it is the name screen readers announce")
	}
	if err := checkID(b.ID); err != nil {
		return err
	}
	if err := unique("category", b.Categories); err != nil {
		return err
	}
	names := make([]string, len(b.Series))
	for i, s := range b.Series {
		names[i] = s.Name
		if err := b.checkSeries(s); err != nil {
			return fmt.Errorf("series %q: %w", display(s.Name), err)
		}
	}
	if err := unique("series", names); err != nil {
		return err
	}
	return b.checkCategoryClasses()
}

// checkSeries checks one series: a class of the palette and one finite,
// non-negative value per category.
func (b Bar) checkSeries(s Series) error {
	if err := s.Class.check(); err != nil {
		return err
	}
	if len(s.Values) != len(b.Categories) {
		return fmt.Errorf("%d values for %d categories: give one value per category", len(s.Values), len(b.Categories))
	}
	for i, v := range s.Values {
		var bad string
		switch {
		case math.IsNaN(v):
			bad = "NaN"
		case math.IsInf(v, 0):
			bad = "infinite"
		case v < 0:
			bad = "negative"
		}
		if bad != "" {
			return fmt.Errorf("value %d (category %q) is %s (%v): bar values must be finite and not negative", i, display(b.Categories[i]), bad, v)
		}
	}
	return nil
}

func (b Bar) checkCategoryClasses() error {
	if len(b.CategoryClasses) == 0 {
		return nil
	}
	if len(b.Series) > 1 {
		return fmt.Errorf("category classes with %d series: colour by category only with one series", len(b.Series))
	}
	if len(b.CategoryClasses) != len(b.Categories) {
		return fmt.Errorf("%d category classes for %d categories: give one class per category", len(b.CategoryClasses), len(b.Categories))
	}
	for i, c := range b.CategoryClasses {
		if err := c.check(); err != nil {
			return fmt.Errorf("category %q: %w", display(b.Categories[i]), err)
		}
	}
	return nil
}

// unique reports the first name that appears twice: marks are told apart by
// their data-category and data-series attributes.
func unique(what string, names []string) error {
	seen := make(map[string]int, len(names))
	for i, n := range names {
		if j, ok := seen[n]; ok {
			return fmt.Errorf("%s %q appears twice (at %d and %d): make %s names unique, for example by adding the id", what, display(n), j, i, what)
		}
		seen[n] = i
	}
	return nil
}

// format writes v with the chart's format.
func (b Bar) format(v float64) string {
	if b.Format != nil {
		return b.Format(v)
	}
	return plain(v)
}

// sentences states every number in words, one sentence per category:
// "Acme: 812 paid seats, 790 Slack-billable, 603 active in the last 28 days."
func (b Bar) sentences() []string {
	out := make([]string, 0, len(b.Categories))
	for i, c := range b.Categories {
		parts := make([]string, 0, len(b.Series))
		total := 0.0
		for _, s := range b.Series {
			parts = append(parts, strings.TrimSpace(b.format(s.Values[i])+" "+isolate(s.Name)))
			total += s.Values[i]
		}
		sentence := isolate(c) + ": " + strings.Join(parts, ", ")
		if b.Stacked && len(b.Series) > 1 {
			sentence += "; " + b.format(total) + " in total"
		}
		out = append(out, sentence+".")
	}
	return out
}

// markTitle is the hover text of one bar: "Acme, paid seats: 812", or with
// one series "daily: 512 people".
func (b Bar) markTitle(category string, s Series, v float64) string {
	if len(b.Series) == 1 || display(s.Name) == "" {
		return strings.TrimSpace(display(category) + ": " + b.format(v) + " " + display(s.Name))
	}
	return display(category) + ", " + display(s.Name) + ": " + b.format(v)
}

// classOf is the colour class of series j at category i.
func (b Bar) classOf(j, i int) Class {
	if len(b.CategoryClasses) > 0 && b.CategoryClasses[i] != "" {
		return b.CategoryClasses[i]
	}
	return b.Series[j].Class.orDefault(j)
}
