package chart

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostile are names a Slack user or app could choose.
var hostile = []struct {
	name string
	in   string
	data string // what data attributes hold: in, with what XML cannot carry as U+FFFD
	show string // what visible text shows
}{
	{"markup", `<script>alert(1)</script>`, `<script>alert(1)</script>`, `<script>alert(1)</script>`},
	{"closing the svg", `</svg><svg onload="alert(1)">`, `</svg><svg onload="alert(1)">`, `</svg><svg onload="alert(1)">`},
	{"ampersand and entity", `R&D &amp; &#60; &lt;`, `R&D &amp; &#60; &lt;`, `R&D &amp; &#60; &lt;`},
	{"quotes", `"double" 'single' ` + "`back`", `"double" 'single' ` + "`back`", `"double" 'single' ` + "`back`"},
	{"cdata end and comment", `]]> <!-- --> <![CDATA[x]]>`, `]]> <!-- --> <![CDATA[x]]>`, `]]> <!-- --> <![CDATA[x]]>`},
	{"processing instruction", `<?xml-stylesheet href="x"?>`, `<?xml-stylesheet href="x"?>`, `<?xml-stylesheet href="x"?>`},
	{"control characters", "a\x00b\x01c\x1bd\x7fe", "a\ufffdb\ufffdc\ufffdd\x7fe", "a b c d e"},
	{"line breaks and tabs", "two\nlines\r\tand\u2028more", "two\nlines\r\tand\u2028more", "two lines and more"},
	{"bidi override", "\u202eevil.exe\u202c admin", "\u202eevil.exe\u202c admin", "evil.exe admin"},
	{"bidi isolate left open", "\u2067\u2066x", "\u2067\u2066x", "x"},
	{"invalid utf-8", "caf\xe9 \xff\xfe", "caf\ufffd \ufffd\ufffd", "caf\ufffd \ufffd\ufffd"},
	{"non-characters", "a\ufffeb\uffff", "a\ufffdb\ufffd", "a\ufffdb\ufffd"},
	{"emoji and joiners", "👩‍👩‍👧 team ✅", "👩‍👩‍👧 team ✅", "👩‍👩‍👧 team ✅"},
	{"right to left", "שלום עולם", "שלום עולם", "שלום עולם"},
	{"empty", "", "", ""},
}

var allowedElements = map[string]bool{"svg": true, "title": true, "desc": true, "g": true, "rect": true,
	"text": true, "line": true, "path": true, "circle": true}

func TestEscape_HostileNamesStayText(t *testing.T) {
	for _, tt := range hostile {
		t.Run(tt.name, func(t *testing.T) {
			charts := map[string]Chart{
				"bar": Bar{Title: "Seats " + tt.in, Desc: tt.in, Categories: []string{tt.in, "other"}, Horizontal: true,
					Series: []Series{{Name: tt.in, Values: []float64{3, 1}}, {Name: "x" + tt.in, Values: []float64{2, 0}}}},
				"line": Line{Title: "Waste " + tt.in, Desc: tt.in, X: []time.Time{time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)},
					Series: []Series{{Name: tt.in, Values: []float64{3}}, {Name: "x" + tt.in, Values: []float64{1}}}},
			}
			for kind, c := range charts {
				root := parseSVG(t, c)
				assertOnlyChartMarkup(t, root)
				mark := root.byClass("mark")[0]
				assert.Equal(t, tt.data, mark.attr("data-series"), "%s data-series", kind)
				if kind == "bar" {
					assert.Equal(t, tt.data, mark.attr("data-category"))
				}
				title, _ := mark.child("title")
				assert.True(t, strings.HasPrefix(title.Text, tt.show), "%s mark title %q shows %q", kind, title.Text, tt.show)
				heading := root.byClass("heading")[0]
				assert.Equal(t, strings.TrimSpace(strings.SplitN(heading.Text, " ", 2)[0]+" "+tt.show), heading.Text)
				assertNoBidiControls(t, root)
			}
		})
	}
}

// assertOnlyChartMarkup checks that no name added an element or an
// attribute: only the chart's own elements, no event handlers, no links.
func assertOnlyChartMarkup(t *testing.T, root node) {
	t.Helper()
	for _, n := range root.all(func(node) bool { return true }) {
		assert.True(t, allowedElements[n.XMLName.Local], "unexpected element <%s>", n.XMLName.Local)
		for _, a := range n.Attrs {
			k := a.Name.Local
			assert.False(t, strings.HasPrefix(k, "on") || k == "href" || k == "style", "unexpected attribute %s", k)
		}
	}
}

// assertNoBidiControls checks that no visible text holds a bidi embedding,
// override or isolate control, apart from the isolates put around
// right-to-left names in <desc>.
func assertNoBidiControls(t *testing.T, root node) {
	t.Helper()
	for _, n := range root.all(func(n node) bool { return n.XMLName.Local != "desc" }) {
		assert.False(t, strings.ContainsFunc(n.Text, bidiControl), "<%s> shows bidi controls: %q", n.XMLName.Local, n.Text)
	}
}

func TestEscape_RightToLeftNamesAreIsolatedInDesc(t *testing.T) {
	b := Bar{Title: "Seats", Categories: []string{"שלום", "Acme"}, Series: []Series{{Name: "paid seats", Values: []float64{12, 3}}}}
	root := parseSVG(t, b)
	desc, _ := root.child("desc")
	assert.Equal(t, "\u2068שלום\u2069: 12 paid seats. Acme: 3 paid seats.", desc.Text)
}

func TestEscape_Source(t *testing.T) {
	// The escaped text itself: entities for markup, references for what an
	// attribute would otherwise lose or a reader would not see.
	assert.Equal(t, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;", escape(`<a href="x">&'`))
	assert.Equal(t, "a&#x9;b&#xa;c&#xd;", escape("a\tb\nc\r"))
	assert.Equal(t, "&#x202e;x&#x200d;y&#x85;", escape("\u202ex\u200dy\u0085"))
	assert.Equal(t, "\ufffd\ufffd\ufffd", escape("\x00\x1b\xff"))
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name, in, want string
		max            float64
	}{
		{"fits", "Acme Corp", "Acme Corp", 100},
		{"latin", "Initech Research & Development", "Initech Res…", 80},
		{"no trailing space", "ab cd", "ab…", 28},
		{"cjk counts double", "株式会社テスト商事", "株式会…", 45},
		{"combining marks stay with their letter", "e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301", "e\u0301e\u0301e\u0301…", 30},
		{"no dangling joiner", "👩\u200d👩\u200d👧\u200d👦 family", "👩\u200d👩…", 34},
		{"nothing fits", "Acme", "…", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := truncate(tt.in, tt.max, labelPx)
			assert.Equal(t, tt.want, got)
			if got != tt.in {
				assert.LessOrEqual(t, textWidth(got, labelPx), tt.max+textWidth("…", labelPx))
			}
		})
	}
}

func TestDisplay(t *testing.T) {
	assert.Equal(t, "a b c", display("  a\n\tb\u2028\u202ec  "))
	assert.Equal(t, "", display("\u202e\u2066 \n"))
	require.Equal(t, "\u2068مرحبا\u2069", isolate("\u202eمرحبا"))
	assert.Equal(t, "Acme", isolate("Acme"))
}
