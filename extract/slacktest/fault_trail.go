package slacktest

import (
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// pageTrails remembers, for every listing (a paged method with the same
// parameters but the token and the position), the first cursor it was
// called with and the parameters of its previous page: what
// FaultRepeatCursor with RepeatFirst and FaultDuplicatePage need.
type pageTrails struct {
	mu sync.Mutex
	m  map[string]*pageTrail
}

// pageTrail is one listing's paging so far.
type pageTrail struct {
	first     string     // the first cursor the listing was called with
	curPos    string     // the position of the latest call
	cur, prev url.Values // parameters of the latest position and the one before it
}

// trailView is what a call sees of its listing: prev is nil on a first
// page (a listing starting again has no previous page).
type trailView struct {
	first string
	prev  url.Values
}

// positionParams are the parameters that say which page a call asks for.
var positionParams = [...]string{"cursor", "page", "startIndex"}

// maxTrails bounds the memory: past it, every trail is forgotten.
const maxTrails = 4096

// note records a call of method with params and returns its listing's
// trail as it stood before the call. A retry (the same position again)
// does not move the trail.
func (t *pageTrails) note(method string, params url.Values) trailView {
	clean := url.Values{}
	var pos strings.Builder
	for k, v := range params {
		if k != "token" {
			clean[k] = v
		}
	}
	for _, k := range positionParams {
		pos.WriteString(params.Get(k) + "\x00")
	}
	key := listingKey(method, clean)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil || len(t.m) >= maxTrails {
		t.m = make(map[string]*pageTrail)
	}
	tr := t.m[key]
	if tr == nil {
		tr = &pageTrail{}
		t.m[key] = tr
	}
	switch {
	case atStart(params):
		tr.prev, tr.cur, tr.curPos = nil, clean, pos.String()
	case pos.String() != tr.curPos:
		tr.prev, tr.cur, tr.curPos = tr.cur, clean, pos.String()
	}
	if tr.first == "" {
		tr.first = params.Get("cursor")
	}
	return trailView{first: tr.first, prev: tr.prev}
}

// listingKey names a listing: the method and its parameters without the
// position.
func listingKey(method string, clean url.Values) string {
	rest := url.Values{}
	for k, v := range clean {
		rest[k] = v
	}
	for _, k := range positionParams {
		delete(rest, k)
	}
	return method + "?" + rest.Encode()
}

// atStart reports whether params ask for a listing's first page.
func atStart(params url.Values) bool {
	page, _ := strconv.Atoi(params.Get("page"))
	start, _ := strconv.Atoi(params.Get("startIndex"))
	return params.Get("cursor") == "" && page <= 1 && start <= 1
}
