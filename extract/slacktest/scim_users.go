package slacktest

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SCIM /Users. The accounts SCIM knows are the org's people: bots, app
// users and Slackbot are not users here (404), while deactivated people
// (active false) and pending invitations are. A write deactivates or
// reactivates an account as Org.setActive does, so users.list (deleted),
// team.billableInfo (billing_active), admin.users.list (is_active,
// deactivated_ts) and user groups follow.

const (
	scimDefaultCount = 10   // count when absent, as Slack documents
	scimMaxCount     = 1000 // larger counts are treated as 1000
	scimMaxBody      = 1 << 20
)

// scimUser returns the person a /Users/<id> path names, or answers 404.
func (s *Server) scimUser(c *call, id string) *User {
	u := s.org.user(id)
	if u == nil || !u.IsHuman() {
		c.scimError(http.StatusNotFound, "", "user_not_found", "no user with id "+id)
		return nil
	}
	return u
}

// scimGetUser answers GET /Users/<id>.
func (s *Server) scimGetUser(c *call, id string) {
	u := s.scimUser(c, id)
	if u == nil {
		return
	}
	s.scimSendUser(c, u, http.StatusOK)
}

// scimSendUser answers with one user resource.
func (s *Server) scimSendUser(c *call, u *User, status int) {
	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	s.writeSCIMUser(e, u, s.org.groupsOf()[u.ID])
	c.write(status, jsonContentType, e.b)
}

// scimListUsers answers GET /Users: people in ID order from startIndex
// (1-based; below 1 means 1), count of them (default 10, capped at 1000,
// negative means 0), optionally filtered by `userName eq "…"` or
// `emails.value eq "…"` (attribute, operator and value compared without
// regard to case; any other filter is 400 invalidFilter).
func (s *Server) scimListUsers(c *call, _ string) {
	start, err1 := atoiDefault(c.param("startIndex"), 1)
	count, err2 := atoiDefault(c.param("count"), scimDefaultCount)
	if err1 != nil || err2 != nil {
		c.scimError(http.StatusBadRequest, "invalidValue", "invalid_arguments", "startIndex and count must be integers")
		return
	}
	start, count = max(start, 1), min(max(count, 0), scimMaxCount)
	match, ok := parseSCIMFilter(c.param("filter"))
	if !ok {
		c.scimError(http.StatusBadRequest, "invalidFilter", "invalid_filter",
			`filter must be userName eq "…" or emails.value eq "…"`)
		return
	}
	var page []*User
	total := 0
	for _, u := range s.org.Users {
		if !u.IsHuman() || !match(u) {
			continue
		}
		total++
		if total >= start && len(page) < count {
			page = append(page, u)
		}
	}
	groups := s.org.groupsOf()
	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"schemas":["` + scimListSchema + `"],"totalResults":`)
	e.int(int64(total))
	e.raw(`,"itemsPerPage":`)
	e.int(int64(len(page)))
	e.raw(`,"startIndex":`)
	e.int(int64(start))
	e.raw(`,"Resources":[`)
	for i, u := range page {
		if i > 0 {
			e.byte(',')
		}
		s.writeSCIMUser(e, u, groups[u.ID])
	}
	e.raw(`]}`)
	c.write(http.StatusOK, jsonContentType, e.b)
}

// atoiDefault parses an optional integer.
func atoiDefault(v string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	return strconv.Atoi(v)
}

// parseSCIMFilter parses the supported filters; an empty filter matches
// everyone.
func parseSCIMFilter(f string) (func(*User) bool, bool) {
	f = strings.TrimSpace(f)
	if f == "" {
		return func(*User) bool { return true }, true
	}
	attr, rest, ok1 := strings.Cut(f, " ")
	op, quoted, ok2 := strings.Cut(strings.TrimSpace(rest), " ")
	value, err := strconv.Unquote(strings.TrimSpace(quoted))
	if !ok1 || !ok2 || err != nil || !strings.EqualFold(op, "eq") || !strings.HasPrefix(strings.TrimSpace(quoted), `"`) {
		return nil, false
	}
	switch strings.ToLower(attr) {
	case "username":
		return func(u *User) bool { return strings.EqualFold(u.Name, value) }, true
	case "emails.value", "emails", "email":
		return func(u *User) bool { return u.Email != "" && strings.EqualFold(u.Email, value) }, true
	}
	return nil, false
}

