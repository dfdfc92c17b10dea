package slackapi

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// printable is s as it is when every character prints, else quoted with
// escapes, so text from Slack cannot put control characters in a message.
func printable(s string) string {
	if q := strconv.Quote(s); q[1:len(q)-1] != s {
		return q
	}
	return s
}

// flatObject walks one JSON object whose values the caller reads as strings,
// integers or booleans, without reflection: the member analytics files have
// millions of such lines. Nested values under keys the caller does not want
// are skipped whole.
type flatObject struct {
	b []byte
	i int
}

func (p *flatObject) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// syntaxError is text that is not the JSON expected, at byte offset.
type syntaxError struct {
	offset int
	msg    string
	cut    bool // the text ended early
}

func (e *syntaxError) Error() string { return fmt.Sprintf("at byte %d: %s", e.offset, e.msg) }

func (p *flatObject) errorf(format string, args ...any) error {
	return &syntaxError{offset: p.i, msg: fmt.Sprintf(format, args...), cut: p.i >= len(p.b)}
}

// each reads the whole text as one object, calling fn for every key with
// the parser positioned at the value; fn must consume the value (with str,
// int, bool, skip or the typed readers of jsonread.go).
func (p *flatObject) each(fn func(key []byte) error) error {
	p.ws()
	if err := p.members(fn); err != nil {
		return err
	}
	return p.end()
}

// members reads the object at the cursor as each does, stopping after it.
func (p *flatObject) members(fn func(key []byte) error) error {
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		return p.errorf("want a JSON object")
	}
	p.i++
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return nil
	}
	for {
		p.ws()
		start := p.i
		key, escaped, err := p.rawString()
		if err != nil {
			return err
		}
		if escaped {
			var k string
			if err := json.Unmarshal(p.b[start:p.i], &k); err != nil {
				return p.errorf("invalid escape in key %q", p.b[start:p.i])
			}
			key = []byte(k)
		}
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return p.errorf("want ':' after key %q", key)
		}
		p.i++
		p.ws()
		if err := fn(key); err != nil {
			return underField(string(key), err)
		}
		p.ws()
		if p.i >= len(p.b) {
			return p.errorf("the object is cut off")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return nil
		default:
			return p.errorf("want ',' or '}'")
		}
	}
}

func (p *flatObject) end() error {
	p.ws()
	if p.i != len(p.b) {
		return p.errorf("unexpected text after the object")
	}
	return nil
}

// rawString reads a string token, returning its bytes between the quotes and
// whether it holds escapes.
func (p *flatObject) rawString() ([]byte, bool, error) {
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return nil, false, p.errorf("want a string")
	}
	start := p.i + 1
	escaped := false
	for j := start; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c == '\\':
			escaped = true
			j++
		case c == '"':
			p.i = j + 1
			return p.b[start:j], escaped, nil
		case c < 0x20:
			return nil, false, p.errorf("control character in a string")
		}
	}
	p.i = len(p.b)
	return nil, false, p.errorf("the string is cut off")
}

// str reads a string value; null reads as "".
func (p *flatObject) str() (string, error) {
	if p.literal("null") {
		return "", nil
	}
	start := p.i
	raw, escaped, err := p.rawString()
	if err != nil {
		return "", err
	}
	if !escaped {
		return string(raw), nil
	}
	var s string
	if err := json.Unmarshal(p.b[start:p.i], &s); err != nil {
		return "", p.errorf("invalid escape in a string")
	}
	return s, nil
}

// int reads an integer value; null reads as 0.
func (p *flatObject) int() (int64, error) {
	if p.literal("null") {
		return 0, nil
	}
	start := p.i
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	if p.i == start || (p.i == start+1 && p.b[start] == '-') {
		return 0, fmt.Errorf("want a number, got %s", p.token())
	}
	if p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i = start
		return 0, fmt.Errorf("want a whole number, got %s", p.token())
	}
	return strconv.ParseInt(string(p.b[start:p.i]), 10, 64)
}

// bool reads a boolean; null reads as valid == false.
func (p *flatObject) bool() (v, valid bool, err error) {
	switch {
	case p.literal("true"):
		return true, true, nil
	case p.literal("false"):
		return false, true, nil
	case p.literal("null"):
		return false, false, nil
	}
	return false, false, fmt.Errorf("want true or false, got %s", p.token())
}

func (p *flatObject) literal(word string) bool {
	if len(p.b)-p.i >= len(word) && string(p.b[p.i:p.i+len(word)]) == word {
		next := p.i + len(word)
		if next == len(p.b) || !isWordByte(p.b[next]) {
			p.i = next
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// token describes the value at the cursor for error messages.
func (p *flatObject) token() string {
	end := p.i
	for end < len(p.b) && end-p.i < 20 && p.b[end] != ',' && p.b[end] != '}' {
		end++
	}
	if end == p.i {
		return "nothing"
	}
	return printable(string(p.b[p.i:end]))
}

// skip reads any value: a string, number, literal, array or object.
func (p *flatObject) skip() error {
	if p.i >= len(p.b) {
		return p.errorf("a value is missing")
	}
	switch c := p.b[p.i]; {
	case c == '"':
		_, _, err := p.rawString()
		return err
	case c == '{' || c == '[':
		depth := 0
		for p.i < len(p.b) {
			switch p.b[p.i] {
			case '"':
				if _, _, err := p.rawString(); err != nil {
					return err
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					p.i++
					return nil
				}
			}
			p.i++
		}
		return p.errorf("a nested value is cut off")
	default:
		start := p.i
		for p.i < len(p.b) && (isWordByte(p.b[p.i]) || p.b[p.i] == '-' || p.b[p.i] == '+' || p.b[p.i] == '.') {
			p.i++
		}
		if p.i == start {
			return p.errorf("want a value")
		}
		return nil
	}
}
