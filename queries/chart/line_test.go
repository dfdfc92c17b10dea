package chart

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }

func TestLine_MarksCarryTheirData(t *testing.T) {
	c := wasteOverTime()
	root := parseSVG(t, c)
	marks := root.byClass("mark")
	k := 0
	for j, s := range c.Series {
		for i, v := range s.Values {
			if math.IsNaN(v) {
				continue
			}
			require.Less(t, k, len(marks))
			m := marks[k]
			k++
			assert.Equal(t, "circle", m.XMLName.Local)
			assert.Equal(t, s.Name, m.attr("data-series"))
			assert.Equal(t, c.X[i].Format(time.RFC3339), m.attr("data-x"))
			assert.Equal(t, v, m.num(t, "data-value"))
			assert.True(t, m.hasClass(string(SeriesClass(j))))
			title, _ := m.child("title")
			assert.Equal(t, s.Name+", "+c.X[i].Format("2006-01-02")+": "+c.Format(v), title.Text)
		}
	}
	assert.Len(t, marks, k, "one mark per value, none for a missing one")
}

// lineAxes reads the pixel scales of a line chart: x from two marks at
// different times, y from the value tick labels.
type lineAxes struct {
	t0, px0, pxPerSec float64
	v0, py0, pyPerVal float64
}

func readLineAxes(t *testing.T, root node, a, b node) lineAxes {
	t.Helper()
	var l lineAxes
	ta, err := time.Parse(time.RFC3339, a.attr("data-x"))
	require.NoError(t, err)
	tb, err := time.Parse(time.RFC3339, b.attr("data-x"))
	require.NoError(t, err)
	l.t0, l.px0 = seconds(ta), a.num(t, "cx")
	l.pxPerSec = (b.num(t, "cx") - l.px0) / (seconds(tb) - l.t0)
	ticks := root.all(func(n node) bool { return n.hasClass("tick") && n.has("data-value") })
	first, last := ticks[0], ticks[len(ticks)-1]
	l.v0, l.py0 = first.num(t, "data-value"), first.num(t, "y")
	l.pyPerVal = (last.num(t, "y") - l.py0) / (last.num(t, "data-value") - l.v0)
	return l
}

func TestLine_PointsSitAtTheirTimeAndValue(t *testing.T) {
	c := wasteOverTime()
	c.Series[1].Values[5] = -250 // a refund: the axis goes below 0
	root := parseSVG(t, c)
	marks := root.byClass("mark")
	axes := readLineAxes(t, root, marks[0], marks[len(c.X)-1])
	for _, m := range marks {
		at, err := time.Parse(time.RFC3339, m.attr("data-x"))
		require.NoError(t, err)
		assert.InDelta(t, axes.px0+(seconds(at)-axes.t0)*axes.pxPerSec, m.num(t, "cx"), 1, "x of %s", m.attr("data-x"))
		v := m.num(t, "data-value")
		assert.InDelta(t, axes.py0+(v-axes.v0)*axes.pyPerVal, m.num(t, "cy"), 1, "y of %v", v)
	}
	// Uneven gaps between syncs are uneven on the axis: 7 days, then 21.
	assert.InDelta(t, 3*(marks[5].num(t, "cx")-marks[4].num(t, "cx")), marks[6].num(t, "cx")-marks[5].num(t, "cx"), 0.05)
	var ticks []float64
	for _, n := range root.all(func(n node) bool { return n.hasClass("tick") && n.has("data-value") }) {
		ticks = append(ticks, n.num(t, "data-value"))
	}
	assert.Equal(t, []float64{-1000, 0, 1000, 2000, 3000, 4000}, ticks)
}

func TestLine_GapsBreakTheLine(t *testing.T) {
	root := parseSVG(t, wasteOverTime())
	paths := root.byName("path")
	require.Len(t, paths, 3)
	assert.Equal(t, 1, strings.Count(paths[0].attr("d"), "M"), "Acme has every value")
	assert.Equal(t, 2, strings.Count(paths[1].attr("d"), "M"), "Globex misses one sync")
	assert.Equal(t, 1+5, strings.Count(paths[1].attr("d"), "L"), "Globex: 2 points, then 6")

	lone := Line{Title: "Waste", X: []time.Time{day(1, 1), day(1, 2), day(1, 3), day(1, 4)},
		Series: []Series{{Name: "a", Values: []float64{1, math.NaN(), 2, math.NaN()}}}}
	root = parseSVG(t, lone)
	assert.Empty(t, root.byName("path"), "lone points have no line")
	assert.Len(t, root.byClass("mark"), 2, "but each has its mark")
}

