package slacktest

import (
	"encoding/json"
	"strings"
)

// admin.users.assign, admin.users.remove and admin.users.invite: Enterprise
// Grid account management (feature_not_enabled elsewhere, methods.go). They
// take an org token or the user token of an org admin; a token whose user
// is neither an admin nor an owner gets not_an_admin. Missing required
// arguments are invalid_arguments with the reason in
// response_metadata.messages. Each answers {"ok":true}.

// adminUserArgs checks the caller and the team_id and user_id arguments
// shared by assign and remove.
func (s *Server) adminUserArgs(c *call) (*Team, *User, bool) {
	o := s.org
	if !isAdminOrOwner(c.user) {
		c.fail("not_an_admin")
		return nil, nil, false
	}
	teamID, userID := c.param("team_id"), c.param("user_id")
	switch {
	case teamID == "":
		c.failWithMessage("invalid_arguments", "missing required field: team_id")
		return nil, nil, false
	case userID == "":
		c.failWithMessage("invalid_arguments", "missing required field: user_id")
		return nil, nil, false
	}
	team := o.Team(teamID)
	if team == nil {
		c.fail("team_not_found")
		return nil, nil, false
	}
	u := o.user(userID)
	if u == nil {
		c.fail("user_not_found")
		return nil, nil, false
	}
	return team, u, true
}

// adminUsersAssign answers admin.users.assign: adds the account to the
// workspace (users.list with that team_id and admin.users.list list it
// from then on). Errors after the shared ones: user_is_bot for bots, app
// users and Slackbot; invalid_arguments for a malformed boolean or a
// channel_ids entry that is not a channel of the workspace;
// invalid_role_for_user when is_restricted or is_ultra_restricted is given
// and differs from the account's role (roles are org-wide in this model);
// user_already_team_member when the account is active and already a
// member. As Slack documents, an account deactivated on the org level is
// reactivated (and added to the workspace if it was not a member): assign
// never answers user_already_deleted.
func (s *Server) adminUsersAssign(c *call) {
	o := s.org
	team, u, ok := s.adminUserArgs(c)
	if !ok {
		return
	}
	if !u.IsHuman() {
		c.fail("user_is_bot")
		return
	}
	if code, msg := s.assignArgs(c, team, u); code != "" {
		if msg != "" {
			c.failWithMessage(code, msg)
		} else {
			c.fail(code)
		}
		return
	}
	member := u.InTeam(team.ID)
	if member && !u.Deleted {
		c.fail("user_already_team_member")
		return
	}
	u = o.setActive(u, true)
	if !member {
		o.joinTeam(u, team.ID)
	}
	c.ok(okBody())
}

// assignArgs checks assign's optional arguments.
func (s *Server) assignArgs(c *call, team *Team, u *User) (code, msg string) {
	restricted, ok1 := c.boolParam("is_restricted", u.IsRestricted)
	ultra, ok2 := c.boolParam("is_ultra_restricted", u.IsUltraRestricted)
	if !ok1 || !ok2 {
		return "invalid_arguments", "invalid value for is_restricted or is_ultra_restricted: expected true or false"
	}
	if ultra {
		restricted = true
	}
	if restricted != u.IsRestricted || ultra != u.IsUltraRestricted {
		return "invalid_role_for_user", ""
	}
	for _, id := range splitIDs(c.param("channel_ids")) {
		if ch := s.org.findChannel(team.ID, id); ch == nil || ch.ID != id {
			return "invalid_arguments", "invalid channel in channel_ids: " + id
		}
	}
	return "", ""
}

// adminUsersRemove answers admin.users.remove: takes the account out of
// that one workspace and its user groups there, without deactivating it.
// Errors after the shared ones: cannot_modify_primary_owner;
// user_already_deleted for a deactivated account;
// failed_to_remove_user_from_workspace when the account is not a member
// of the workspace (Slack documents no more specific code for it), and for
// Slackbot.
func (s *Server) adminUsersRemove(c *call) {
	o := s.org
	team, u, ok := s.adminUserArgs(c)
	if !ok {
		return
	}
	switch {
	case u.IsPrimaryOwner:
		c.fail("cannot_modify_primary_owner")
	case u.Deleted:
		c.fail("user_already_deleted")
	case !u.InTeam(team.ID) || u.ID == SlackbotID:
		c.fail("failed_to_remove_user_from_workspace")
	default:
		o.leaveTeam(u, team.ID)
		c.ok(okBody())
	}
}

