package slacktest

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// team.accessLogs paging limits.
const (
	accessLogsDefaultCount = 100
	accessLogsMaxCount     = 1000 // count (classic) and limit (cursor)
	accessLogsMaxPage      = 100
)

// loginsCursor prefixes team.accessLogs cursors.
const loginsCursor = "logins:"

// teamAccessLogs answers team.accessLogs: the workspace's sign-in rows with
// date_first ≤ before (default now), newest date_first first.
//
// Classic paging (no limit and no cursor): count (default 100; above 1000
// is over_pagination_limit) and page (default 1; above 100 is
// over_pagination_limit), answered with "paging":{count,total,page,pages}
// and a response_metadata.next_cursor that continues after the page's last
// row ("" when none is left). Cursor paging (limit and/or cursor given):
// limit 1–1000 (default 100, else invalid_limit); the cursor carries the
// before of the first request and the position, so later requests ignore
// before; no paging object and no page cap.
//
// Order: date_first descending, ties by user ID ascending, then by the row's
// fixed index among the user's rows. A client restarting a classic listing
// at page 100 with before = the oldest date_first it has seen gets the rows
// at exactly that second again (before is inclusive) and must drop the ones
// it already has by (user_id, ip, user_agent), which identifies a row.
func (s *Server) teamAccessLogs(c *call) {
	o := s.org
	team, code := c.workspace()
	if code != "" {
		c.fail(code)
		return
	}
	before, ok := c.epochParam("before", o.Now.Unix())
	if !ok {
		c.failWithMessage("invalid_arguments", "invalid value for before: expected a Unix timestamp")
		return
	}
	var (
		refs         []loginRef
		total, count int
		page         int
		more         bool
		classic      = c.param("limit") == "" && c.param("cursor") == ""
	)
	if classic {
		var okCount, okPage bool
		count, okCount = c.intParam("count", accessLogsDefaultCount)
		page, okPage = c.intParam("page", 1)
		switch {
		case !okCount || count < 1:
			c.failWithMessage("invalid_arguments", "invalid value for count: expected a positive integer")
			return
		case !okPage || page < 1:
			c.failWithMessage("invalid_arguments", "invalid value for page: expected a positive integer")
			return
		case count > accessLogsMaxCount || page > accessLogsMaxPage:
			c.fail("over_pagination_limit")
			return
		}
		refs, total = o.selectLogins(team.ID, before, nil, (page-1)*count, count)
		more = (page-1)*count+len(refs) < total
	} else {
		limit, code := c.limitParam(accessLogsDefaultCount, accessLogsMaxCount, false)
		if code != "" {
			c.fail(code)
			return
		}
		var after *loginRef
		if v := c.param("cursor"); v != "" {
			b, ref, ok := o.parseLoginsCursor(v)
			if !ok {
				c.fail("invalid_cursor")
				return
			}
			before, after = b, &ref
		}
		refs, _ = o.selectLogins(team.ID, before, after, 0, limit+1)
		if more = len(refs) > limit; more {
			refs = refs[:limit]
		}
	}

	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"logins":[`)
	for i, ref := range refs {
		if i > 0 {
			e.byte(',')
		}
		writeLogin(e, o, ref)
	}
	e.byte(']')
	if classic {
		e.writePaging(count, total, page)
	}
	e.raw(`,"response_metadata":{"next_cursor":"`)
	if more && len(refs) > 0 {
		e.loginsCursor(before, o.Users[refs[len(refs)-1].ui].ID, refs[len(refs)-1])
	}
	e.raw(`"}}`)
	c.ok(e)
}

// writeLogin writes one row in the documented shape.
func writeLogin(e *encoder, o *Org, ref loginRef) {
	u, row, d := o.login(ref)
	e.raw(`{"user_id":`)
	e.str(u.ID)
	e.raw(`,"username":`)
	e.str(u.Name)
	e.raw(`,"date_first":`)
	e.int(row.first)
	e.raw(`,"date_last":`)
	e.int(row.last)
	e.raw(`,"count":`)
	e.int(row.count)
	e.raw(`,"ip":`)
	e.str(d.ip)
	e.raw(`,"user_agent":`)
	e.str(d.agent)
	e.raw(`,"isp":`)
	e.nullableStr(d.isp, d.noISP)
	e.raw(`,"country":`)
	e.nullableStr(d.country, d.noCountry)
	e.raw(`,"region":`)
	e.nullableStr(d.region, d.noRegion)
	e.byte('}')
}

// nullableStr writes s, or null when null is set.
func (e *encoder) nullableStr(s string, null bool) {
	if null {
		e.raw("null")
		return
	}
	e.str(s)
}

// loginsCursor appends the cursor continuing after row ref (of user
// userID) under the given before: base64 of
// "logins:<before>:<date_first>:<user ID>:<row>".
func (e *encoder) loginsCursor(before int64, userID string, ref loginRef) {
	var tmp [96]byte
	b := append(tmp[:0], loginsCursor...)
	b = strconv.AppendInt(b, before, 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, ref.first, 10)
	b = append(b, ':')
	b = append(b, userID...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(ref.k), 10)
	e.b = base64.StdEncoding.AppendEncode(e.b, b)
}

// parseLoginsCursor decodes a team.accessLogs cursor.
func (o *Org) parseLoginsCursor(v string) (before int64, ref loginRef, ok bool) {
	if len(v) > 256 {
		return 0, ref, false
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return 0, ref, false
	}
	rest, found := strings.CutPrefix(string(raw), loginsCursor)
	if !found {
		return 0, ref, false
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 4 {
		return 0, ref, false
	}
	before, err1 := strconv.ParseInt(parts[0], 10, 64)
	first, err2 := strconv.ParseInt(parts[1], 10, 64)
	k, err3 := strconv.Atoi(parts[3])
	ui, known := o.userIndex(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || !known || k < 0 || k >= maxLoginsPerUser {
		return 0, ref, false
	}
	return before, loginRef{first: first, ui: int32(ui), k: uint8(k)}, true
}
