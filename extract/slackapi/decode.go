package slackapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// page is one decoded page of a paged Slack list.
type page[T any] struct {
	items []T
	next  string // response_metadata.next_cursor; "" on the last page
	pages int    // paging.pages of count/page paging; 0 when absent
	total int    // paging.total: records in the whole listing; -1 when absent
}

// listSpec says how one method's answer holds its records, and decodes it.
// Each record is read on its own, so an error names the record (its index
// and ID) and the field: members[17] (id U0123).updated: got string
// "yesterday", want a Unix time.
type listSpec[T any] struct {
	method string
	field  string // the key of the list, e.g. "members"
	// keyed lists are objects from ID to record (team.billableInfo); item
	// then gets each record's key.
	keyed bool
	// idKey names the field that identifies a record in error messages.
	idKey string
	// item reads one record at the cursor into it, and checks that the
	// fields every record needs are there.
	item func(p *flatObject, key string, it *T) error
	// order, when set, sorts each page's records (a keyed list has no
	// order of its own).
	order func(a, b *T) int
}

// decode reads one page: the envelope (ok, error, next_cursor, paging) and
// every record. Slack's error answers become the same errors as a failed
// call; anything else that is not the documented shape is a KindMalformed
// *Error naming the method and, where there is one, the record and field.
func (s listSpec[T]) decode(body []byte) (page[T], error) {
	pg := page[T]{total: -1}
	raw, env, err := s.envelope(body, &pg)
	if err != nil {
		return pg, err
	}
	if !env.OK {
		return pg, classify(s.method, "", envelopeError(env))
	}
	switch {
	case raw == nil:
		return pg, s.malformed("field %s is missing", s.field)
	case string(raw) == "null":
		return pg, s.malformed("field %s is null", s.field)
	}
	p := flatObject{b: raw}
	if s.keyed {
		err = s.entries(&p, &pg)
	} else {
		err = s.records(&p, &pg)
	}
	if err == nil && s.order != nil {
		slices.SortStableFunc(pg.items, func(a, b T) int { return s.order(&a, &b) })
	}
	return pg, err
}

// envelope checks that body is JSON and reads its top level, returning the
// list's raw text (nil when absent).
func (s listSpec[T]) envelope(body []byte, pg *page[T]) ([]byte, *Envelope, error) {
	if err := validJSON(body); err != nil {
		return nil, nil, &Error{Method: s.method, Kind: KindMalformed, Detail: "malformed response: " + err.Error(), Err: err}
	}
	env := &Envelope{}
	var raw []byte
	p := flatObject{b: body}
	err := p.each(func(key []byte) (err error) {
		switch string(key) {
		case "ok":
			env.OK, _, err = p.flag()
		case "error":
			env.Error, err = p.text()
		case "needed":
			env.Needed, err = p.loose()
		case "provided":
			env.Provided, err = p.loose()
		case "response_metadata":
			err = p.object(func(key []byte) error { return readMetadata(&p, key, env) })
		case "paging":
			err = p.object(func(key []byte) (err error) {
				var n int64
				switch string(key) {
				case "pages":
					n, err = p.whole()
					pg.pages = int(min(max(n, 0), 1<<30))
				case "total":
					n, err = p.whole()
					pg.total = int(min(max(n, 0), 1<<40))
				default:
					err = p.skip()
				}
				return err
			})
		case s.field:
			raw, err = p.rawValue()
		default:
			err = p.skip()
		}
		return err
	})
	if err != nil {
		return nil, nil, s.malformed("%v", err)
	}
	pg.next = env.ResponseMetadata.NextCursor
	return raw, env, nil
}

// readMetadata reads one key of response_metadata.
func readMetadata(p *flatObject, key []byte, env *Envelope) error {
	m := &env.ResponseMetadata
	switch string(key) {
	case "next_cursor":
		s, err := p.text()
		m.NextCursor = s
		return err
	case "messages":
		return p.texts(func(s string) { m.Messages = append(m.Messages, s) })
	case "warnings":
		return p.texts(func(s string) { m.Warnings = append(m.Warnings, s) })
	}
	return p.skip()
}

