package slacktest

import "strconv"

// usergroups.list, usergroups.users.list and usergroups.users.update. Free
// workspaces get plan_upgrade_required (methods.go); org tokens must name
// the workspace with team_id (call.workspace).

// usergroupsList answers usergroups.list: the workspace's groups, disabled
// ones only with include_disabled; users with include_users; user_count
// (a string, as Slack's documentation shows it) with include_count.
func (s *Server) usergroupsList(c *call) {
	team, code := c.workspace()
	if code != "" {
		c.fail(code)
		return
	}
	var flags [3]bool
	var ok [3]bool
	names := [3]string{"include_count", "include_disabled", "include_users"}
	for i, name := range names {
		if flags[i], ok[i] = c.boolParam(name, false); !ok[i] {
			c.failWithMessage("invalid_arguments", "invalid value for "+name+": expected true or false")
			return
		}
	}
	count, disabled, users := flags[0], flags[1], flags[2]
	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"usergroups":[`)
	n := 0
	for _, g := range s.org.groups(team.ID).list {
		if g.Disabled() && !disabled {
			continue
		}
		if n > 0 {
			e.byte(',')
		}
		writeUserGroup(e, g, users, count)
		n++
	}
	e.raw(`]}`)
	c.ok(e)
}

// usergroupsUsersList answers usergroups.users.list: the member IDs of one
// group. An unknown group is no_such_subteam, and so is a disabled one
// unless include_disabled is set.
func (s *Server) usergroupsUsersList(c *call) {
	team, code := c.workspace()
	if code != "" {
		c.fail(code)
		return
	}
	disabled, ok := c.boolParam("include_disabled", false)
	if !ok {
		c.failWithMessage("invalid_arguments", "invalid value for include_disabled: expected true or false")
		return
	}
	id := c.param("usergroup")
	if id == "" {
		c.failWithMessage("invalid_arguments", "missing required field: usergroup")
		return
	}
	g := s.org.groups(team.ID).find(id)
	if g == nil || (g.Disabled() && !disabled) {
		c.fail("no_such_subteam")
		return
	}
	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"users":`)
	writeIDs(e, g.Users)
	e.byte('}')
	c.ok(e)
}

// usergroupsUsersUpdate answers usergroups.users.update: users (a
// comma-separated list) replaces the group's members. Checks, in order:
// the workspace; permission_denied unless the caller may manage groups
// (mayManageGroups); missing_argument without usergroup; no_such_subteam;
// no_users_provided for an empty list; subteam_max_users_exceeded above
// 5000 distinct IDs; invalid_users when an ID names no account or names a
// bot, app user or Slackbot; failed_for_some_users when an account is not
// a member of the workspace or is deactivated. Any error leaves the group
// unchanged: the whole call is refused, never applied in part. A disabled
// group can be updated and stays disabled.
func (s *Server) usergroupsUsersUpdate(c *call) {
	o := s.org
	team, code := c.workspace()
	if code != "" {
		c.fail(code)
		return
	}
	if !s.mayManageGroups(c) {
		c.fail("permission_denied")
		return
	}
	count, ok := c.boolParam("include_count", false)
	if !ok {
		c.failWithMessage("invalid_arguments", "invalid value for include_count: expected true or false")
		return
	}
	id := c.param("usergroup")
	if id == "" {
		c.fail("missing_argument")
		return
	}
	g := o.groups(team.ID).find(id)
	if g == nil {
		c.fail("no_such_subteam")
		return
	}
	ids := splitIDs(c.param("users"))
	if code := o.checkGroupMembers(team.ID, ids); code != "" {
		c.fail(code)
		return
	}
	g.Users = ids
	g.DateUpdate = o.Now.Unix()
	g.UpdatedBy = c.tok.UserID
	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"usergroup":`)
	writeUserGroup(e, g, true, count)
	e.byte('}')
	c.ok(e)
}

// mayManageGroups reports whether the caller may change user groups:
// admins and owners always, guests never, other members and bot tokens
// only with Config.MembersManageUserGroups.
func (s *Server) mayManageGroups(c *call) bool {
	u := c.user
	switch {
	case u != nil && u.IsRestricted:
		return false
	case c.tok.Kind != TokenBot && isAdminOrOwner(u):
		return true
	}
	return s.org.MembersManageUserGroups
}

// checkGroupMembers returns the usergroups.users.update error for a new
// member list of a group in teamID, or "". Callers hold o.mu.
func (o *Org) checkGroupMembers(teamID string, ids []string) string {
	switch {
	case len(ids) == 0:
		return "no_users_provided"
	case len(ids) > maxSubteamUsers:
		return "subteam_max_users_exceeded"
	}
	some := false
	for _, id := range ids {
		u := o.user(id)
		if u == nil || !u.IsHuman() {
			return "invalid_users"
		}
		if u.Deleted || !u.InTeam(teamID) {
			some = true
		}
	}
	if some {
		return "failed_for_some_users"
	}
	return ""
}

// writeUserGroup writes one group in the shape of Slack's usergroups.list
// example; users and user_count only when asked for.
func writeUserGroup(e *encoder, g *UserGroup, users, count bool) {
	e.raw(`{"id":`)
	e.str(g.ID)
	e.raw(`,"team_id":`)
	e.str(g.TeamID)
	e.raw(`,"is_usergroup":true,"is_subteam":true,"name":`)
	e.str(g.Name)
	e.raw(`,"description":`)
	e.str(g.Description)
	e.raw(`,"handle":`)
	e.str(g.Handle)
	e.raw(`,"is_external":false,"date_create":`)
	e.int(g.DateCreate)
	e.raw(`,"date_update":`)
	e.int(g.DateUpdate)
	e.raw(`,"date_delete":`)
	e.int(g.DateDelete)
	e.raw(`,"auto_type":`)
	e.nullableStr(g.AutoType, g.AutoType == "")
	e.raw(`,"created_by":`)
	e.str(g.CreatedBy)
	e.raw(`,"updated_by":`)
	e.str(g.UpdatedBy)
	e.raw(`,"deleted_by":`)
	e.nullableStr(g.DeletedBy, g.DeletedBy == "")
	e.raw(`,"prefs":{"channels":[],"groups":[]}`)
	if users {
		e.raw(`,"users":`)
		writeIDs(e, g.Users)
	}
	if count {
		e.raw(`,"user_count":"`)
		e.b = strconv.AppendInt(e.b, int64(len(g.Users)), 10)
		e.byte('"')
	}
	e.byte('}')
}

// writeIDs writes a JSON array of strings.
func writeIDs(e *encoder, ids []string) {
	e.byte('[')
	for i, id := range ids {
		if i > 0 {
			e.byte(',')
		}
		e.str(id)
	}
	e.byte(']')
}
