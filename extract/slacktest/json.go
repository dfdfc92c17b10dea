package slacktest

import (
	"encoding/base64"
	"strconv"
	"sync"
	"unicode/utf8"
)

// encoder appends JSON to a reused buffer. Strings are escaped by hand:
// quotes, backslashes and control characters always; invalid UTF-8 becomes
// U+FFFD; U+2028 and U+2029 are escaped as encoding/json does. With ascii
// set it also escapes '/' and every non-ASCII rune as \uXXXX (surrogate
// pairs above the BMP), the way Slack's production API writes JSON.
type encoder struct {
	b     []byte
	ascii bool
}

const maxPooledBuffer = 8 << 20

var encoders = sync.Pool{New: func() any { return &encoder{b: make([]byte, 0, 64<<10)} }}

// getEncoder returns an empty encoder from the pool.
func getEncoder(ascii bool) *encoder {
	e := encoders.Get().(*encoder)
	e.b = e.b[:0]
	e.ascii = ascii
	return e
}

// putEncoder returns e to the pool unless its buffer grew very large.
func putEncoder(e *encoder) {
	if cap(e.b) <= maxPooledBuffer {
		encoders.Put(e)
	}
}

func (e *encoder) raw(s string)     { e.b = append(e.b, s...) }
func (e *encoder) byte(c byte)      { e.b = append(e.b, c) }
func (e *encoder) int(n int64)      { e.b = strconv.AppendInt(e.b, n, 10) }
func (e *encoder) str(s string)     { e.b = append(e.b, '"'); e.strBody(s); e.b = append(e.b, '"') }
func (e *encoder) strBody(s string) { e.b = appendEscaped(e.b, s, e.ascii) }

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, "true"...)
	} else {
		e.b = append(e.b, "false"...)
	}
}

// hex appends the low n*4 bits of v as n lower-case hex digits.
func (e *encoder) hex(v uint64, n int) {
	const digits = "0123456789abcdef"
	for i := n - 1; i >= 0; i-- {
		e.b = append(e.b, digits[(v>>(uint(i)*4))&0xf])
	}
}

// cursor appends the opaque cursor for prefix+id (standard base64, like Slack's).
func (e *encoder) cursor(prefix, id string) {
	var tmp [64]byte
	src := append(append(tmp[:0], prefix...), id...)
	e.b = base64.StdEncoding.AppendEncode(e.b, src)
}

// errorBody is {"ok":false,"error":code}.
func (e *encoder) errorBody(code string) {
	e.raw(`{"ok":false,"error":`)
	e.str(code)
	e.byte('}')
}

// Escape classes for single bytes below utf8.RuneSelf.
const (
	escNone  = 0 // copy as is
	escShort = 1 // two-character escape (\" \\ \n …)
	escU     = 2 // \u00XX
)

// escTable and escTableASCII classify every ASCII byte; bytes ≥ 0x80 are
// handled as UTF-8 sequences.
var escTable, escTableASCII = func() (t, a [utf8.RuneSelf]byte) {
	for c := 0; c < 0x20; c++ {
		t[c] = escU
	}
	for _, c := range []byte{'"', '\\', '\n', '\r', '\t', '\b', '\f'} {
		t[c] = escShort
	}
	a = t
	a['/'] = escShort
	return t, a
}()

var shortEscape = [utf8.RuneSelf]byte{'"': '"', '\\': '\\', '/': '/', '\n': 'n', '\r': 'r', '\t': 't', '\b': 'b', '\f': 'f'}

// appendEscaped appends the body of a JSON string (no quotes) for s.
func appendEscaped(dst []byte, s string, ascii bool) []byte {
	table := &escTable
	if ascii {
		table = &escTableASCII
	}
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch table[c] {
			case escNone:
				i++
				continue
			case escShort:
				dst = append(dst, s[start:i]...)
				dst = append(dst, '\\', shortEscape[c])
			default:
				dst = append(dst, s[start:i]...)
				dst = appendU(dst, rune(c))
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case ascii:
			dst = append(dst, s[start:i]...)
			if r > 0xffff {
				r -= 0x10000
				dst = appendU(dst, 0xd800+(r>>10))
				dst = appendU(dst, 0xdc00+(r&0x3ff))
			} else {
				dst = appendU(dst, r)
			}
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = appendU(dst, r)
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(dst, s[start:]...)
}

// appendU appends \uXXXX for a rune in the BMP.
func appendU(dst []byte, r rune) []byte {
	const digits = "0123456789abcdef"
	return append(dst, '\\', 'u', digits[(r>>12)&0xf], digits[(r>>8)&0xf], digits[(r>>4)&0xf], digits[r&0xf])
}

// offsetCursor appends the cursor for prefix + a decimal offset.
func (e *encoder) offsetCursor(prefix string, n int) {
	var tmp [64]byte
	src := strconv.AppendInt(append(tmp[:0], prefix...), int64(n), 10)
	e.b = base64.StdEncoding.AppendEncode(e.b, src)
}

// writePaging appends ,"paging":{…} for classic count/page paging.
func (e *encoder) writePaging(count, total, page int) {
	pages := (total + count - 1) / count
	e.raw(`,"paging":{"count":`)
	e.int(int64(count))
	e.raw(`,"total":`)
	e.int(int64(total))
	e.raw(`,"page":`)
	e.int(int64(page))
	e.raw(`,"pages":`)
	e.int(int64(pages))
	e.byte('}')
}