// envelopeError is Slack's error answer, with any control characters in
// Slack's text escaped: it ends up in messages.
func envelopeError(env *Envelope) error {
	code := printable(env.Error)
	if code == "" {
		code = "unknown_error"
	}
	se := slackError{Err: code, Needed: printable(env.Needed), Provided: printable(env.Provided)}
	for _, m := range env.ResponseMetadata.Messages {
		se.Messages = append(se.Messages, printable(m))
	}
	se.Warnings = env.ResponseMetadata.Warnings
	return se
}

// records reads a list of records.
func (s listSpec[T]) records(p *flatObject, pg *page[T]) error {
	if p.peek() != '[' {
		return s.malformed("field %s: got %s, want a list", s.field, p.describe())
	}
	return s.wrapRecord(p.list(func(i int) error {
		start := p.i
		var it T
		if err := s.item(p, "", &it); err != nil {
			return &recordError{index: i, id: s.idOf(p.b, start), err: err}
		}
		pg.items = append(pg.items, it)
		return nil
	}))
}

// entries reads an object of records keyed by ID.
func (s listSpec[T]) entries(p *flatObject, pg *page[T]) error {
	if p.peek() != '{' {
		return s.malformed("field %s: got %s, want an object", s.field, p.describe())
	}
	return s.wrapRecord(p.each(func(key []byte) error {
		var it T
		if err := s.item(p, string(key), &it); err != nil {
			return &recordError{key: string(key), err: err}
		}
		pg.items = append(pg.items, it)
		return nil
	}))
}

// recordError is an error in one record of a list.
type recordError struct {
	index int
	key   string // the record's key in a keyed list
	id    string
	err   error
}

func (e *recordError) Error() string { return e.err.Error() }
func (e *recordError) Unwrap() error { return e.err }

// wrapRecord turns an error met while reading records into the method's
// malformed-response error: members[17] (id U0123).updated: got …
func (s listSpec[T]) wrapRecord(err error) error {
	if err == nil {
		return nil
	}
	var re *recordError
	if !errors.As(err, &re) {
		return s.malformed("field %s: %v", s.field, err)
	}
	where := s.field + "[" + strconv.Itoa(re.index) + "]"
	if s.keyed {
		where = s.field + "." + printable(re.key)
	}
	if re.id != "" {
		where += " (" + s.idKey + " " + printableID(re.id) + ")"
	}
	var fe *fieldError
	if errors.As(re.err, &fe) {
		return s.malformed("%s.%v", where, fe)
	}
	return s.malformed("%s: %v", where, re.err)
}

// idOf finds the record's ID for an error message: the idKey field of the
// object starting at b[start:], or "".
func (s listSpec[T]) idOf(b []byte, start int) string {
	if s.idKey == "" {
		return ""
	}
	p := flatObject{b: b, i: start}
	if p.skip() != nil {
		return ""
	}
	q := flatObject{b: b[start:p.i]}
	var id string
	q.each(func(key []byte) error {
		if string(key) == s.idKey && id == "" {
			v, err := q.loose()
			id = v
			return err
		}
		return q.skip()
	})
	return id
}

// printableID is id as it is when it is short and plain, else quoted.
func printableID(id string) string {
	if len(id) <= 40 && printable(id) == id && !strings.ContainsAny(id, " ()") {
		return id
	}
	return quoteShort(id)
}

func (s listSpec[T]) malformed(format string, args ...any) *Error {
	return &Error{Method: s.method, Kind: KindMalformed, Detail: "malformed response: " + fmt.Sprintf(format, args...)}
}

// validJSON reports whether body is one JSON value, saying where it breaks.
func validJSON(body []byte) error {
	if json.Valid(body) {
		return nil
	}
	var v struct{}
	err := json.Unmarshal(body, &v)
	var se *json.SyntaxError
	switch {
	// The offset is past the end both for a body cut short and for a
	// whole body whose last byte is wrong ("]" closing an object): only
	// the first is truncated.
	case errors.As(err, &se) && se.Offset >= int64(len(body)) && se.Error() == "unexpected end of JSON input":
		return errors.New("truncated JSON (the body ended early)")
	case errors.As(err, &se):
		return fmt.Errorf("invalid JSON at byte %d: %s", se.Offset, se.Error())
	case err != nil:
		return fmt.Errorf("invalid JSON: %w", err)
	}
	return errors.New("invalid JSON")
}
