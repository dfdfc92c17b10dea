package chart

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// barVariants are the four shapes of bar chart over the same numbers, plus
// the report's examples.
func barVariants() map[string]Bar {
	base := paidBillableActive()
	out := map[string]Bar{}
	for _, horizontal := range []bool{false, true} {
		for _, stacked := range []bool{false, true} {
			b := base
			b.ID, b.Horizontal, b.Stacked = "", horizontal, stacked
			out["horizontal="+strconv.FormatBool(horizontal)+" stacked="+strconv.FormatBool(stacked)] = b
		}
	}
	out["seats by type"] = seatsByType()
	out["usage frequency"] = usageFrequency()
	out["days since last use"] = daysSinceLastUse()
	out["apps by risk"] = appsByRisk()
	fractions := usageFrequency()
	fractions.Series = []Series{{Name: "share", Values: []float64{0.125, 0.3, 0.1, 1e-3, 0.47}}}
	out["fractions"] = fractions
	many := Bar{Title: "Paid seats per workspace"}
	for i := range 20 {
		many.Categories = append(many.Categories, fmt.Sprintf("Workspace %c of the Initech group", 'A'+i))
	}
	many.Series = []Series{{Name: "paid seats", Values: make([]float64, 20)}}
	for i := range many.Series[0].Values {
		many.Series[0].Values[i] = float64(i * i * 37 % 500)
	}
	out["twenty long categories, slanted"] = many
	dense := many
	dense.Categories = nil
	dense.Series = []Series{{Name: "people", Values: make([]float64, 90)}}
	for i := range 90 {
		dense.Categories = append(dense.Categories, fmt.Sprintf("day %d since last use", i))
		dense.Series[0].Values[i] = float64(90 - i)
	}
	out["ninety categories, every other label"] = dense
	return out
}

func TestBar_MarksCarryTheirData(t *testing.T) {
	for name, b := range barVariants() {
		t.Run(name, func(t *testing.T) {
			root := parseSVG(t, b)
			marks := root.byClass("mark")
			require.Len(t, marks, len(b.Categories)*len(b.Series))
			k := 0
			for i, c := range b.Categories {
				for j, s := range b.Series {
					m := marks[k]
					k++
					assert.Equal(t, "rect", m.XMLName.Local)
					assert.Equal(t, c, m.attr("data-category"))
					assert.Equal(t, s.Name, m.attr("data-series"))
					got, err := strconv.ParseFloat(m.attr("data-value"), 64)
					require.NoError(t, err)
					assert.Equal(t, s.Values[i], got, "data-value of %s / %s", c, s.Name)
					class := b.classOf(j, i)
					assert.True(t, m.hasClass(string(class)), "mark has class %s: %s", class, m.attr("class"))
					color, _ := class.color()
					assert.Equal(t, color, m.attr("fill"))
					title, ok := m.child("title")
					require.True(t, ok, "mark has a <title>")
					assert.Contains(t, title.Text, b.format(s.Values[i]))
					assert.True(t, strings.HasPrefix(title.Text, c), "title %q starts with the category", title.Text)
				}
			}
		})
	}
}

// valueAxis returns the pixels per unit and the pixel of 0 along the value
// axis, read from the tick labels: the test thereby checks bars against
// the axis a reader sees.
func valueAxis(t *testing.T, root node, horizontal bool) (perUnit, zero float64) {
	t.Helper()
	ticks := root.all(func(n node) bool { return n.hasClass("tick") && n.has("data-value") })
	require.GreaterOrEqual(t, len(ticks), 2)
	coord := "y"
	if horizontal {
		coord = "x"
	}
	first, last := ticks[0], ticks[len(ticks)-1]
	v0, v1 := first.num(t, "data-value"), last.num(t, "data-value")
	p0, p1 := first.num(t, coord), last.num(t, coord)
	require.Equal(t, 0.0, v0, "bar axes start at 0")
	return (p1 - p0) / (v1 - v0), p0
}

func TestBar_LengthsAreProportionalAndStacksAddUp(t *testing.T) {
	for name, b := range barVariants() {
		t.Run(name, func(t *testing.T) {
			root := parseSVG(t, b)
			perUnit, zero := valueAxis(t, root, b.Horizontal)
			marks := root.byClass("mark")
			for i := range b.Categories {
				end := zero
				total := 0.0
				for j := range b.Series {
					m := marks[i*len(b.Series)+j]
					v := m.num(t, "data-value")
					start, length := barExtent(t, m, b.Horizontal)
					assert.InDelta(t, math.Abs(v*perUnit), length, 1, "length of %s/%s", m.attr("data-category"), m.attr("data-series"))
					if b.Stacked {
						assert.InDelta(t, end, start, 0.02, "segment %d starts where the one before ends", j)
						end = start + length
						if !b.Horizontal {
							end = start - length
						}
					} else {
						assert.InDelta(t, zero, start, 0.02, "bar starts at 0")
					}
					total += v
				}
				if b.Stacked {
					assert.InDelta(t, zero+total*perUnit, end, 1, "stack of %s ends at its total", b.Categories[i])
				}
			}
		})
	}
}

