package report_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"slackaudit/queries/report"
)

// hostile are names a Slack admin could give a workspace, a person or an
// app, each trying to become markup in the page, its style or its charts.
var hostile = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(2)>`,
	`'><svg onload=alert(3)>`,
	`</style><iframe src="https://evil.example/"></iframe>`,
	`</title></svg><object data="http://evil.example/x">`,
	`]]><foreignObject><a href="javascript:alert(4)">x</a></foreignObject>`,
	`<!-- x --><link rel=stylesheet href=https://evil.example/a.css>`,
	`&lt;b&gt;bold&lt;/b&gt; {{.Title}} url(https://evil.example/bg.png)`,
	"Esc\x1b[31mred\u202eevil",
}

// allowed are the elements the page is made of: the template's and the
// charts'.
var allowed = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true, "header": true, "h1": true,
	"p": true, "nav": true, "ul": true, "li": true, "a": true, "main": true, "section": true, "h2": true, "h3": true,
	"div": true, "table": true, "caption": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"figure": true, "details": true, "summary": true, "strong": true, "br": true, "footer": true,
	"svg": true, "desc": true, "rect": true, "text": true, "g": true, "line": true, "path": true, "circle": true,
}

// hostileReport is the two-account report with a hostile text in every
// field that comes from Slack or the warehouse, and an apps section.
func hostileReport(t *testing.T) *report.Report { return namedReport(t, hostile) }

// namedReport is the two-account report, with an apps section, where every
// field that comes from Slack or the warehouse holds one of names.
func namedReport(t *testing.T, names []string) *report.Report {
	t.Helper()
	r := read(t, twoAccounts(t), report.Options{Top: 2, PlanTitle: func(string) string { return names[8] }})
	h := func(i int) string { return names[i%len(names)] }
	r.Mode = h(0)
	for i := range r.Accounts {
		a := &r.Accounts[i]
		a.Name, a.Note, a.Currency = h(i), h(i+1), h(i+2)
		for j := range a.Workspaces {
			a.Workspaces[j].Name = h(i + j + 3)
		}
		for j := range a.Offenders {
			o := &a.Offenders[j]
			o.Name, o.Email, o.Seat, o.BillingFlag = h(j+4), h(j+5), h(j+6), h(j+7)
		}
		a.Frequency = []report.FrequencyCount{{Frequency: h(i + 1), PaidSeats: 3}, {Frequency: "daily", PaidSeats: 1}}
		a.LastUse = []report.LastUseBin{{Bin: h(i + 2), PaidSeats: 2}}
	}
	for i := range r.WasteTrend {
		r.WasteTrend[i].Name, r.WasteTrend[i].OrgID, r.WasteTrend[i].PriceKnown = h(7), h(6), true
	}
	r.Apps = &report.Apps{Installed: 4,
		Workspaces: []report.AppCounts{{TeamID: h(2), Name: h(3), Critical: 1, High: 3}},
		Riskiest:   []report.App{{TeamID: "T1", Workspace: h(4), Name: h(5), Risk: "critical", Why: h(6), InstalledBy: h(7), Orphaned: true}},
		ByRisk:     []report.RiskCount{{Risk: "critical", Installed: 1}, {Risk: h(1), Installed: 3}}}
	for i := range r.Gaps {
		g := &r.Gaps[i]
		g.Source, g.TeamID, g.Reason, g.Unlock = h(i), h(i+3), h(i+5), h(i+6)
	}
	return r
}

// TestRenderHTMLEscapesHostileNames: no name becomes an element, an
// attribute, a style or a link; each shows as the text it is.
func TestRenderHTMLEscapesHostileNames(t *testing.T) {
	t.Parallel()
	r := hostileReport(t)
	page, doc := renderHTML(t, r)
	for _, n := range elements(doc, func(*html.Node) bool { return true }) {
		assert.True(t, allowed[n.Data], "element <%s> is not one the page is made of", n.Data)
		for _, a := range n.Attr {
			assert.False(t, strings.HasPrefix(strings.ToLower(a.Key), "on"), "<%s %s=%q>", n.Data, a.Key, a.Val)
			assert.NotContains(t, strings.ToLower(a.Val), "javascript:", "<%s %s>", n.Data, a.Key)
		}
	}
	assert.Len(t, byTag(doc, "style"), 1)
	assert.Len(t, byTag(byTag(doc, "head")[0], "title"), 1)
	benign := make([]string, len(hostile))
	for i := range benign {
		benign[i] = fmt.Sprintf("name %d", i)
	}
	_, plain := renderHTML(t, namedReport(t, benign))
	for _, tag := range []string{"section", "h2", "h3", "table", "tr", "th", "td", "svg", "details", "li", "p", "a"} {
		assert.Equal(t, len(byTag(plain, tag)), len(byTag(doc, tag)), "as many <%s> as with plain names", tag)
	}
	assert.NotContains(t, page, "\x1b", "control characters are shown escaped")
	assert.NotContains(t, page, "\u202e", "bidi overrides are shown escaped")

	text := textOf(doc)
	for _, s := range hostile[:8] {
		assert.Contains(t, text, s, "the name shows as text")
	}
	assert.Contains(t, text, `Esc\x1b[31mred\u202eevil`)
}

// TestRenderHTMLLoadsNothing: the page refers to nothing outside itself —
// no script, image, frame, link or font, no URL in src, href or CSS — even
// when names look like URLs, so it can be mailed and opened offline.
func TestRenderHTMLLoadsNothing(t *testing.T) {
	t.Parallel()
	for name, r := range map[string]*report.Report{
		"three accounts": read(t, threeAccounts(t), report.Options{Top: 10, PlanTitle: plans}),
		"hostile names":  hostileReport(t),
	} {
		page, doc := renderHTML(t, r)
		for _, n := range elements(doc, func(*html.Node) bool { return true }) {
			assert.NotContains(t, []string{"script", "img", "iframe", "object", "embed", "link", "base", "image", "use",
				"audio", "video", "source", "form", "foreignObject"}, n.Data, name)
			for _, a := range n.Attr {
				switch strings.ToLower(a.Key) {
				case "src", "href", "xlink:href", "action", "formaction", "poster", "srcset", "data", "background", "ping", "cite":
					assert.True(t, strings.HasPrefix(a.Val, "#"), "%s: <%s %s=%q> leaves the page", name, n.Data, a.Key, a.Val)
				case "style":
					assert.NotContains(t, a.Val, "url(", name)
				}
			}
		}
		styles := byTag(doc, "style")
		require.Len(t, styles, 1)
		css := textOf(styles[0])
		assert.NotContains(t, css, "url(", name)
		assert.NotContains(t, css, "@import", name)
		assert.NotContains(t, css, "@font-face", name)
		if name == "three accounts" { // hostile names hold such text, escaped
			assert.NotRegexp(t, regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//`), page, name)
		}
	}
}
