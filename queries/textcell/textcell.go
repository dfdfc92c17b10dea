// Package textcell measures and cuts text for fixed-width terminal output:
// how many cells a string takes on a terminal (wide East Asian characters
// and emoji take two, combining marks none, as github.com/mattn/go-runewidth
// reckons them), and how to shorten it to a width with an ellipsis. It has
// no dependency on the warehouse, so every package that prints a table
// (query results, the act plan) can share it.
package textcell

import (
	"strings"

	"github.com/mattn/go-runewidth"
)

// Ellipsis ends a value cut to fit its column.
const Ellipsis = "…"

// cond measures every ambiguous-width character as one cell, as terminals
// outside East Asian locales draw them, whatever the environment says.
var cond = &runewidth.Condition{EastAsianWidth: false}

// ASCII reports whether b is printable ASCII only, whose width is its length.
func ASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// Width is the number of terminal cells s takes.
func Width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return cond.StringWidth(s)
		}
	}
	return len(s)
}

// Truncate shortens s to at most w cells, ending in an ellipsis when it cuts
// anything. A character is never split: one that would cross w is dropped.
func Truncate(s string, w int) string {
	if Width(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	return cond.Truncate(s, w, Ellipsis)
}

// Pad returns s followed (or, right-aligned, preceded) by the spaces that
// make it w cells wide; s wider than w is returned as it is.
func Pad(s string, w int, right bool) string {
	n := w - Width(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

// Prefix is the longest start of s that takes at most w cells, never
// splitting a character.
func Prefix(s string, w int) string {
	if Width(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	return cond.Truncate(s, w, "")
}