func TestLine_OnePointAndEqualDates(t *testing.T) {
	at := time.Date(2026, 2, 13, 16, 41, 30, 0, time.FixedZone("CET", 3600))
	one := Line{Title: "Waste", X: []time.Time{at}, Series: []Series{{Name: "Acme", Values: []float64{3654}}}}
	root := parseSVG(t, one)
	marks := root.byClass("mark")
	require.Len(t, marks, 1)
	assert.Equal(t, "2026-02-13T15:41:30Z", marks[0].attr("data-x"), "times are written in UTC")
	grid := root.byClass("grid")[0]
	assert.InDelta(t, (grid.num(t, "x1")+grid.num(t, "x2"))/2, marks[0].num(t, "cx"), 0.01, "a single time sits in the middle")
	xTicks := root.all(func(n node) bool { return n.hasClass("tick") && n.has("data-x") })
	require.Len(t, xTicks, 1)
	assert.Equal(t, "2026-02-13 15:41 UTC", xTicks[0].Text)
	desc, _ := root.child("desc")
	assert.Equal(t, "Acme: 3,654 on 2026-02-13 15:41 UTC.", desc.Text)

	same := Line{Title: "Waste", X: []time.Time{day(2, 1), day(2, 1), day(3, 1)},
		Series: []Series{{Name: "Acme", Values: []float64{10, 12, 11}}}}
	root = parseSVG(t, same)
	marks = root.byClass("mark")
	require.Len(t, marks, 3)
	assert.Equal(t, marks[0].num(t, "cx"), marks[1].num(t, "cx"), "equal dates, equal x")
	assert.NotEqual(t, marks[0].num(t, "cy"), marks[1].num(t, "cy"))

	allSame := Line{Title: "Waste", X: []time.Time{day(2, 1), day(2, 1)}, Series: []Series{{Name: "Acme", Values: []float64{10, 12}}}}
	root = parseSVG(t, allSame)
	assert.Len(t, root.byClass("mark"), 2)
}

func TestLine_ManyPoints(t *testing.T) {
	c := Line{Title: "Waste", Format: func(v float64) string { return Decimal(2)(v) + " USD" }}
	s := Series{Name: "Acme"}
	for i := range 400 {
		c.X = append(c.X, day(1, 1).AddDate(0, 0, i))
		s.Values = append(s.Values, 1000+float64(i%50)*10)
	}
	c.Series = []Series{s}
	root := parseSVG(t, c)
	marks := root.byClass("mark")
	require.Len(t, marks, 400)
	assert.Equal(t, "2", marks[0].attr("r"), "smaller points when there are many")
	desc, _ := root.child("desc")
	assert.Equal(t, "Acme: 400 values from 2026-01-01 to 2027-02-04; first 1,000.00 USD, last 1,490.00 USD, "+
		"lowest 1,000.00 USD on 2026-01-01, highest 1,490.00 USD on 2026-02-19.", desc.Text)
	assertTimeLabelsApart(t, root)
}

// assertTimeLabelsApart checks that no two time tick labels overlap.
func assertTimeLabelsApart(t *testing.T, root node) {
	t.Helper()
	ticks := root.all(func(n node) bool { return n.hasClass("tick") && n.has("data-x") })
	require.NotEmpty(t, ticks)
	for i := 1; i < len(ticks); i++ {
		a, b := ticks[i-1], ticks[i]
		gap := b.num(t, "x") - a.num(t, "x") - (textWidth(a.Text, labelPx)+textWidth(b.Text, labelPx))/2
		assert.Greater(t, gap, 0.0, "labels %q and %q overlap", a.Text, b.Text)
	}
}

func TestLine_NoDataAndAllZeros(t *testing.T) {
	empty := map[string]Line{
		"no times":    {Title: "Waste", Series: []Series{{Name: "Acme"}}},
		"no series":   {Title: "Waste", X: []time.Time{day(1, 1)}},
		"all missing": {Title: "Waste", X: []time.Time{day(1, 1)}, Series: []Series{{Name: "Acme", Values: []float64{math.NaN()}}}},
	}
	for name, c := range empty {
		t.Run(name, func(t *testing.T) {
			root := parseSVG(t, c)
			assert.Empty(t, root.byClass("mark"))
			assert.Contains(t, allText(root), "No data")
		})
	}
	zero := Line{Title: "Waste", X: []time.Time{day(1, 1), day(2, 1)}, Series: []Series{{Name: "Acme", Values: []float64{0, 0}}}}
	root := parseSVG(t, zero)
	assert.Len(t, root.byClass("mark"), 2)
	assert.Contains(t, allText(root), "All values are 0")
}

