package slacktest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// call is one Web API request being answered.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	method string
	params url.Values
	tok    Token
	user   *User // the token's user; nil for a token without one
	team   *Team // the token's workspace; nil for org tokens

	status  int    // HTTP status written, for the request log
	errCode string // Slack error written, for the request log

	unlock    func()    // releases the org's lock; nil when not held
	exclusive bool      // the lock the call takes is the exclusive one
	trail     trailView // its listing's paging so far (paged methods)
}

// lockOrg holds the org's lock for the rest of the call: shared for a
// method that only reads, exclusive for one that writes. Every response
// helper (write and those built on it) releases it before sending, so no
// lock is held while a slow client reads.
func (c *call) lockOrg(exclusive bool) {
	mu := &c.s.org.mu
	c.exclusive = exclusive
	if exclusive {
		mu.Lock()
		c.unlock = mu.Unlock
	} else {
		mu.RLock()
		c.unlock = mu.RUnlock
	}
}

// notePage records a call of a paged method in its listing's trail.
func (c *call) notePage() {
	if shape, ok := pageShapes[c.method]; ok && shape.paged() {
		c.trail = c.s.pages.note(c.method, c.params)
	}
}

// release lets go of the org's lock if the call holds it. After it the
// call must not read the org's accounts, groups or messages.
func (c *call) release() {
	if c.unlock != nil {
		c.unlock()
		c.unlock = nil
	}
}

var (
	jsonContentType = []string{"application/json; charset=utf-8"}
	htmlContentType = []string{"text/html; charset=utf-8"}
)

const maxBody = 8 << 20

// param returns a request parameter; "" means absent (clients such as
// slack-go send empty values for unset options).
func (c *call) param(name string) string {
	return c.params.Get(name)
}

// parse reads the parameters from the query string and the body: form,
// multipart form or a JSON object. It returns a Slack error code on failure.
func (c *call) parse() string {
	r := c.r
	ct := r.Header.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.ToLower(strings.TrimSpace(ct))
	r.Body = http.MaxBytesReader(c.w, r.Body, maxBody)
	switch {
	case r.Method == http.MethodPost && ct == "application/json":
		c.params = r.URL.Query()
		if err := parseJSONParams(r.Body, c.params); err != nil {
			return "invalid_json"
		}
	case ct == "multipart/form-data":
		if err := r.ParseMultipartForm(maxBody); err != nil {
			return "invalid_form_data"
		}
		c.params = r.Form
	default:
		if err := r.ParseForm(); err != nil {
			return "invalid_form_data"
		}
		c.params = r.Form
	}
	return ""
}

// parseJSONParams adds the members of a JSON object body to params: strings
// as they are, numbers and booleans as their JSON text, null as absent, and
// arrays or objects as raw JSON.
func parseJSONParams(body io.Reader, params url.Values) error {
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(body)
	if err := dec.Decode(&obj); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // empty body
		}
		return fmt.Errorf("decode JSON body: %w", err)
	}
	for k, v := range obj {
		v = bytes.TrimSpace(v)
		switch {
		case len(v) == 0 || string(v) == "null":
		case v[0] == '"':
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("decode JSON body member %q: %w", k, err)
			}
			params.Set(k, s)
		default:
			params.Set(k, string(v))
		}
	}
	return nil
}

// bearer returns the token of an "Authorization: Bearer …" header.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// write releases the org's lock and sends a complete response.
func (c *call) write(status int, contentType []string, body []byte) {
	c.release()
	h := c.w.Header()
	h["Content-Type"] = contentType
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	c.w.WriteHeader(status)
	_, _ = c.w.Write(body) // a client that went away is not our error
	c.status = status
}

// ok sends a successful JSON body.
func (c *call) ok(e *encoder) {
	c.write(http.StatusOK, jsonContentType, e.b)
}

// fail sends {"ok":false,"error":code} with HTTP 200, as Slack does.
func (c *call) fail(code string) {
	e := getEncoder(false)
	defer putEncoder(e)
	e.errorBody(code)
	c.errCode = code
	c.write(http.StatusOK, jsonContentType, e.b)
}

// missingScope sends missing_scope with the needed and provided scopes.
func (c *call) missingScope(needed string) {
	e := getEncoder(false)
	defer putEncoder(e)
	e.raw(`{"ok":false,"error":"missing_scope","needed":`)
	e.str(needed)
	e.raw(`,"provided":`)
	e.str(strings.Join(c.tok.Scopes, ","))
	e.byte('}')
	c.errCode = "missing_scope"
	c.write(http.StatusOK, jsonContentType, e.b)
}

