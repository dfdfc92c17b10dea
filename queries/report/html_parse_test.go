package report_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"slackaudit/queries/report"
)

// renderHTML renders r and parses the page as a browser would.
func renderHTML(t *testing.T, r *report.Report) (string, *html.Node) {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, report.RenderHTML(&b, r))
	doc, err := html.Parse(strings.NewReader(b.String()))
	require.NoError(t, err)
	return b.String(), doc
}

// elements returns every element under n for which keep is true, in
// document order.
func elements(n *html.Node, keep func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && keep(c) {
			out = append(out, c)
		}
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func byTag(n *html.Node, tag string) []*html.Node {
	return elements(n, func(c *html.Node) bool { return c.Data == tag })
}

// byID finds the element with the given id.
func byID(t *testing.T, doc *html.Node, id string) *html.Node {
	t.Helper()
	found := elements(doc, func(c *html.Node) bool { return attr(c, "id") == id })
	require.Len(t, found, 1, "one element with id %q", id)
	return found[0]
}

// textOf is the text content of n.
func textOf(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// marks reads the marks of the chart with the given id: data-value by
// "category|series" for bars and "x|series" for lines.
func marks(t *testing.T, doc *html.Node, id string) map[string]float64 {
	t.Helper()
	svg := byID(t, doc, id)
	require.Equal(t, "svg", svg.Data, "#%s is a chart", id)
	out := map[string]float64{}
	for _, m := range elements(svg, func(c *html.Node) bool { return strings.HasPrefix(attr(c, "class"), "mark ") }) {
		where := attr(m, "data-category")
		if where == "" {
			where = attr(m, "data-x")
		}
		key := where + "|" + attr(m, "data-series")
		require.NotContains(t, out, key, "#%s has two marks for %s", id, key)
		v, err := strconv.ParseFloat(attr(m, "data-value"), 64)
		require.NoError(t, err, "#%s mark %s", id, key)
		out[key] = v
	}
	return out
}
