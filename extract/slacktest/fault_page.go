package slacktest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// The page kinds change a method's real ok:true answer member by member:
// the top-level object is split into its members as sent, the list, the
// cursor or the paging object is replaced, and the object is joined again
// in the same order.

// alterPage returns the answer's body changed as f says, or false when
// this answer cannot show f.
func (c *call) alterPage(f Fault, a *answer, real func()) ([]byte, bool) {
	shape := pageShapes[c.method]
	ms, ok := splitObject(a.body)
	if !ok || a.status != http.StatusOK || (!shape.scim && string(ms.get("ok")) != "true") {
		return nil, false
	}
	switch f.Kind {
	case FaultRepeatCursor:
		ok = ms.setCursor(c.repeatCursor(f.Cursor))
	case FaultEndlessPages:
		ok = ms.endless(shape)
	case FaultEmptyPage:
		ok = ms.empty(shape, f)
	case FaultDuplicateItems:
		ok = ms.doubleItems(shape)
	case FaultDuplicatePage:
		ok = ms.setItems(shape, c.previousItems(shape, real))
	case FaultEchoToken:
		ok = ms.echo(c.tok.Value)
	default:
		ok = false
	}
	if !ok {
		return nil, false
	}
	return ms.join(), true
}

// repeatCursor is the cursor FaultRepeatCursor sends, "" when the call has none to repeat.
func (c *call) repeatCursor(which CursorRepeat) string {
	if which == RepeatFirst {
		return c.trail.first
	}
	return c.param("cursor")
}

// previousItems runs the method again for the listing's previous page and
// returns that answer's list, or nil when there is no previous page or it
// was not a success.
func (c *call) previousItems(shape pageShape, real func()) json.RawMessage {
	if c.trail.prev == nil {
		return nil
	}
	params := c.params
	c.params = c.trail.prev
	c.lockOrg(c.exclusive)
	a := c.capture(real)
	c.params = params
	ms, ok := splitObject(a.body)
	if !ok || a.status != http.StatusOK {
		return nil
	}
	return ms.get(shape.list)
}

// members is a JSON object's members in order, each value as sent.
type members []member

type member struct {
	key string
	val json.RawMessage
}

// splitObject splits a JSON object into its members.
func splitObject(b []byte) (members, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	var ms members
	for dec.More() {
		t, err := dec.Token()
		key, isKey := t.(string)
		if err != nil || !isKey {
			return nil, false
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		ms = append(ms, member{key: key, val: v})
	}
	return ms, true
}

// join writes the object again.
func (ms members) join() []byte {
	e := getEncoder(false)
	defer putEncoder(e)
	e.byte('{')
	for i, m := range ms {
		if i > 0 {
			e.byte(',')
		}
		e.str(m.key)
		e.byte(':')
		e.b = append(e.b, m.val...)
	}
	e.byte('}')
	return bytes.Clone(e.b)
}

// get returns the value of key, nil when absent.
func (ms members) get(key string) json.RawMessage {
	for _, m := range ms {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

// set replaces the value of key, or adds the member after "ok" (at the
// end when there is no "ok").
func (ms *members) set(key string, val []byte) {
	for i := range *ms {
		if (*ms)[i].key == key {
			(*ms)[i].val = val
			return
		}
	}
	at := len(*ms)
	if len(*ms) > 0 && (*ms)[0].key == "ok" {
		at = 1
	}
	*ms = append((*ms)[:at], append(members{{key: key, val: val}}, (*ms)[at:]...)...)
}

// remove leaves key out.
func (ms *members) remove(key string) {
	for i := range *ms {
		if (*ms)[i].key == key {
			*ms = append((*ms)[:i], (*ms)[i+1:]...)
			return
		}
	}
}

// jsonString is s as a JSON string.
func jsonString(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

// setCursor sets response_metadata.next_cursor; false for "".
func (ms *members) setCursor(cursor string) bool {
	if cursor == "" {
		return false
	}
	ms.setMeta("next_cursor", jsonString(cursor))
	return true
}

// setMeta sets a member of response_metadata, adding the object if needed.
func (ms *members) setMeta(key string, val []byte) {
	meta, _ := splitObject(ms.get("response_metadata"))
	meta.set(key, val)
	ms.set("response_metadata", meta.join())
}

// endless makes the paging object (or SCIM's totalResults) claim one more
// page; false when the answer has none (a team.accessLogs cursor request).
func (ms *members) endless(shape pageShape) bool {
	num := func(v json.RawMessage) int {
		n, _ := strconv.Atoi(string(v))
		return n
	}
	if shape.scim {
		more := num(ms.get("startIndex")) + num(ms.get("itemsPerPage"))
		total := max(num(ms.get("totalResults")), more)
		ms.set("totalResults", strconv.AppendInt(nil, int64(total), 10))
		return true
	}
	paging, ok := splitObject(ms.get("paging"))
	if !ok {
		return false
	}
	page, count := num(paging.get("page")), num(paging.get("count"))
	total := max(num(paging.get("total")), count*(page+1))
	paging.set("total", strconv.AppendInt(nil, int64(total), 10))
	paging.set("pages", strconv.AppendInt(nil, int64(page+1), 10))
	ms.set("paging", paging.join())
	return true
}

// empty empties the list as f.List says, and the cursor with f.NoCursor.
func (ms *members) empty(shape pageShape, f Fault) bool {
	switch f.List {
	case ListNull:
		ms.set(shape.list, []byte("null"))
	case ListMissing:
		ms.remove(shape.list)
	default:
		ms.set(shape.list, joinItems(nil, shape.object))
	}
	if f.NoCursor && shape.cursor {
		ms.setMeta("next_cursor", []byte(`""`))
	}
	return true
}

// doubleItems repeats the list's items once; false for an empty list.
func (ms *members) doubleItems(shape pageShape) bool {
	items := splitItems(ms.get(shape.list), shape.object)
	if len(items) == 0 {
		return false
	}
	ms.set(shape.list, joinItems(append(items, items...), shape.object))
	return true
}

// setItems replaces the list by list; false when list is nil.
func (ms *members) setItems(shape pageShape, list json.RawMessage) bool {
	if list == nil {
		return false
	}
	ms.set(shape.list, list)
	return true
}

// echo adds the token to warning and response_metadata.messages.
func (ms *members) echo(token string) bool {
	ms.set("warning", jsonString(echoWarning+token))
	msgs := append([]byte{'['}, jsonString("[WARN] request arguments: token="+token)...)
	ms.setMeta("messages", append(msgs, ']'))
	return true
}

// splitItems returns a list's items as sent: an array's elements, or an
// object's members as "key":value.
func splitItems(list json.RawMessage, object bool) [][]byte {
	var items [][]byte
	if object {
		ms, _ := splitObject(list)
		for _, m := range ms {
			items = append(items, append(append(jsonString(m.key), ':'), m.val...))
		}
		return items
	}
	var elems []json.RawMessage
	_ = json.Unmarshal(list, &elems)
	for _, el := range elems {
		items = append(items, el)
	}
	return items
}

// joinItems writes items as an array, or as an object's members.
func joinItems(items [][]byte, object bool) []byte {
	open, end := byte('['), byte(']')
	if object {
		open, end = '{', '}'
	}
	b := []byte{open}
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	return append(b, end)
}
