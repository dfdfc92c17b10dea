package chart

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everyKind is one chart of every kind and edge case the package draws.
func everyKind() map[string]Chart {
	out := map[string]Chart{
		"no data bar":  Bar{Title: "Apps by risk level"},
		"no data line": Line{Title: "Waste"},
		"one point":    Line{Title: "Waste", X: []time.Time{day(1, 1)}, Series: []Series{{Name: "a", Values: []float64{1}}}},
	}
	for name, b := range barVariants() {
		out[name] = b
	}
	for _, c := range reportCharts() {
		out[c.name] = c.chart
	}
	return out
}

func TestRender_AccessibleStandaloneSVG(t *testing.T) {
	for name, c := range everyKind() {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, c.Render(&b))
			src := b.String()
			assert.True(t, strings.HasPrefix(src, "<svg "), "no XML declaration or doctype, so it embeds in HTML")
			root := parseXML(t, src)
			assert.Equal(t, "http://www.w3.org/2000/svg", root.XMLName.Space)
			assert.Equal(t, "svg", root.XMLName.Local)
			assert.Equal(t, "1.1", root.attr("version"))
			assert.Equal(t, "img", root.attr("role"))
			assert.Regexp(t, `^0 0 720 \d+(\.\d+)?$`, root.attr("viewBox"))
			assert.False(t, root.has("width") || root.has("height"), "sized by its viewBox only")
			ids := strings.Fields(root.attr("aria-labelledby"))
			require.Len(t, ids, 2)
			title, ok := root.byID(ids[0])
			require.True(t, ok)
			assert.Equal(t, "title", title.XMLName.Local)
			assert.NotEmpty(t, title.Text)
			desc, ok := root.byID(ids[1])
			require.True(t, ok)
			assert.Equal(t, "desc", desc.XMLName.Local)
			assert.NotEmpty(t, desc.Text)
			assert.Empty(t, root.byName("script"))
			assert.Empty(t, root.all(func(n node) bool { return n.has("style") || n.has("href") }), "no inline style, no links")
			assertInsideViewBox(t, root)
		})
	}
}

// assertInsideViewBox checks that the rectangles and the anchors of text lie
// within the viewBox.
func assertInsideViewBox(t *testing.T, root node) {
	t.Helper()
	w, h := viewBoxSize(t, root)
	for _, n := range root.all(func(n node) bool { return n.has("x") && n.has("y") }) {
		x, y := n.num(t, "x"), n.num(t, "y")
		assert.True(t, x >= 0 && x <= w && y >= 0 && y <= h, "<%s> at %v,%v outside %vx%v", n.XMLName.Local, x, y, w, h)
		if n.XMLName.Local != "text" {
			continue
		}
		px := labelPx
		if n.has("font-size") {
			px = n.num(t, "font-size")
		}
		tw := textWidth(n.Text, px)
		if n.has("transform") {
			// Slanted labels: anchored at their end, rotated by -45°.
			require.Equal(t, "rotate(-45 "+n.attr("x")+" "+n.attr("y")+")", n.attr("transform"))
			require.Equal(t, "end", n.attr("text-anchor"))
			assert.GreaterOrEqual(t, x-tw*cos45, -1.0, "slanted %q runs off the left edge", n.Text)
			assert.LessOrEqual(t, y+tw*cos45+px, h+1, "slanted %q runs off the bottom", n.Text)
			continue
		}
		left := map[string]float64{"": x, "start": x, "middle": x - tw/2, "end": x - tw}[n.attr("text-anchor")]
		assert.True(t, left >= -1 && left+tw <= w+1, "text %q (%v to %v) runs off the %v wide chart", n.Text, left, left+tw, w)
	}
}

// viewBoxSize reads the width and height of the root's viewBox.
func viewBoxSize(t *testing.T, root node) (w, h float64) {
	t.Helper()
	f := strings.Fields(root.attr("viewBox"))
	require.Len(t, f, 4)
	w, err := strconv.ParseFloat(f[2], 64)
	require.NoError(t, err)
	h, err = strconv.ParseFloat(f[3], 64)
	require.NoError(t, err)
	return w, h
}

func TestRender_Deterministic(t *testing.T) {
	for name, c := range everyKind() {
		a, err := c.SVG()
		require.NoError(t, err)
		b, err := c.SVG()
		require.NoError(t, err)
		assert.Equal(t, a, b, name)
	}
	// Derived ids tell different charts apart and stay put for the same one.
	one, two := usageFrequency(), usageFrequency()
	one.ID, two.ID = "", ""
	two.Series = []Series{{Name: "people", Values: []float64{512, 140, 61, 203, 45}}}
	a, _ := one.SVG()
	b, _ := two.SVG()
	c, _ := one.SVG()
	idOf := func(s string) string { return parseXML(t, s).attr("id") }
	assert.NotEqual(t, idOf(string(a)), idOf(string(b)))
	assert.Equal(t, idOf(string(a)), idOf(string(c)))
	assert.Regexp(t, `^chart-[0-9a-f]{16}$`, idOf(string(a)))
}

func TestStylesheet_HasThePalette(t *testing.T) {
	css := Stylesheet()
	for _, p := range palette {
		assert.Contains(t, css, "rect."+string(p.class)+", svg.chart circle."+string(p.class)+" { fill: "+p.color+"; }")
		assert.Contains(t, css, "path."+string(p.class)+", svg.chart line."+string(p.class)+" { stroke: "+p.color+"; }")
	}
	assert.Contains(t, css, "@media print")
	assert.Equal(t, Class("series-1"), SeriesClass(0))
	assert.Equal(t, Class("series-1"), SeriesClass(8), "series colours cycle")
}
