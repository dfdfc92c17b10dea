// Package safetext renders untrusted text (names and values from Slack or
// the warehouse) for a terminal or a text table. Control characters, bytes
// that are not UTF-8, line separators and the invisible marks that reorder
// bidirectional text are shown as escapes (\n, \x1b, \u202e), so a crafted
// name cannot break a line, move the cursor or reverse what follows it, and
// so cannot fake a row of a table, a plan or a progress line.
//
// Machine formats (CSV, JSON) must not use it: they keep values exact. A
// backslash is left as it is, so the escaped text is for reading, not for
// parsing back. The package has no dependencies, so every package that
// prints text can share it.
package safetext

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every character that could change how the text
// around it is laid out replaced by a visible escape. Text without such
// characters is returned as it is, without copying.
func Escape(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case Unsafe(r):
			b.WriteString(escapeRune(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// firstUnsafe returns the offset of the first character Escape changes, or
// -1. Printable ASCII, the common case, is checked a byte at a time.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || Unsafe(r) {
			return i
		}
		i += size
	}
	return -1
}

// Unsafe reports whether Escape replaces r: C0 and C1 control characters
// and DEL, the line and paragraph separators U+2028 and U+2029, and the
// bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E,
// U+200F, U+202A–U+202E, U+2066–U+2069).
func Unsafe(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r == 0x061c || r == 0x200e || r == 0x200f || r == 0x2028 || r == 0x2029:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

func escapeRune(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	}
	if r < 0x80 {
		return `\x` + hex2(byte(r))
	}
	h := strconv.FormatInt(int64(r), 16)
	return `\u` + strings.Repeat("0", 4-len(h)) + h
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}