// barExtent is where a bar starts on the value axis (its baseline end) and
// its length.
func barExtent(t *testing.T, m node, horizontal bool) (start, length float64) {
	if horizontal {
		return m.num(t, "x"), m.num(t, "width")
	}
	return m.num(t, "y") + m.num(t, "height"), m.num(t, "height")
}

func TestBar_DenseSlantedLabelsDoNotOverlap(t *testing.T) {
	for _, name := range []string{"twenty long categories, slanted", "ninety categories, every other label"} {
		b := barVariants()[name]
		root := parseSVG(t, b)
		labels := root.byClass("category")
		require.GreaterOrEqual(t, len(labels), 2)
		assert.LessOrEqual(t, len(labels), len(b.Categories))
		// Parallel slanted lines: their distance is the x gap times cos 45°.
		gap := (labels[1].num(t, "x") - labels[0].num(t, "x")) * cos45
		assert.GreaterOrEqual(t, gap, labelPx, "%s: slanted labels %.1f apart", name, gap)
	}
}

func TestBar_TicksAreNiceAndCoverTheLongestBar(t *testing.T) {
	for name, b := range barVariants() {
		t.Run(name, func(t *testing.T) {
			root := parseSVG(t, b)
			var ticks []float64
			for _, n := range root.all(func(n node) bool { return n.hasClass("tick") }) {
				v, err := strconv.ParseFloat(strings.ReplaceAll(n.Text, ",", ""), 64)
				require.NoError(t, err, "tick label %q is a number with thousands separators", n.Text)
				assert.Equal(t, n.num(t, "data-value"), v, "label %q states its value", n.Text)
				if v >= 1000 {
					assert.Contains(t, n.Text, ",", "thousands separator in %q", n.Text)
				}
				ticks = append(ticks, v)
			}
			assertNiceTicks(t, ticks, b.peak())
		})
	}
}

// assertNiceTicks checks ticks run from 0 in equal steps of 1, 2 or 5 times a
// power of ten, and that the last covers peak with no tick to spare.
func assertNiceTicks(t *testing.T, ticks []float64, peak float64) {
	t.Helper()
	require.GreaterOrEqual(t, len(ticks), 2)
	assert.Equal(t, 0.0, ticks[0])
	step := ticks[1] - ticks[0]
	exp := math.Floor(math.Log10(step))
	mant := step / math.Pow(10, exp)
	assert.True(t, isOneOf(mant, 1, 2, 5), "step %v is 1, 2 or 5 times a power of ten", step)
	for i := 1; i < len(ticks); i++ {
		assert.InDelta(t, step, ticks[i]-ticks[i-1], step*1e-9, "even steps: %v", ticks)
	}
	last := ticks[len(ticks)-1]
	assert.GreaterOrEqual(t, last, peak, "the axis covers the longest bar")
	if peak > 0 {
		assert.Less(t, last-step, peak, "no tick beyond the one that covers the longest bar: %v", ticks)
	}
}

func isOneOf(v float64, want ...float64) bool {
	for _, w := range want {
		if math.Abs(v-w) < 1e-9 {
			return true
		}
	}
	return false
}

func TestBar_DescStatesEveryNumber(t *testing.T) {
	root := parseSVG(t, paidBillableActive())
	desc, ok := root.byID("paid-billable-active-desc")
	require.True(t, ok)
	assert.Equal(t, "desc", desc.XMLName.Local)
	assert.Contains(t, desc.Text, "Acme Corp: 812 paid seats, 790 Slack-billable, 603 active in the last 28 days.")
	assert.Contains(t, desc.Text, "Umbrella <Labs>: 10 paid seats, 10 Slack-billable, 9 active in the last 28 days.")

	stacked := parseSVG(t, seatsByType())
	desc, _ = stacked.byID("seats-by-type-desc")
	assert.True(t, strings.HasPrefix(desc.Text, "Accounts in the latest snapshot per billing account, by seat type. Acme Corp: 2 owner, 9 admin, 640 member,"), desc.Text)
	assert.Contains(t, desc.Text, "; 812 in total.")

	single := parseSVG(t, usageFrequency())
	desc, _ = single.byID("usage-frequency-desc")
	assert.Contains(t, desc.Text, "daily: 512 people. weekly: 140 people.")
	title, _ := single.byClass("mark")[0].child("title")
	assert.Equal(t, "daily: 512 people", title.Text, "one series: its name is the unit")
}

