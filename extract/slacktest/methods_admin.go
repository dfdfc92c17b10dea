package slacktest

// Enterprise Grid admin methods for workspaces and accounts. They take
// org-level tokens only and answer feature_not_enabled off the enterprise
// plan (methods.go).

// Paging limits of the admin methods.
const (
	adminTeamsDefaultLimit = 100
	adminTeamsMaxLimit     = 1000
	adminUsersDefaultLimit = 100
	adminUsersMaxLimit     = 100
)

// Cursor prefixes of the admin methods.
const (
	adminTeamsCursor = "teams:"
	adminUsersCursor = "adminusers:"
)

// discoverabilities are the settings workspaces cycle through (the first
// workspace is open).
var discoverabilities = []string{"open", "invite_only", "closed", "unlisted", "hidden"}

// adminTeamsList answers admin.teams.list: every workspace of the org in
// Teams order, paged by cursor.
func (s *Server) adminTeamsList(c *call) {
	o := s.org
	limit, code := c.limitParam(adminTeamsDefaultLimit, adminTeamsMaxLimit, false)
	if code != "" {
		c.fail(code)
		return
	}
	start, code := c.offsetCursor(adminTeamsCursor)
	if code != "" || start > len(o.Teams) {
		c.fail("invalid_cursor")
		return
	}
	end := min(start+limit, len(o.Teams))
	owner := o.primaryOwner()
	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"teams":[`)
	for i, t := range o.Teams[start:end] {
		if i > 0 {
			e.byte(',')
		}
		e.raw(`{"id":`)
		e.str(t.ID)
		e.raw(`,"name":`)
		e.str(t.Name)
		e.raw(`,"discoverability":`)
		e.str(discoverabilities[(start+i)%len(discoverabilities)])
		e.raw(`,"primary_owner":{"user_id":`)
		e.str(owner.ID)
		e.raw(`,"email":`)
		e.str(owner.Email)
		e.raw(`},"team_url":`)
		e.str("https://" + t.Domain + ".slack.com/")
		e.byte('}')
	}
	e.raw(`],"response_metadata":{"next_cursor":"`)
	if end < len(o.Teams) {
		e.offsetCursor(adminTeamsCursor, end)
	}
	e.raw(`"}}`)
	c.ok(e)
}

// adminUsersFilter is the parsed filter of an admin.users.list call.
type adminUsersFilter struct {
	team                 string // "" for the whole org
	active               bool
	onlyGuests           bool
	admins, owners       bool
	deactivatedWorkspace bool
}

func (f *adminUsersFilter) match(u *User) bool {
	if u.ID == SlackbotID || u.Deleted == f.active {
		return false
	}
	if f.team != "" && !u.InTeam(f.team) {
		return false
	}
	if f.onlyGuests && !u.IsRestricted {
		return false
	}
	switch {
	case f.admins && f.owners:
		return u.IsAdmin || u.IsOwner
	case f.admins:
		return u.IsAdmin && !u.IsOwner
	case f.owners:
		return u.IsOwner
	}
	return true
}

// adminUsersList answers admin.users.list: the org's accounts (all but
// Slackbot, pending invitations included) in ID order, paged by cursor.
// is_active (default true) keeps active accounts, false deactivated ones
// only. last_active_ts, has_2fa and has_sso appear only with no team_id.
func (s *Server) adminUsersList(c *call) {
	o := s.org
	var f adminUsersFilter
	if id := c.param("team_id"); id != "" {
		if o.Team(id) == nil {
			c.fail("team_not_found")
			return
		}
		f.team = id
	}
	limit, code := c.limitParam(adminUsersDefaultLimit, adminUsersMaxLimit, false)
	if code != "" {
		c.fail(code)
		return
	}
	start, code := c.cursorParam(adminUsersCursor)
	if code != "" {
		c.fail(code)
		return
	}
	var ok [5]bool
	f.active, ok[0] = c.boolParam("is_active", true)
	f.onlyGuests, ok[1] = c.boolParam("only_guests", false)
	f.admins, ok[2] = c.boolParam("include_admins", false)
	f.owners, ok[3] = c.boolParam("include_owners", false)
	f.deactivatedWorkspace, ok[4] = c.boolParam("include_deactivated_user_workspaces", false)
	for i, name := range []string{"is_active", "only_guests", "include_admins", "include_owners", "include_deactivated_user_workspaces"} {
		if !ok[i] {
			c.failWithMessage("invalid_arguments", "invalid value for "+name+": expected true or false")
			return
		}
	}
	if f.onlyGuests && (f.admins || f.owners) {
		c.failWithMessage("invalid_arguments", "only_guests cannot be combined with include_admins or include_owners")
		return
	}
	orgWide := f.team == ""
	now := o.Now.Unix()

	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"users":[`)
	next := ""
	n := 0
	for _, u := range o.Users[start:] {
		if !f.match(u) {
			continue
		}
		if n == limit {
			next = u.ID
			break
		}
		if n > 0 {
			e.byte(',')
		}
		writeAdminUser(e, u, orgWide, orgWide && f.deactivatedWorkspace, now)
		n++
	}
	e.raw(`],"response_metadata":{"next_cursor":"`)
	if next != "" {
		e.cursor(adminUsersCursor, next)
	}
	e.raw(`"}}`)
	c.ok(e)
}

// writeAdminUser writes one admin.users.list user. A deactivated account
// lists its workspaces only with include_deactivated_user_workspaces.
func writeAdminUser(e *encoder, u *User, orgWide, deactivatedWorkspaces bool, now int64) {
	e.raw(`{"id":`)
	e.str(u.ID)
	e.raw(`,"email":`)
	e.str(u.Email)
	e.raw(`,"is_admin":`)
	e.bool(u.IsAdmin)
	e.raw(`,"is_owner":`)
	e.bool(u.IsOwner)
	e.raw(`,"is_primary_owner":`)
	e.bool(u.IsPrimaryOwner)
	e.raw(`,"is_restricted":`)
	e.bool(u.IsRestricted)
	e.raw(`,"is_ultra_restricted":`)
	e.bool(u.IsUltraRestricted)
	e.raw(`,"is_bot":`)
	e.bool(u.IsBot || u.IsAppUser)
	e.raw(`,"username":`)
	e.str(u.Name)
	e.raw(`,"full_name":`)
	e.str(u.RealName)
	e.raw(`,"is_active":`)
	e.bool(!u.Deleted)
	e.raw(`,"date_created":`)
	e.int(u.Created.Unix())
	e.raw(`,"deactivated_ts":`)
	e.int(deactivatedAt(u))
	e.raw(`,"expiration_ts":`)
	e.int(u.guestExpiration(now))
	if orgWide {
		e.raw(`,"last_active_ts":`)
		if u.LastActive.IsZero() {
			e.byte('0')
		} else {
			e.int(u.LastActive.Unix())
		}
	}
	e.raw(`,"workspaces":[`)
	if !u.Deleted || deactivatedWorkspaces {
		for i, t := range u.Teams {
			if i > 0 {
				e.byte(',')
			}
			e.str(t)
		}
	}
	e.raw(`],"roles":[`)
	for i, r := range u.roles() {
		if i > 0 {
			e.byte(',')
		}
		e.str(r)
	}
	e.byte(']')
	if orgWide {
		e.raw(`,"has_2fa":`)
		e.bool(u.Has2FA)
		e.raw(`,"has_sso":`)
		e.bool(u.HasSSO())
	}
	e.byte('}')
}
