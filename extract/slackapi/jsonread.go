package slackapi

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// fieldError is a value of the wrong type in a Slack payload. path names
// the field from the record down: "updated", "profile.email", "scopes[2].name".
type fieldError struct {
	path string
	got  string // what came, e.g. `string "yesterday"`
	want string // what the field holds, e.g. "a Unix time"
}

// missing is the error of a required field that is absent or null.
func missing(path string) *fieldError { return &fieldError{path: path} }

func (e *fieldError) Error() string {
	if e.got == "" {
		return e.path + " is missing"
	}
	if e.path == "" {
		return "got " + e.got + ", want " + e.want
	}
	return e.path + ": got " + e.got + ", want " + e.want
}

// underField puts err below the field key (or list index "[i]"). A syntax
// error keeps its offset and gains the field's name.
func underField(key string, err error) error {
	key = printable(key)
	var re *recordError
	if errors.As(err, &re) {
		return err // already placed in its list
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		switch {
		case fe.path == "":
			fe.path = key
		case strings.HasPrefix(fe.path, "["):
			fe.path = key + fe.path
		default:
			fe.path = key + "." + fe.path
		}
		return fe
	}
	var se *syntaxError
	if errors.As(err, &se) && !strings.HasPrefix(se.msg, "field ") {
		se.msg = "field " + key + ": " + se.msg
		return se
	}
	return err
}

// wrong returns the error for the value at the cursor, which is not want:
// a fieldError, or a syntaxError when the value is not JSON at all (lines
// of the analytics files are not checked before they are read).
func (p *flatObject) wrong(want string) error {
	if !p.validStart() {
		return p.errorf("want a JSON value, got %s", p.token())
	}
	return &fieldError{got: p.describe(), want: want}
}

// validStart reports whether a JSON value starts at the cursor: a string,
// an object or list, true, false, null or a number.
func (p *flatObject) validStart() bool {
	q := *p
	switch c := q.peek(); {
	case c == '"':
		_, _, err := q.rawString()
		return err == nil
	case c == '{' || c == '[':
		return true
	case c == 't' || c == 'f' || c == 'n':
		return q.literal("true") || q.literal("false") || q.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		end := q.i
		for end < len(q.b) && strings.IndexByte("0123456789-+.eE", q.b[end]) >= 0 {
			end++
		}
		var n json.Number
		return json.Unmarshal(q.b[q.i:end], &n) == nil && (end == len(q.b) || !isWordByte(q.b[end]))
	}
	return false
}

// describe says what the value at the cursor is, for error messages:
// `string "yesterday"`, `number 12`, `true`, `null`, `an object`, `a list`.
func (p *flatObject) describe() string {
	if p.i >= len(p.b) {
		return "nothing"
	}
	switch c := p.b[p.i]; {
	case c == '"':
		q := *p
		s, err := q.str()
		if err != nil {
			return "a broken string"
		}
		return "string " + quoteShort(s)
	case c == '{':
		return "an object"
	case c == '[':
		return "a list"
	case c == 't' || c == 'f' || c == 'n':
		return p.token()
	}
	return "number " + p.token()
}

// quoteShort quotes s for an error message, cut to 40 characters.
func quoteShort(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		return strconv.Quote(string(r[:40])) + "…"
	}
	return strconv.Quote(s)
}

func (p *flatObject) peek() byte {
	if p.i >= len(p.b) {
		return 0
	}
	return p.b[p.i]
}

// text reads a string; null reads as "".
func (p *flatObject) text() (string, error) {
	if c := p.peek(); c != '"' && c != 'n' {
		return "", p.wrong("a string")
	}
	s, err := p.str()
	if err != nil {
		var se *syntaxError
		if errors.As(err, &se) {
			return "", err
		}
		return "", p.wrong("a string")
	}
	return s, nil
}

// optText reads a string; valid is false for null.
func (p *flatObject) optText() (s string, valid bool, err error) {
	if p.literal("null") {
		return "", false, nil
	}
	s, err = p.text()
	return s, err == nil, err
}

