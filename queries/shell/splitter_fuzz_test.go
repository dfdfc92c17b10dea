package shell

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzSplitter checks, for any input, that SplitScript emits no blank
// statement and loses nothing: every statement's text appears in the input
// in order, on the line it reports, and what lies between statements is
// only spaces, semicolons and comments, with a semicolon between any two.
func FuzzSplitter(f *testing.F) {
	for _, s := range []string{
		"SELECT 1;", "SELECT 1; SELECT 2", "\v;", "\u00a0;", ";;", "\u3000SELECT 1\u00a0;", "\ufeffSELECT 1;",
		"SELECT 'a;b'; SELECT \"x;\"", "SELECT E'it\\'s;'; SELECT 2;", "-- c ;\nSELECT 1 -- d\n;", "/* a /* ; */ ; */ SELECT 1;",
		"SELECT $$a;b$$; SELECT $t$ ; $t$;", "/* SELECT 1 */ SELECT 1;", "SELECT 'open", "SELECT 1; /* open", "\xff;\xc2;",
		"CREATE MACRO m() AS $$\n;\n$$;\n\n\nSELECT 5 - -3;", "SELECT 1;\r\nSELECT 2;\r\n",
		"SELECT 'a;b'; $$x$$;", "/* /* */ */;", "E'\\'';",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sts := SplitScript(in)
		pos := 0
		for n, st := range sts {
			if strings.TrimFunc(st.Text, unicode.IsSpace) == "" {
				t.Fatalf("statement %d of %q is blank: %q", n+1, in, st.Text)
			}
			idx := findAfterGap(in, pos, st.Text, n > 0)
			if idx < 0 {
				t.Fatalf("statement %d of %q, %q, is not the next text of the input after offset %d (all: %+v)", n+1, in, st.Text, pos, sts)
			}
			if line := 1 + strings.Count(in[:idx], "\n"); line != st.Line {
				t.Fatalf("statement %d of %q starts on line %d, not %d", n+1, in, line, st.Line)
			}
			pos = idx + len(st.Text)
		}
		if _, ok := gap(in[pos:], true); !ok {
			t.Fatalf("input %q: text after the last statement was dropped: %q (statements %+v)", in, in[pos:], sts)
		}
	})
}

// findAfterGap returns the first offset at or after pos where text starts,
// what precedes it from pos is a gap (with a semicolon when sep), and no
// gap goes on (a statement starts with a token, not a space or a comment),
// or -1.
func findAfterGap(in string, pos int, text string, sep bool) int {
	for from := pos; from <= len(in); {
		i := strings.Index(in[from:], text)
		if i < 0 {
			return -1
		}
		idx := from + i
		if semis, ok := gap(in[pos:idx], false); ok && (!sep || semis > 0) && !startsGap(in[idx:]) {
			return idx
		}
		from = idx + 1
	}
	return -1
}

// gap reports whether g holds only spaces (any Unicode space and the
// byte-order mark), semicolons and comments, and counts the semicolons.
// An unclosed comment is allowed only at the end of the input.
func gap(g string, atEnd bool) (semis int, ok bool) {
	for i := 0; i < len(g); {
		r, size := utf8.DecodeRuneInString(g[i:])
		switch {
		case r == ';':
			semis++
			i++
		case (unicode.IsSpace(r) || r == '\ufeff') && !(r == utf8.RuneError && size == 1):
			i += size
		case strings.HasPrefix(g[i:], "--"):
			end := strings.IndexByte(g[i:], '\n')
			if end < 0 {
				return semis, atEnd
			}
			i += end + 1
		case strings.HasPrefix(g[i:], "/*"):
			end := closeBlock(g[i+2:])
			if end < 0 {
				return semis, atEnd
			}
			i += 2 + end
		default:
			return semis, false
		}
	}
	return semis, true
}

// startsGap reports whether s starts with what gap accepts.
func startsGap(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	return r == ';' || ((unicode.IsSpace(r) || r == '\ufeff') && size > 0 && !(r == utf8.RuneError && size == 1)) ||
		strings.HasPrefix(s, "--") || strings.HasPrefix(s, "/*")
}

// closeBlock returns the length of s up to and including the "*/" that
// closes a block comment opened just before s (nested comments count), or
// -1.
func closeBlock(s string) int {
	depth := 1
	for i := 0; i < len(s)-1; i++ {
		switch {
		case s[i] == '/' && s[i+1] == '*':
			depth++
			i++
		case s[i] == '*' && s[i+1] == '/':
			depth--
			i++
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}