// scimPatchUser answers PATCH /Users/<id> with a PatchOp body whose
// operations set active: {"op":"replace","path":"active","value":false},
// or no path and the value {"active":false}; op add or replace (any case),
// value a boolean or "true"/"false" (as some identity providers send). Any
// other attribute, op or shape is 400. The last operation wins. Answers
// 200 with the user.
func (s *Server) scimPatchUser(c *call, id string) {
	u := s.scimUser(c, id)
	if u == nil || !s.scimMayChange(c, u) {
		return
	}
	active, scimType, msg := parsePatch(io.LimitReader(c.r.Body, scimMaxBody))
	if msg != "" {
		c.scimError(http.StatusBadRequest, scimType, "invalid_arguments", msg)
		return
	}
	u = s.org.setActive(u, active)
	s.scimSendUser(c, u, http.StatusOK)
}

// scimDeleteUser answers DELETE /Users/<id>: deactivates the account (also
// when it already is) and answers 204 with no body.
func (s *Server) scimDeleteUser(c *call, id string) {
	u := s.scimUser(c, id)
	if u == nil || !s.scimMayChange(c, u) {
		return
	}
	s.org.setActive(u, false)
	c.release()
	c.w.WriteHeader(http.StatusNoContent)
	c.status = http.StatusNoContent
}

// scimMayChange answers 403 and reports false when the token may not
// change u: nobody may change the primary owner, and a token may only
// change accounts with the same or fewer permissions (owner > admin >
// everyone else).
func (s *Server) scimMayChange(c *call, u *User) bool {
	switch {
	case u.IsPrimaryOwner:
		c.scimError(http.StatusForbidden, "", "cannot_modify_primary_owner", "the primary owner cannot be changed")
	case privilege(u) > privilege(c.user):
		c.scimError(http.StatusForbidden, "", "permission_denied", "the token's user has fewer permissions than "+u.ID)
	default:
		return true
	}
	return false
}

// patchBody is a PatchOp request.
type patchBody struct {
	Schemas    []string `json:"schemas"`
	Operations []struct {
		Op    string          `json:"op"`
		Path  string          `json:"path"`
		Value json.RawMessage `json:"value"`
	} `json:"Operations"`
}

// parsePatch reads a PatchOp body and returns the active value it sets, or
// the scimType and message of a 400.
func parsePatch(body io.Reader) (active bool, scimType, msg string) {
	var p patchBody
	if err := json.NewDecoder(body).Decode(&p); err != nil {
		return false, "invalidSyntax", "the body is not a JSON PatchOp: " + err.Error()
	}
	if !slices.Contains(p.Schemas, scimPatchSchema) {
		return false, "invalidSyntax", "schemas must contain " + scimPatchSchema
	}
	if len(p.Operations) == 0 {
		return false, "invalidSyntax", "Operations is empty"
	}
	for _, op := range p.Operations {
		if kind := strings.ToLower(op.Op); kind != "replace" && kind != "add" {
			return false, "invalidSyntax", "unsupported op " + strconv.Quote(op.Op) + ": slacktest models add and replace of active"
		}
		v := op.Value
		switch strings.ToLower(op.Path) {
		case "active":
		case "":
			var obj map[string]json.RawMessage
			if json.Unmarshal(op.Value, &obj) != nil || len(obj) != 1 {
				return false, "invalidValue", `without a path, value must be {"active":…}`
			}
			for k, val := range obj {
				if !strings.EqualFold(k, "active") {
					return false, "invalidPath", "unsupported attribute " + strconv.Quote(k) + ": slacktest models only active"
				}
				v = val
			}
		default:
			return false, "invalidPath", "unsupported path " + strconv.Quote(op.Path) + ": slacktest models only active"
		}
		b, ok := scimBool(v)
		if !ok {
			return false, "invalidValue", "active must be true or false"
		}
		active = b
	}
	return active, "", ""
}

