package slacktest

import (
	"strings"
	"unicode/utf8"
)

// usersCursor prefixes users.list cursors: Slack's own decode to "user:<ID>".
const usersCursor = "user:"

// maxUsersPage is the largest users.list page; bigger limits are capped.
const maxUsersPage = 1000

// usersList answers users.list: the workspace's accounts in ID order, paged
// by cursor.
func (s *Server) usersList(c *call) {
	o := s.org
	team, code := c.workspace()
	if code != "" {
		c.fail(code)
		return
	}
	limit, code := c.limitParam(0, maxUsersPage, true)
	if code != "" {
		c.fail(code)
		return
	}
	if limit == 0 { // absent: everyone, unless the workspace is large
		if countMembers(o.Users, team.ID, maxUsersPage+1) > maxUsersPage {
			c.fail("limit_required")
			return
		}
		limit = len(o.Users)
	}
	start, code := c.cursorParam(usersCursor)
	if code != "" {
		c.fail(code)
		return
	}
	email := c.tok.HasScope("users:read.email")

	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"members":[`)
	next := ""
	n := 0
	for _, u := range o.Users[start:] {
		if !u.InTeam(team.ID) {
			continue
		}
		if n == limit {
			next = u.ID
			break
		}
		if n > 0 {
			e.byte(',')
		}
		s.writeMember(e, u, email)
		n++
	}
	e.raw(`],"cache_ts":`)
	e.int(o.Now.Unix())
	e.raw(`,"response_metadata":{"next_cursor":"`)
	if next != "" {
		e.cursor(usersCursor, next)
	}
	e.raw(`"}}`)
	c.ok(e)
}

// countMembers counts the accounts of teamID, stopping at stop.
func countMembers(users []*User, teamID string, stop int) int {
	n := 0
	for _, u := range users {
		if u.InTeam(teamID) {
			n++
			if n >= stop {
				break
			}
		}
	}
	return n
}

// writeMember writes one user object in the shape users.list documents.
// Deactivated accounts omit colour, top-level real_name and time zone, as
// Slack sometimes does; e-mail appears only with users:read.email.
func (s *Server) writeMember(e *encoder, u *User, email bool) {
	e.raw(`{"id":`)
	e.str(u.ID)
	e.raw(`,"team_id":`)
	e.str(u.TeamID)
	e.raw(`,"name":`)
	e.str(u.Name)
	e.raw(`,"deleted":`)
	e.bool(u.Deleted)
	if !u.Deleted {
		e.raw(`,"color":"`)
		e.hex(u.seed, 6)
		e.raw(`","real_name":`)
		e.str(u.RealName)
		e.raw(`,"tz":`)
		e.str(u.TZ)
		e.raw(`,"tz_label":`)
		e.str(tzLabel(u))
		e.raw(`,"tz_offset":`)
		e.int(int64(u.TZOffset))
	}
	writeProfile(e, u, email)
	writeMemberFlags(e, u)
	if s.org.EnterpriseID != "" && u.ID != SlackbotID {
		writeEnterpriseUser(e, u, s.org)
	}
	e.byte('}')
}

// writeProfile writes u's "profile" object.
func writeProfile(e *encoder, u *User, email bool) {
	e.raw(`,"profile":{"title":`)
	e.str(u.Title)
	e.raw(`,"phone":"","skype":"","real_name":`)
	e.str(u.RealName)
	e.raw(`,"real_name_normalized":`)
	if u.accented {
		e.folded(u.RealName)
	} else {
		e.str(u.RealName)
	}
	e.raw(`,"display_name":`)
	e.str(u.DisplayName)
	e.raw(`,"display_name_normalized":`)
	e.str(u.DisplayName)
	e.raw(`,"fields":null,"status_text":"","status_emoji":"","status_expiration":0,"avatar_hash":"`)
	e.hex(u.seed>>16, 12)
	e.byte('"')
	if email && u.Email != "" {
		e.raw(`,"email":`)
		e.str(u.Email)
	}
	first, last := splitName(u)
	e.raw(`,"first_name":`)
	e.str(first)
	e.raw(`,"last_name":`)
	e.str(last)
	writeAvatars(e, u)
	switch {
	case u.BotID != "" || u.AppID != "":
		e.raw(`,"bot_id":`)
		e.str(u.BotID)
		e.raw(`,"api_app_id":`)
		e.str(u.AppID)
		e.raw(`,"always_active":`)
		e.bool(u.seed&(1<<40) != 0)
	case u.ID == SlackbotID:
		e.raw(`,"always_active":true`)
	}
	e.raw(`,"team":`)
	e.str(u.TeamID)
	e.byte('}')
}

// writeAvatars writes the profile's image_24, image_72 and image_192.
func writeAvatars(e *encoder, u *User) {
	avatarBase := `":"https://avatars.slack-edge.com/`
	if e.ascii {
		avatarBase = `":"https:\/\/avatars.slack-edge.com\/`
	}
	for _, size := range [...]string{"24", "72", "192"} {
		e.raw(`,"image_`)
		e.raw(size)
		e.raw(avatarBase)
		e.hex(u.seed>>16, 12)
		e.byte('_')
		e.raw(size)
		e.raw(`.png"`)
	}
}

// writeMemberFlags writes the account's is_* flags and what follows them.
func writeMemberFlags(e *encoder, u *User) {
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
	e.bool(u.IsBot)
	e.raw(`,"is_app_user":`)
	e.bool(u.IsAppUser)
	e.raw(`,"updated":`)
	e.int(u.Updated.Unix())
	e.raw(`,"is_email_confirmed":`)
	e.bool(u.Email != "" && !u.IsInvitedUser)
	e.raw(`,"who_can_share_contact_card":"EVERYONE","has_2fa":`)
	e.bool(u.Has2FA)
	if u.IsInvitedUser {
		e.raw(`,"is_invited_user":true`)
	}
}

// writeEnterpriseUser writes the "enterprise_user" object of a Grid
// member.
func writeEnterpriseUser(e *encoder, u *User, o *Org) {
	e.raw(`,"enterprise_user":{"id":`)
	e.str(u.ID)
	e.raw(`,"enterprise_id":`)
	e.str(o.EnterpriseID)
	e.raw(`,"enterprise_name":`)
	e.str(o.EnterpriseName)
	e.raw(`,"is_admin":`)
	e.bool(u.IsAdmin)
	e.raw(`,"is_owner":`)
	e.bool(u.IsOwner)
	e.raw(`,"is_primary_owner":`)
	e.bool(u.IsPrimaryOwner)
	e.raw(`,"teams":[`)
	for i, t := range u.Teams {
		if i > 0 {
			e.byte(',')
		}
		e.str(t)
	}
	e.raw(`]}`)
}

// tzLabel is the label of u's time zone, "" if TZ was changed to one the
// table does not know.
func tzLabel(u *User) string {
	if int(u.tz) < len(timezones) && timezones[u.tz].name == u.TZ {
		return timezones[u.tz].label
	}
	for _, z := range timezones {
		if z.name == u.TZ {
			return z.label
		}
	}
	return ""
}

// splitName splits RealName into first and last name the way the account's
// culture writes it.
func splitName(u *User) (first, last string) {
	rn := u.RealName
	switch u.order {
	case orderGivenFirst:
		if i := strings.IndexByte(rn, ' '); i >= 0 {
			return rn[:i], rn[i+1:]
		}
	case orderFamilySpace:
		if i := strings.IndexByte(rn, ' '); i >= 0 {
			return rn[i+1:], rn[:i]
		}
	case orderFamilyTight:
		_, n := utf8.DecodeRuneInString(rn)
		return rn[n:], rn[:n]
	}
	return rn, ""
}

// folded writes s as a JSON string with diacritics folded to ASCII, like
// Slack's real_name_normalized.
func (e *encoder) folded(s string) {
	e.byte('"')
	start := 0
	for i, r := range s {
		if r < utf8.RuneSelf {
			continue
		}
		if rep, ok := foldTable[r]; ok {
			e.strBody(s[start:i])
			e.raw(rep)
			start = i + utf8.RuneLen(r)
		}
	}
	e.strBody(s[start:])
	e.byte('"')
}