// rateLimited sends HTTP 429 with Retry-After.
func (c *call) rateLimited(secs int) {
	c.w.Header().Set("Retry-After", strconv.Itoa(secs))
	e := getEncoder(false)
	defer putEncoder(e)
	e.errorBody("ratelimited")
	c.errCode = "ratelimited"
	c.write(http.StatusTooManyRequests, jsonContentType, e.b)
}

// workspace resolves the workspace a call is about: the team_id parameter
// when given, else the token's own workspace. Org tokens must name one
// (missing_argument); an unknown one is invalid_team_id; a workspace token
// whose user is not a member of the named workspace gets team_access_not_granted.
func (c *call) workspace() (*Team, string) {
	id := c.param("team_id")
	if id == "" {
		if c.team == nil {
			return nil, "missing_argument"
		}
		return c.team, ""
	}
	t := c.s.org.Team(id)
	if t == nil {
		return nil, "invalid_team_id"
	}
	if c.tok.Kind != TokenOrg && t != c.team && (c.user == nil || !c.user.InTeam(t.ID)) {
		return nil, "team_access_not_granted"
	}
	return t, ""
}

// limitParam parses the limit parameter: absent gives def; non-numbers and
// values below 1 are invalid_limit; values above max are capped to max when
// capAbove is set (users.list) and invalid_limit otherwise.
func (c *call) limitParam(def, max int, capAbove bool) (int, string) {
	v := c.param("limit")
	if v == "" {
		return def, ""
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, "invalid_limit"
	}
	if n > max {
		if !capAbove {
			return 0, "invalid_limit"
		}
		n = max
	}
	return n, ""
}

// cursorParam decodes the cursor parameter into a position in Org.Users.
// Cursors are base64 of prefix+userID; absent means 0; anything else that
// does not name an account is invalid_cursor.
func (c *call) cursorParam(prefix string) (int, string) {
	v := c.param("cursor")
	if v == "" {
		return 0, ""
	}
	if len(v) > 128 {
		return 0, "invalid_cursor"
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return 0, "invalid_cursor"
	}
	id, ok := strings.CutPrefix(string(raw), prefix)
	if !ok {
		return 0, "invalid_cursor"
	}
	i, found := c.s.org.userIndex(id)
	if !found {
		return 0, "invalid_cursor"
	}
	return i, ""
}

// intParam parses an integer parameter; absent gives def, and ok is false
// when the value is not an integer.
func (c *call) intParam(name string, def int) (n int, ok bool) {
	v := c.param(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// epochParam parses a Unix-time parameter in whole or fractional seconds
// ("1700000000" or "1700000000.123456", rounded down); absent gives def,
// and ok is false when the value is not a number.
func (c *call) epochParam(name string, def int64) (ts int64, ok bool) {
	v := c.param(name)
	if v == "" {
		return def, true
	}
	whole, frac, dotted := strings.Cut(v, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || (dotted && strings.Trim(frac, "0123456789") != "") {
		return 0, false
	}
	if dotted && n < 0 && strings.Trim(frac, "0") != "" {
		n--
	}
	return n, true
}

// boolParam parses a boolean parameter ("true"/"false", "1"/"0"); absent
// gives def, and ok is false for anything else.
func (c *call) boolParam(name string, def bool) (v, ok bool) {
	switch strings.ToLower(c.param(name)) {
	case "":
		return def, true
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// offsetCursor decodes a cursor that is base64 of prefix + a decimal
// offset; absent means 0. Anything else is invalid_cursor.
func (c *call) offsetCursor(prefix string) (int, string) {
	v := c.param("cursor")
	if v == "" {
		return 0, ""
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(v) > 128 {
		return 0, "invalid_cursor"
	}
	num, ok := strings.CutPrefix(string(raw), prefix)
	if !ok {
		return 0, "invalid_cursor"
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return 0, "invalid_cursor"
	}
	return n, ""
}

// failWithMessage sends {"ok":false,"error":code} with a human-readable
// reason in response_metadata.messages, as Slack does for invalid_arguments.
func (c *call) failWithMessage(code, message string) {
	e := getEncoder(false)
	defer putEncoder(e)
	e.raw(`{"ok":false,"error":`)
	e.str(code)
	e.raw(`,"response_metadata":{"messages":[`)
	e.str("[ERROR] " + message)
	e.raw(`]}}`)
	c.errCode = code
	c.write(http.StatusOK, jsonContentType, e.b)
}
