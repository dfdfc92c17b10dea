package chart

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// node is an XML element as encoding/xml reads it.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

// parseSVG renders c and parses the result strictly as XML.
func parseSVG(t *testing.T, c Chart) node {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, c.Render(&b))
	return parseXML(t, b.String())
}

func parseXML(t *testing.T, s string) node {
	t.Helper()
	var root node
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	require.NoError(t, d.Decode(&root), "the SVG is not well-formed XML:\n%s", s)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return root
		}
		require.NoError(t, err)
		text, ok := tok.(xml.CharData)
		require.True(t, ok && strings.TrimSpace(string(text)) == "", "content after the root element: %#v", tok)
	}
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

func (n node) has(name string) bool {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return true
		}
	}
	return false
}

func (n node) num(t *testing.T, name string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(n.attr(name), 64)
	require.NoError(t, err, "attribute %s of <%s>", name, n.XMLName.Local)
	return f
}

func (n node) hasClass(c string) bool {
	for _, f := range strings.Fields(n.attr("class")) {
		if f == c {
			return true
		}
	}
	return false
}

// all returns every element under n (n included) for which keep is true,
// in document order.
func (n node) all(keep func(node) bool) []node {
	var out []node
	if keep(n) {
		out = append(out, n)
	}
	for _, c := range n.Nodes {
		out = append(out, c.all(keep)...)
	}
	return out
}

func (n node) byClass(c string) []node {
	return n.all(func(m node) bool { return m.hasClass(c) })
}

func (n node) byName(name string) []node {
	return n.all(func(m node) bool { return m.XMLName.Local == name })
}

// child returns the first direct child element with the given name.
func (n node) child(name string) (node, bool) {
	for _, c := range n.Nodes {
		if c.XMLName.Local == name {
			return c, true
		}
	}
	return node{}, false
}

// byID finds the element with the given id.
func (n node) byID(id string) (node, bool) {
	found := n.all(func(m node) bool { return m.attr("id") == id })
	if len(found) == 0 {
		return node{}, false
	}
	return found[0], true
}
