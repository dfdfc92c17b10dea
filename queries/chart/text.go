package chart

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// escapeTo appends s to b as XML character data or attribute text (double
// quoted). Markup characters become entities; tab, newline and carriage
// return become character references so that attribute values keep them;
// invisible format characters (bidi controls, zero-width joiners) and C1
// controls become references so that they show in the source; characters
// XML 1.0 cannot carry, and invalid UTF-8, become U+FFFD.
func escapeTo(b *strings.Builder, s string) {
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&#39;")
		case !xmlChar(r):
			b.WriteRune(utf8.RuneError)
		case r < ' ' || r >= 0x7f && r <= 0x9f || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029:
			b.WriteString("&#x")
			b.WriteString(strconv.FormatInt(int64(r), 16))
			b.WriteByte(';')
		default:
			b.WriteRune(r)
		}
	}
}

// escape returns s escaped as by escapeTo.
func escape(s string) string {
	var b strings.Builder
	escapeTo(&b, s)
	return b.String()
}

// xmlChar reports whether XML 1.0 allows r (production Char). utf8.RuneError
// also stands for invalid UTF-8 and is allowed: it is written as itself.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000 && r <= 0x10ffff
}

// bidiControl reports whether r is a bidi embedding, override or isolate
// control (the marks U+200E and U+200F are harmless and kept).
func bidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// display prepares a caller's text for visible output: bidi controls are
// dropped, control and line-breaking characters become spaces, runs of space
// collapse, and the result is trimmed. Characters XML cannot carry become
// U+FFFD when escaped.
func display(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if bidiControl(r) {
			continue
		}
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == 0x2028 || r == 0x2029 {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isolate returns display(s), wrapped in first-strong isolate marks when it
// holds right-to-left letters, so that a sentence such as "name: 812 paid
// seats" keeps its order around it.
func isolate(s string) string {
	d := display(s)
	for _, r := range d {
		if unicode.In(r, unicode.Hebrew, unicode.Arabic, unicode.Syriac, unicode.Thaana, unicode.Nko,
			unicode.Samaritan, unicode.Mandaic, unicode.Adlam, unicode.Hanifi_Rohingya) {
			return "\u2068" + d + "\u2069"
		}
	}
	return d
}

// runeWidth estimates the advance of r in ems in a sans-serif font. It errs
// wide, so that labels estimated to fit do fit.
func runeWidth(r rune) float64 {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) || r == 0x200d:
		return 0
	case wide(r):
		return 1
	case strings.ContainsRune("iljtfrI.,:;'|!()[]{} ", r):
		return 0.34
	case unicode.IsUpper(r) || strings.ContainsRune("mwMW@%&", r):
		return 0.78
	default:
		return 0.58
	}
}

// wide reports whether r is a full-width character (CJK, fullwidth forms,
// most emoji).
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) ||
		r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xff60 || r >= 0xffe0 && r <= 0xffe6 ||
		r >= 0x1f300 && r <= 0x1faff || r >= 0x2600 && r <= 0x27bf
}

// textWidth estimates the width of s at font size px.
func textWidth(s string, px float64) float64 {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w * px
}

// truncate shortens display text s with "…" so that it is at most max wide
// at font size px. It does not end the text on a zero-width joiner or a
// space; combining marks, being zero-width, stay with their letter.
func truncate(s string, max, px float64) string {
	if textWidth(s, px) <= max {
		return s
	}
	budget := max - textWidth("…", px)
	w := 0.0
	end := 0
	for i, r := range s {
		w += runeWidth(r) * px
		if w > budget {
			break
		}
		end = i + utf8.RuneLen(r)
	}
	cut := strings.TrimRightFunc(s[:end], func(r rune) bool {
		return r == 0x200d || unicode.IsSpace(r)
	})
	return cut + "…"
}