// flag reads true or false; valid is false for null.
func (p *flatObject) flag() (v, valid bool, err error) {
	switch {
	case p.literal("true"):
		return true, true, nil
	case p.literal("false"):
		return false, true, nil
	case p.literal("null"):
		return false, false, nil
	}
	return false, false, p.wrong("true or false")
}

// whole reads a whole number; null reads as 0.
func (p *flatObject) whole() (int64, error) {
	if c := p.peek(); c != '-' && (c < '0' || c > '9') && c != 'n' {
		return 0, p.wrong("a whole number")
	}
	start := p.i
	n, err := p.int()
	if err != nil {
		p.i = start
		return 0, p.wrong("a whole number")
	}
	return n, nil
}

// unix reads a Unix time in seconds: a whole number, or a string holding
// one (Slack sends both); a fraction is dropped. null and "" read as 0.
func (p *flatObject) unix() (int64, error) {
	start := p.i
	var s string
	switch c := p.peek(); {
	case c == '"':
		v, err := p.str()
		if err != nil {
			return 0, err
		}
		s = v
	case c == 'n' && p.literal("null"):
		return 0, nil
	case c == '-' || c >= '0' && c <= '9':
		for p.i < len(p.b) && strings.IndexByte("0123456789-+.eE", p.b[p.i]) >= 0 {
			p.i++
		}
		s = string(p.b[start:p.i])
	default:
		return 0, p.wrong("a Unix time")
	}
	if s == "" {
		return 0, nil
	}
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err == nil && strings.Trim(frac, "0123456789") == "" && n > -1<<40 && n < 1<<40 {
		return n, nil
	}
	end := p.i
	p.i = start
	e := p.wrong("a Unix time")
	p.i = end
	return 0, e
}

// loose reads a string or a number as its text; null reads as "". Slack
// documents some IDs and dates as strings and sends numbers.
func (p *flatObject) loose() (string, error) {
	if c := p.peek(); c == '-' || c >= '0' && c <= '9' {
		start := p.i
		if err := p.skip(); err != nil {
			return "", err
		}
		var n json.Number
		if err := json.Unmarshal(p.b[start:p.i], &n); err != nil {
			end := p.i
			p.i = start
			e := p.wrong("a string or a number")
			p.i = end
			return "", e
		}
		return string(n), nil
	}
	if c := p.peek(); c != '"' && c != 'n' {
		return "", p.wrong("a string or a number")
	}
	return p.text()
}

// object reads a nested object, calling fn for each key as each does; null
// reads as an empty object.
func (p *flatObject) object(fn func(key []byte) error) error {
	if p.literal("null") {
		return nil
	}
	if p.peek() != '{' {
		return p.wrong("an object")
	}
	return p.members(fn)
}

// list reads a list, calling fn with the cursor at each element, which fn
// must consume; null reads as an empty list.
func (p *flatObject) list(fn func(i int) error) error {
	if p.literal("null") {
		return nil
	}
	if p.peek() != '[' {
		return p.wrong("a list")
	}
	p.i++
	p.ws()
	if p.peek() == ']' {
		p.i++
		return nil
	}
	for i := 0; ; i++ {
		p.ws()
		if err := fn(i); err != nil {
			return underField("["+strconv.Itoa(i)+"]", err)
		}
		p.ws()
		switch p.peek() {
		case ',':
			p.i++
		case ']':
			p.i++
			return nil
		default:
			return p.errorf("want ',' or ']' in a list")
		}
	}
}

// texts reads a list of strings, calling fn for each.
func (p *flatObject) texts(fn func(s string)) error {
	return p.list(func(int) error {
		if p.peek() != '"' {
			return p.wrong("a string")
		}
		s, err := p.text()
		if err == nil {
			fn(s)
		}
		return err
	})
}

// rawValue returns the value at the cursor as it is written, consuming it.
func (p *flatObject) rawValue() ([]byte, error) {
	start := p.i
	if err := p.skip(); err != nil {
		return nil, err
	}
	return p.b[start:p.i], nil
}
