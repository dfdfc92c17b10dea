package shell

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSplitter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		input   string
		want    []Statement
		pending bool // an unfinished statement or quote is left
	}{
		{"one", "SELECT 1;", []Statement{{"SELECT 1", 1}}, false},
		{"two on a line", "SELECT 1; SELECT 2;", []Statement{{"SELECT 1", 1}, {"SELECT 2", 1}}, false},
		{"across lines", "SELECT\n  1\n;", []Statement{{"SELECT\n  1", 1}}, false},
		{"no semicolon yet", "SELECT 1", nil, true},
		{"empty statements dropped", ";;  ;\nSELECT 1;;", []Statement{{"SELECT 1", 2}}, false},
		{"semicolon in string", "SELECT 'a;b';", []Statement{{"SELECT 'a;b'", 1}}, false},
		{"doubled quote", "SELECT 'it''s; fine';", []Statement{{"SELECT 'it''s; fine'", 1}}, false},
		{"string across lines", "SELECT 'a\n;b';", []Statement{{"SELECT 'a\n;b'", 1}}, false},
		{"unterminated string", "SELECT 'a;", nil, true},
		{"escape string", `SELECT E'it\'s; here';`, []Statement{{`SELECT E'it\'s; here'`, 1}}, false},
		{"escape string backslash at end", `SELECT e'a\\'; SELECT 2;`, []Statement{{`SELECT e'a\\'`, 1}, {"SELECT 2", 1}}, false},
		{"backslash is plain in standard strings", `SELECT 'a\'; SELECT 2;`, []Statement{{`SELECT 'a\'`, 1}, {"SELECT 2", 1}}, false},
		{"identifier ending in e is not an escape string", `SELECT name'a\'; SELECT 2;`, []Statement{{`SELECT name'a\'`, 1}, {"SELECT 2", 1}}, false},
		{"quoted identifier", `SELECT 1 AS "a;""b";`, []Statement{{`SELECT 1 AS "a;""b"`, 1}}, false},
		{"line comment", "SELECT 1 -- no; end here\n;", []Statement{{"SELECT 1 -- no; end here", 1}}, false},
		{"comment only", "-- just a note;\n", nil, false},
		{"leading comments dropped", "-- note\n/* more */ SELECT 1;", []Statement{{"SELECT 1", 2}}, false},
		{"block comment", "SELECT /* ; */ 1;", []Statement{{"SELECT /* ; */ 1", 1}}, false},
		{"nested block comment", "SELECT /* a /* ; */ ; */ 1;", []Statement{{"SELECT /* a /* ; */ ; */ 1", 1}}, false},
		{"unterminated block comment", "SELECT /* ;", nil, true},
		{"dollar quote", "SELECT $$a;b$$;", []Statement{{"SELECT $$a;b$$", 1}}, false},
		{"tagged dollar quote", "SELECT $fn$ a $$ ; $ $fn$;", []Statement{{"SELECT $fn$ a $$ ; $ $fn$", 1}}, false},
		{"dollar quote across lines", "CREATE MACRO m() AS $$\n;\n$$;", []Statement{{"CREATE MACRO m() AS $$\n;\n$$", 1}}, false},
		{"positional parameter", "SELECT $1; SELECT 2;", []Statement{{"SELECT $1", 1}, {"SELECT 2", 1}}, false},
		{"named parameter", "SELECT $days; SELECT 2;", []Statement{{"SELECT $days", 1}, {"SELECT 2", 1}}, false},
		{"dollar inside identifier", "SELECT a$b$c; SELECT 2;", []Statement{{"SELECT a$b$c", 1}, {"SELECT 2", 1}}, false},
		{"minus is not a comment", "SELECT 5 - -3;", []Statement{{"SELECT 5 - -3", 1}}, false},
		{"division is not a comment", "SELECT 6 / 2;", []Statement{{"SELECT 6 / 2", 1}}, false},
		{"line numbers", "\n\nSELECT 1;\n\nSELECT\n2;", []Statement{{"SELECT 1", 3}, {"SELECT\n2", 5}}, false},
		{"unicode", "SELECT 'é;ü', \"naïve\";", []Statement{{"SELECT 'é;ü', \"naïve\"", 1}}, false},
		{"vertical tab alone", "\v;", nil, false},
		{"no-break space alone", "\u00a0;", nil, false},
		{"lone semicolons", ";;", nil, false},
		{"every kind of space alone", "\t\v\f\r\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff;", nil, false},
		{"spaces around a statement are trimmed", "\u00a0\u3000SELECT 1\u00a0\v;", []Statement{{"SELECT 1", 1}}, false},
		{"a space inside a statement stays", "SELECT\u00a01;", []Statement{{"SELECT\u00a01", 1}}, false},
		{"byte-order mark before a statement", "\ufeffSELECT 1;", []Statement{{"SELECT 1", 1}}, false},
		{"unicode spaces and comments only", "\u2003-- note ;\n\u00a0/* ; */\u3000;", nil, false},
		{"no-break space is not pending", "\u00a0", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sp := NewSplitter()
			var got []Statement
			for _, line := range strings.Split(tc.input, "\n") {
				got = append(got, sp.Add(line)...)
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.pending, sp.Pending(), "pending")
		})
	}
}

func TestSplitterFlushAndReset(t *testing.T) {
	t.Parallel()
	sp := NewSplitter()
	assert.Equal(t, []Statement{{"SELECT 1", 1}}, sp.Add("SELECT 1; SELECT"))
	assert.True(t, sp.Pending())
	assert.False(t, sp.Empty(), "a dot here would be SQL")
	assert.Empty(t, sp.Add("  2"))
	st, ok, unterminated := sp.Flush()
	assert.True(t, ok)
	assert.Equal(t, Statement{"SELECT\n  2", 1}, st)
	assert.Empty(t, unterminated)
	assert.True(t, sp.Empty())

	sp.Add("SELECT 'open")
	st, ok, unterminated = sp.Flush()
	assert.True(t, ok)
	assert.Equal(t, 3, st.Line)
	assert.Equal(t, "a quoted string", unterminated)

	sp.Add("SELECT /* not closed")
	sp.Reset()
	assert.False(t, sp.Pending(), "Ctrl-C drops the statement")
	assert.Equal(t, []Statement{{"SELECT 3", 5}}, sp.Add("SELECT 3;"), "line numbers go on")
	sp.Skip()
	assert.Equal(t, []Statement{{"SELECT 4", 7}}, sp.Add("SELECT 4;"))
}

func TestSplitScript(t *testing.T) {
	t.Parallel()
	got := SplitScript("SELECT 1;\n-- c\nSELECT 'x;y'\n")
	assert.Equal(t, []Statement{{"SELECT 1", 1}, {"SELECT 'x;y'", 3}}, got)
}

func TestHistoryEntry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"SELECT 1;", "SELECT 1;", true},
		{"SELECT 1 -- one\nFROM t;", "SELECT 1 /* one */ FROM t;", true},
		{"SELECT '--x'\nFROM t;", "SELECT '--x' FROM t;", true},
		{"SELECT /* a\nb */ 1;", "SELECT /* a b */ 1;", true},
		{"SELECT 'a\nb';", "", false},
		{"SELECT 1 -- a */ b\n;", "SELECT 1 /* a * / b */ ;", true},
	}
	for _, tc := range tests {
		got, ok := historyEntry(tc.in)
		assert.Equal(t, tc.ok, ok, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}