func TestLine_InvalidInputIsNamed(t *testing.T) {
	ok := func() Line {
		return Line{Title: "Waste", X: []time.Time{day(1, 1), day(2, 1)}, Series: []Series{{Name: "Acme", Values: []float64{1, 2}}}}
	}
	tests := []struct {
		name   string
		change func(*Line)
		want   string
	}{
		{"no title", func(c *Line) { c.Title = "" }, "title is empty"},
		{"unsorted", func(c *Line) { c.X[0] = day(3, 1) }, "x 1 (2026-02-01T00:00:00Z) is before x 0 (2026-03-01T00:00:00Z): sort the times"},
		{"zero time", func(c *Line) { c.X[1] = time.Time{} }, "x 1 is the zero time"},
		{"too many values", func(c *Line) { c.Series[0].Values = []float64{1, 2, 3} }, `series "Acme": 3 values for 2 times`},
		{"infinite", func(c *Line) { c.Series[0].Values[1] = math.Inf(-1) }, `series "Acme": value 1 (2026-02-01T00:00:00Z) is infinite`},
		{"duplicate series", func(c *Line) { c.Series = append(c.Series, c.Series[0]) }, `series "Acme" appears twice`},
		{"unknown class", func(c *Line) { c.Series[0].Class = "blue" }, `unknown class "blue"`},
		{"bad id", func(c *Line) { c.ID = "1st" }, `id "1st"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok()
			tt.change(&c)
			var out bytes.Buffer
			err := c.Render(&out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "line chart")
			assert.Zero(t, out.Len())
		})
	}
	require.NoError(t, ok().Render(&bytes.Buffer{}))
}

func TestLine_DescStatesEveryNumber(t *testing.T) {
	root := parseSVG(t, wasteOverTime())
	desc, _ := root.child("desc")
	assert.Contains(t, desc.Text, "Monthly cost of inactive paid seats per billing account, at each sync. "+
		"Acme Corp: 2,610.00 USD on 2026-01-05, 2,790.00 USD on 2026-01-12,")
	assert.Contains(t, desc.Text, "Globex EU: 1,080.00 USD on 2026-01-05, 1,125.00 USD on 2026-01-12, 1,215.00 USD on 2026-01-26,")
	assert.Contains(t, desc.Text, "(E0INITECH42): 540.00 USD on 2026-02-02,")
}

func TestTimeTicks(t *testing.T) {
	tests := []struct {
		name   string
		t0, t1 time.Time
		want   []string
	}{
		{"ten weeks: every other Monday", day(1, 5), day(3, 16), []string{"2026-01-05", "2026-01-19", "2026-02-02", "2026-02-16", "2026-03-02", "2026-03-16"}},
		{"two years: quarters", day(1, 1), day(12, 31).AddDate(1, 0, 0),
			[]string{"Jan 2026", "Apr 2026", "Jul 2026", "Oct 2026", "Jan 2027", "Apr 2027", "Jul 2027", "Oct 2027"}},
		{"a working day: hours", day(2, 13).Add(9 * time.Hour), day(2, 13).Add(17 * time.Hour),
			[]string{"2026-02-13 09:00", "2026-02-13 12:00", "2026-02-13 15:00"}},
		{"ten minutes: the ends", day(2, 13).Add(9 * time.Hour), day(2, 13).Add(9*time.Hour + 10*time.Minute),
			[]string{"2026-02-13 09:00 UTC", "2026-02-13 09:10 UTC"}},
		{"a century", day(1, 1), day(1, 1).AddDate(100, 0, 0), []string{"2030", "2040", "2050", "2060", "2070", "2080", "2090", "2100", "2110", "2120"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ticks, layout := timeTicks(tt.t0, tt.t1, 600)
			var got []string
			for _, tick := range ticks {
				assert.False(t, tick.Before(tt.t0) || tick.After(tt.t1), "tick %s within range", tick)
				got = append(got, tick.Format(layout))
			}
			assert.Equal(t, tt.want, got)
			room := textWidth(got[0], labelPx) + tickGap
			assert.LessOrEqual(t, float64(len(got)-1)*room, 600.0, "the labels fit the length")
		})
	}
}