// scimBool reads a JSON boolean, or a "true"/"false" string in any case.
func scimBool(v json.RawMessage) (bool, bool) {
	if len(v) == 0 || string(v) == "null" {
		return false, false
	}
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return b, true
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		switch strings.ToLower(s) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// writeSCIMUser writes one SCIM 2.0 user resource.
func (s *Server) writeSCIMUser(e *encoder, u *User, groups []*UserGroup) {
	e.raw(`{"schemas":["` + scimUserSchema + `","` + scimEnterpriseSchema + `"`)
	if u.IsRestricted {
		e.raw(`,"` + scimGuestSchema + `"`)
	}
	e.raw(`],"id":`)
	e.str(u.ID)
	e.raw(`,"externalId":"","userName":`)
	e.str(u.Name)
	e.raw(`,"nickName":`)
	e.str(u.Name)
	first, last := splitName(u)
	e.raw(`,"name":{"givenName":`)
	e.str(first)
	e.raw(`,"familyName":`)
	e.str(last)
	e.raw(`},"displayName":`)
	display := u.DisplayName
	if display == "" {
		display = u.RealName
	}
	e.str(display)
	e.raw(`,"profileUrl":`)
	if t := s.org.Team(u.TeamID); t != nil {
		e.str("https://" + t.Domain + ".slack.com/team/" + u.ID)
	} else {
		e.raw(`""`)
	}
	e.raw(`,"title":`)
	e.str(u.Title)
	e.raw(`,"timezone":`)
	e.str(u.TZ)
	e.raw(`,"active":`)
	e.bool(!u.Deleted)
	e.raw(`,"emails":[`)
	if u.Email != "" {
		e.raw(`{"value":`)
		e.str(u.Email)
		e.raw(`,"primary":true}`)
	}
	e.raw(`],"photos":[{"value":"https://avatars.slack-edge.com/`)
	e.hex(u.seed>>16, 12)
	e.raw(`_192.png","type":"photo"}],"groups":[`)
	for i, g := range groups {
		if i > 0 {
			e.byte(',')
		}
		e.raw(`{"value":`)
		e.str(g.ID)
		e.raw(`,"display":`)
		e.str(g.Name)
		e.byte('}')
	}
	e.raw(`],"` + scimEnterpriseSchema + `":{"employeeNumber":"`)
	e.b = appendEmployeeNumber(e.b, u)
	e.raw(`"}`)
	if u.IsRestricted {
		s.writeSCIMGuest(e, u)
	}
	e.raw(`,"meta":{"resourceType":"User","created":`)
	e.str(u.Created.UTC().Format(time.RFC3339))
	e.raw(`,"lastModified":`)
	e.str(u.Updated.UTC().Format(time.RFC3339))
	e.raw(`,"location":`)
	e.str(s.scimURL + "Users/" + u.ID)
	e.raw(`}}`)
}

// writeSCIMGuest writes the Slack guest extension: the guest type and,
// when the guest account expires, when.
func (s *Server) writeSCIMGuest(e *encoder, u *User) {
	e.raw(`,"` + scimGuestSchema + `":{"type":`)
	if u.IsUltraRestricted {
		e.str("single")
	} else {
		e.str("multi")
	}
	if exp := u.guestExpiration(s.org.Now.Unix()); exp > 0 {
		e.raw(`,"expiration":`)
		e.str(time.Unix(exp, 0).UTC().Format(time.RFC3339))
	}
	e.byte('}')
}