// adminUsersInvite answers admin.users.invite: creates a pending account
// (is_invited_user, never active, no sign-ins) in the workspace with a new
// ID above every other, found afterwards with Org.UserByEmail, users.list
// and admin.users.list. Arguments: team_id*, email*, channel_ids* (missing
// or empty: invalid_arguments; an ID that is not an open channel of the
// workspace: failed_to_validate_channels), real_name (plain text, or
// {"full_name":"…"} as Slack's example shows), custom_message, resend,
// is_restricted, is_ultra_restricted (implies is_restricted) and
// guest_expiration_ts (guests only, in the future, else
// failed_to_validate_expiration). An e-mail address the org knows (any
// case): user_disabled for a deactivated account; already_in_team for an
// active one (admin.users.assign adds existing accounts to workspaces);
// for a pending invitation, already_in_team_invited_user when it already
// includes this workspace, unless resend is true, which answers ok and
// changes nothing; otherwise the workspace is added to the invitation.
func (s *Server) adminUsersInvite(c *call) {
	o := s.org
	if !isAdminOrOwner(c.user) {
		c.fail("not_an_admin")
		return
	}
	inv, code, msg := s.inviteArgs(c)
	switch {
	case msg != "":
		c.failWithMessage(code, msg)
		return
	case code != "":
		c.fail(code)
		return
	}
	if old := o.userByEmail(inv.email); old != nil {
		if code := o.reinvite(old, inv); code != "" {
			c.fail(code)
			return
		}
		c.ok(okBody())
		return
	}
	o.insertUser(o.newInvitedUser(inv))
	c.ok(okBody())
}

// invitation is a parsed admin.users.invite call.
type invitation struct {
	team                      *Team
	email, realName           string
	resend, restricted, ultra bool
	expires                   int64
}

// inviteArgs parses and checks admin.users.invite's arguments.
func (s *Server) inviteArgs(c *call) (inv invitation, code, msg string) {
	o := s.org
	for _, name := range []string{"team_id", "email", "channel_ids"} {
		if strings.TrimSpace(strings.Trim(c.param(name), ",")) == "" {
			return inv, "invalid_arguments", "missing required field: " + name
		}
	}
	if inv.team = o.Team(c.param("team_id")); inv.team == nil {
		return inv, "team_not_found", ""
	}
	inv.email = strings.TrimSpace(c.param("email"))
	if !validEmail(inv.email) {
		return inv, "invalid_email", ""
	}
	for _, id := range splitIDs(c.param("channel_ids")) {
		ch := o.findChannel(inv.team.ID, id)
		if ch == nil || ch.ID != id || ch.IsArchived {
			return inv, "failed_to_validate_channels", ""
		}
	}
	var ok [3]bool
	inv.resend, ok[0] = c.boolParam("resend", false)
	inv.restricted, ok[1] = c.boolParam("is_restricted", false)
	inv.ultra, ok[2] = c.boolParam("is_ultra_restricted", false)
	if !ok[0] || !ok[1] || !ok[2] {
		return inv, "invalid_arguments", "invalid value for resend, is_restricted or is_ultra_restricted: expected true or false"
	}
	inv.restricted = inv.restricted || inv.ultra
	inv.expires = -1
	if c.param("guest_expiration_ts") != "" {
		ts, ok := c.epochParam("guest_expiration_ts", 0)
		if !ok || !inv.restricted || ts <= o.Now.Unix() {
			return inv, "failed_to_validate_expiration", ""
		}
		inv.expires = ts
	}
	inv.realName = realNameParam(c.param("real_name"))
	return inv, "", ""
}

// reinvite applies an invitation to an address the org already knows and
// returns the error code, if any. Callers hold o.mu exclusively.
func (o *Org) reinvite(u *User, inv invitation) string {
	switch {
	case u.Deleted:
		return "user_disabled"
	case !u.IsInvitedUser:
		return "already_in_team"
	case u.InTeam(inv.team.ID) && !inv.resend:
		return "already_in_team_invited_user"
	case !u.InTeam(inv.team.ID):
		o.joinTeam(u, inv.team.ID)
	}
	return ""
}

// newInvitedUser builds the pending account an invitation creates.
// Callers hold o.mu exclusively.
func (o *Org) newInvitedUser(inv invitation) *User {
	local, _, _ := strings.Cut(strings.ToLower(inv.email), "@")
	h := o.nameHash("invite:" + strings.ToLower(inv.email))
	tz := uint8(1 + h%uint64(len(timezones)-1)) // a person's zone, not the bots' one
	return &User{
		ID:     o.nextUserID(inv.email),
		TeamID: inv.team.ID, Teams: []string{inv.team.ID},
		Name: local, RealName: inv.realName, Email: inv.email,
		TZ: timezones[tz].name, TZOffset: timezones[tz].offset, tz: tz,
		IsRestricted: inv.restricted, IsUltraRestricted: inv.ultra,
		IsInvitedUser: true,
		Created:       o.Now, Updated: o.Now,
		Activity: ActivityNever,
		expires:  inv.expires,
		seed:     mix64(h),
		order:    orderGivenFirst,
	}
}

// realNameParam reads real_name: plain text, or the {"full_name":"…"}
// object of Slack's example.
func realNameParam(v string) string {
	if strings.HasPrefix(strings.TrimSpace(v), "{") {
		var obj struct {
			FullName string `json:"full_name"`
		}
		if json.Unmarshal([]byte(v), &obj) == nil {
			return obj.FullName
		}
	}
	return v
}

// validEmail is a loose check: one @, something before it, a dot after it.
func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(domain, "@ ") &&
		!strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// okBody is {"ok":true} in a pooled encoder; c.ok sends it and the caller
// need not return it (okBody's encoders are not pooled).
func okBody() *encoder {
	return &encoder{b: []byte(`{"ok":true}`)}
}