func TestBar_LongNamesAreShortenedOnlyInLabels(t *testing.T) {
	long := strings.Repeat("Initech Research & Development ", 6) + "(E0INITECH42)"
	for _, horizontal := range []bool{true, false} {
		b := Bar{Title: "Seats", Categories: []string{long, "Acme"}, Horizontal: horizontal,
			Series: []Series{{Name: long, Values: []float64{3, 4}}, {Name: "b", Values: []float64{1, 2}}}}
		root := parseSVG(t, b)
		labels := root.byClass("category")
		require.Len(t, labels, 2)
		assert.True(t, strings.HasSuffix(labels[0].Text, "…"), "label %q ends with …", labels[0].Text)
		assert.True(t, strings.HasPrefix(long, strings.TrimSuffix(labels[0].Text, "…")))
		room := maxLabelW // horizontal bars: the left margin
		if !horizontal {
			room = (width-2*pad)/2 - 6 // vertical bars: the band of one of two categories
		}
		assert.LessOrEqual(t, textWidth(labels[0].Text, labelPx), room)
		full, ok := labels[0].child("title")
		require.True(t, ok, "a shortened label keeps the whole name in its title")
		assert.Equal(t, long, full.Text)
		assert.Equal(t, long, labels[0].attr("data-category"))
		assert.Equal(t, "Acme", labels[1].Text)

		mark := root.byClass("mark")[0]
		assert.Equal(t, long, mark.attr("data-category"))
		assert.Equal(t, long, mark.attr("data-series"))
		title, _ := mark.child("title")
		assert.Equal(t, long+", "+long+": 3", title.Text)
		legend := root.byClass("legend")[0].byName("text")[0]
		assert.True(t, strings.HasSuffix(legend.Text, "…"), "legend %q is shortened", legend.Text)
	}
}

func TestBar_NoDataAndAllZeros(t *testing.T) {
	empty := map[string]Bar{
		"no categories": {Title: "Apps by risk level", Series: []Series{{Name: "apps"}}},
		"no series":     {Title: "Apps by risk level", Categories: []string{"high"}},
		"nothing":       {Title: "Apps by risk level", Desc: "Installed apps"},
	}
	for name, b := range empty {
		t.Run(name, func(t *testing.T) {
			root := parseSVG(t, b)
			assert.Empty(t, root.byClass("mark"))
			assert.Contains(t, allText(root), "No data")
			desc, _ := root.child("desc")
			assert.Contains(t, desc.Text, "No data")
		})
	}
	for _, horizontal := range []bool{true, false} {
		b := appsByRisk()
		b.Horizontal = horizontal
		b.Series = []Series{{Name: "apps", Values: make([]float64, 6)}}
		root := parseSVG(t, b)
		marks := root.byClass("mark")
		require.Len(t, marks, 6, "zero bars keep their data")
		for _, m := range marks {
			assert.Equal(t, "0", m.attr("data-value"))
			_, length := barExtent(t, m, horizontal)
			assert.Equal(t, 0.0, length)
		}
		assert.Contains(t, allText(root), "All values are 0")
		var ticks []string
		for _, n := range root.byClass("tick") {
			ticks = append(ticks, n.Text)
		}
		assert.Equal(t, []string{"0", "1"}, ticks)
	}
}

// allText joins the text of every element.
func allText(n node) string {
	var b strings.Builder
	for _, m := range n.all(func(node) bool { return true }) {
		b.WriteString(m.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestBar_InvalidInputIsNamed(t *testing.T) {
	ok := func() Bar {
		return Bar{Title: "Seats", Categories: []string{"Acme", "Globex"}, Series: []Series{{Name: "paid", Values: []float64{1, 2}}}}
	}
	tests := []struct {
		name   string
		change func(*Bar)
		want   string
	}{
		{"no title", func(b *Bar) { b.Title = " \u202e " }, "title is empty"},
		{"bad id", func(b *Bar) { b.ID = `x" onload="alert(1)` }, `id "x\" onload=\"alert(1)"`},
		{"too few values", func(b *Bar) { b.Series[0].Values = []float64{1} }, `series "paid": 1 values for 2 categories`},
		{"NaN", func(b *Bar) { b.Series[0].Values[1] = math.NaN() }, `series "paid": value 1 (category "Globex") is NaN`},
		{"infinite", func(b *Bar) { b.Series[0].Values[0] = math.Inf(1) }, `value 0 (category "Acme") is infinite`},
		{"negative", func(b *Bar) { b.Series[0].Values[0] = -3 }, `value 0 (category "Acme") is negative (-3)`},
		{"duplicate category", func(b *Bar) { b.Categories[1] = "Acme" }, `category "Acme" appears twice (at 0 and 1)`},
		{"duplicate series", func(b *Bar) { b.Series = append(b.Series, b.Series[0]) }, `series "paid" appears twice`},
		{"unknown class", func(b *Bar) { b.Series[0].Class = "red" }, `series "paid": unknown class "red": use one of series-1`},
		{"category classes with two series", func(b *Bar) {
			b.Series = append(b.Series, Series{Name: "active", Values: []float64{1, 1}})
			b.CategoryClasses = []Class{RiskHigh, RiskLow}
		}, "colour by category only with one series"},
		{"category classes count", func(b *Bar) { b.CategoryClasses = []Class{RiskHigh} }, "1 category classes for 2 categories"},
		{"unknown category class", func(b *Bar) { b.CategoryClasses = []Class{RiskHigh, "x"} }, `category "Globex": unknown class "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ok()
			tt.change(&b)
			var out bytes.Buffer
			err := b.Render(&out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "bar chart")
			assert.Zero(t, out.Len(), "nothing is written for an invalid chart")
			_, err = b.SVG()
			assert.Error(t, err)
		})
	}
	require.NoError(t, ok().Render(&bytes.Buffer{}), "the unchanged chart is valid")
}
