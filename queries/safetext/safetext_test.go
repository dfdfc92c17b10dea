package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestEscape(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"Ann Example", "Ann Example"},
		{"", ""},
		{"Zoë 山田 🙂 O'Brien \\n", "Zoë 山田 🙂 O'Brien \\n"},
		{"\u202eevil\n| fake | row |", `\u202eevil\n| fake | row |`},
		{"a\r\tb", `a\r\tb`},
		{"\x1b[2J\x1b]0;title\x07", `\x1b[2J\x1b]0;title\x07`},
		{"del\x7f", `del\x7f`},
		{"c1\u0085\u009b", `c1\u0085\u009b`},
		{"\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069", `\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069`},
		{"line\u2028para\u2029", `line\u2028para\u2029`},
		{"bad \xff\x9b utf8", `bad \xff\x9b utf8`},
		{"family 👨\u200d👩\u200d👧", "family 👨\u200d👩\u200d👧"}, // joiners stay: they are layout-neutral
	}
	for _, c := range cases {
		assert.Equal(t, c.want, Escape(c.in), "%q", c.in)
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"plain", "\u202eevil\n| fake | row |", "\x1b[31m", "\xff", "a\u2029b", "山田\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Escape(%q) = %q is not UTF-8", s, out)
		}
		for _, r := range out {
			if Unsafe(r) {
				t.Fatalf("Escape(%q) = %q still holds %U", s, out, r)
			}
		}
		if again := Escape(out); again != out {
			t.Fatalf("Escape is not idempotent on %q: %q, then %q", s, out, again)
		}
		if firstUnsafe(s) < 0 && out != s {
			t.Fatalf("Escape(%q) changed safe text to %q", s, out)
		}
		if strings.Count(out, "\n") != 0 {
			t.Fatalf("Escape(%q) left a line break", s)
		}
	})
}

func BenchmarkEscapeASCII(b *testing.B) {
	s := "Ann Example (ann@example.com), member since 2021"
	for b.Loop() {
		_ = Escape(s)
	}
}
