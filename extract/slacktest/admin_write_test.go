package slacktest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// adminUser returns one admin.users.list entry (org-wide, active or not).
func adminUser(t *testing.T, srv *slacktest.Server, tok, id string, kv ...string) (adminUserJS, bool) {
	t.Helper()
	for _, active := range []string{"true", "false"} {
		users, _ := adminUsers(t, srv, tok, append([]string{"is_active", active, "include_deactivated_user_workspaces", "true"}, kv...)...)
		for _, u := range users {
			if u.ID == id {
				return u, true
			}
		}
	}
	return adminUserJS{}, false
}

func TestAdminUsersAssign(t *testing.T) {
	srv, org := newWriteGrid(t, 300, 3)
	o := srv.Org()
	t0, t1 := o.Teams[0].ID, o.Teams[1].ID
	u := find(t, o, func(u *slacktest.User) bool { return isMember(t0)(u) && !u.InTeam(t1) })
	require.NotContains(t, members(t, srv, org.Value, t1), u.ID)

	requireOK(t, call(t, srv, "admin.users.assign", form("token", org.Value, "team_id", t1, "user_id", u.ID,
		"channel_ids", o.Channels(t1)[0].ID)))
	// users.list with that team_id, admin.users.list and Org.User see it.
	m, ok := members(t, srv, org.Value, t1)[u.ID]
	require.True(t, ok)
	require.Contains(t, m.EnterpriseUser.Teams, t1)
	require.Contains(t, o.User(u.ID).Teams, t1)
	require.Equal(t, u.TeamID, o.User(u.ID).TeamID, "the home workspace stays")
	got, ok := adminUser(t, srv, org.Value, u.ID)
	require.True(t, ok)
	require.Contains(t, got.Workspaces, t1)
	listed := false
	for _, au := range func() []adminUserJS { us, _ := adminUsers(t, srv, org.Value, "team_id", t1); return us }() {
		listed = listed || au.ID == u.ID
	}
	require.True(t, listed, "admin.users.list with team_id lists the new member")

	// Assigning twice is refused.
	requireError(t, call(t, srv, "admin.users.assign", form("token", org.Value, "team_id", t1, "user_id", u.ID)), "user_already_team_member")

	guest := find(t, o, func(u *slacktest.User) bool {
		return u.IsRestricted && !u.IsUltraRestricted && !u.Deleted && !u.InTeam(t1)
	})
	bot := find(t, o, func(u *slacktest.User) bool { return u.IsBot })
	for _, tt := range []struct {
		name string
		kv   []string
		code string
	}{
		{"no team", []string{"user_id", u.ID}, "invalid_arguments"},
		{"no user", []string{"team_id", t1}, "invalid_arguments"},
		{"unknown team", []string{"team_id", "T0NOPE", "user_id", u.ID}, "team_not_found"},
		{"unknown user", []string{"team_id", t1, "user_id", "W0NOPE"}, "user_not_found"},
		{"bot", []string{"team_id", t1, "user_id", bot.ID}, "user_is_bot"},
		{"slackbot", []string{"team_id", t1, "user_id", slacktest.SlackbotID}, "user_is_bot"},
		{"member as guest", []string{"team_id", o.Teams[2].ID, "user_id", u.ID, "is_restricted", "true"}, "invalid_role_for_user"},
		{"guest as member", []string{"team_id", t1, "user_id", guest.ID, "is_restricted", "false"}, "invalid_role_for_user"},
		{"bad flag", []string{"team_id", t1, "user_id", guest.ID, "is_restricted", "yes"}, "invalid_arguments"},
		{"bad channel", []string{"team_id", t1, "user_id", guest.ID, "channel_ids", "C0NOPE"}, "invalid_arguments"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			requireError(t, call(t, srv, "admin.users.assign", form(append([]string{"token", org.Value}, tt.kv...)...)), tt.code)
		})
	}
	// A guest keeps its role: is_restricted=true matches.
	requireOK(t, call(t, srv, "admin.users.assign", form("token", org.Value, "team_id", t1, "user_id", guest.ID, "is_restricted", "true")))
	require.True(t, o.User(guest.ID).IsRestricted)

	// A deactivated account is reactivated, as Slack documents.
	gone := find(t, o, func(u *slacktest.User) bool { return u.Deleted && u.IsHuman() && !u.InTeam(t1) })
	requireOK(t, call(t, srv, "admin.users.assign", form("token", org.Value, "team_id", t1, "user_id", gone.ID)))
	now := o.User(gone.ID)
	require.False(t, now.Deleted)
	require.Contains(t, now.Teams, t1)
	got, _ = adminUser(t, srv, org.Value, gone.ID)
	require.True(t, got.IsActive)
	require.Zero(t, got.DeactivatedTS)
	require.Equal(t, 14, srv.Calls("admin.users.assign"))
}

func TestAdminUsersRemove(t *testing.T) {
	srv, org := newWriteGrid(t, 300, 3)
	o := srv.Org()
	t0, t1 := o.Teams[0].ID, o.Teams[1].ID
	u := find(t, o, func(u *slacktest.User) bool { return isMember(t1)(u) && u.InTeam(t0) && u.TeamID == t1 })
	// Put u in a group of t1 first: removal takes it out.
	g := o.UserGroups(t1)[1]
	requireOK(t, call(t, srv, "usergroups.users.update", form("token", org.Value, "team_id", t1, "usergroup", g.ID, "users", u.ID)))

	requireOK(t, call(t, srv, "admin.users.remove", form("token", org.Value, "team_id", t1, "user_id", u.ID)))
	require.NotContains(t, members(t, srv, org.Value, t1), u.ID)
	require.Contains(t, members(t, srv, org.Value, t0), u.ID, "other workspaces keep the account")
	now := o.User(u.ID)
	require.NotContains(t, now.Teams, t1)
	require.Equal(t, now.Teams[0], now.TeamID, "leaving the home workspace moves the home")
	require.False(t, now.Deleted, "removal does not deactivate")
	got, _ := adminUser(t, srv, org.Value, u.ID)
	require.True(t, got.IsActive)
	require.NotContains(t, got.Workspaces, t1)
	require.Empty(t, o.UserGroups(t1)[1].Users)
	gu := decode[groupUsersJS](t, call(t, srv, "usergroups.users.list", form("token", org.Value, "team_id", t1, "usergroup", g.ID)))
	require.Empty(t, gu.Users)

	// Removing again: no longer a member.
	requireError(t, call(t, srv, "admin.users.remove", form("token", org.Value, "team_id", t1, "user_id", u.ID)), "failed_to_remove_user_from_workspace")
	// Assign brings it back.
	requireOK(t, call(t, srv, "admin.users.assign", form("token", org.Value, "team_id", t1, "user_id", u.ID)))
	require.Contains(t, members(t, srv, org.Value, t1), u.ID)

	gone := find(t, o, func(u *slacktest.User) bool { return u.Deleted && u.IsHuman() && u.InTeam(t1) })
	for _, tt := range []struct {
		name string
		kv   []string
		code string
	}{
		{"primary owner", []string{"team_id", t1, "user_id", o.AdminToken().UserID}, "cannot_modify_primary_owner"},
		{"deactivated", []string{"team_id", t1, "user_id", gone.ID}, "user_already_deleted"},
		{"slackbot", []string{"team_id", t1, "user_id", slacktest.SlackbotID}, "failed_to_remove_user_from_workspace"},
		{"unknown team", []string{"team_id", "T0NOPE", "user_id", u.ID}, "team_not_found"},
		{"unknown user", []string{"team_id", t1, "user_id", "W0NOPE"}, "user_not_found"},
		{"no user", []string{"team_id", t1}, "invalid_arguments"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			requireError(t, call(t, srv, "admin.users.remove", form(append([]string{"token", org.Value}, tt.kv...)...)), tt.code)
		})
	}

	// Removing from the last workspace leaves an org account with none.
	single := find(t, o, func(u *slacktest.User) bool { return isMember(t0)(u) && len(u.Teams) == 1 })
	requireOK(t, call(t, srv, "admin.users.remove", form("token", org.Value, "team_id", t0, "user_id", single.ID)))
	got, ok := adminUser(t, srv, org.Value, single.ID)
	require.True(t, ok)
	require.True(t, got.IsActive)
	require.Empty(t, got.Workspaces)
}

type inviteCase struct {
	name string
	kv   []string
	code string
}

func TestAdminUsersInvite(t *testing.T) {
	srv, org := newWriteGrid(t, 300, 3)
	o := srv.Org()
	t1 := o.Teams[1].ID
	general := o.Channels(t1)[0].ID
	before := len(o.CurrentUsers())

	requireOK(t, call(t, srv, "admin.users.invite", form("token", org.Value, "team_id", t1, "email", "New.Person@Example.com",
		"channel_ids", general, "real_name", "New Person", "custom_message", "Welcome!")))
	nu := o.UserByEmail("new.person@example.com")
	require.NotNil(t, nu)
	require.Len(t, o.CurrentUsers(), before+1)
	require.True(t, nu.IsInvitedUser)
	require.False(t, nu.Deleted)
	require.Equal(t, []string{t1}, nu.Teams)
	require.Equal(t, "New Person", nu.RealName)
	require.Equal(t, "new.person", nu.Name)
	require.True(t, strings.HasPrefix(nu.ID, "W"))
	users := o.CurrentUsers()
	require.Equal(t, nu.ID, users[len(users)-1].ID, "new IDs sort after every generated one")
	require.Equal(t, o.Now, nu.Created)
	m, ok := members(t, srv, org.Value, t1)[nu.ID]
	require.True(t, ok)
	require.NotNil(t, m.IsInvitedUser)
	require.True(t, *m.IsInvitedUser)
	got, ok := adminUser(t, srv, org.Value, nu.ID)
	require.True(t, ok)
	require.True(t, got.IsActive)
	require.Equal(t, []string{t1}, got.Workspaces)
	require.Equal(t, "New.Person@Example.com", got.Email)
	require.Zero(t, got.ExpirationTS)

	// A guest with an expiry, and real_name as Slack's example object.
	exp := o.Now.Unix() + 30*86400
	requireOK(t, call(t, srv, "admin.users.invite", form("token", org.Value, "team_id", t1, "email", "guest@partner.example",
		"channel_ids", general, "is_ultra_restricted", "true", "guest_expiration_ts", itoa(int(exp))+".000000",
		"real_name", `{"full_name":"Pat Partner"}`)))
	g := o.UserByEmail("GUEST@partner.example")
	require.True(t, g.IsRestricted && g.IsUltraRestricted)
	require.Equal(t, "Pat Partner", g.RealName)
	got, _ = adminUser(t, srv, org.Value, g.ID)
	require.Equal(t, exp, got.ExpirationTS)

	// Already invited: refused unless resend; another workspace joins the invitation.
	requireError(t, call(t, srv, "admin.users.invite", form("token", org.Value, "team_id", t1, "email", "new.person@example.com",
		"channel_ids", general)), "already_in_team_invited_user")
	requireOK(t, call(t, srv, "admin.users.invite", form("token", org.Value, "team_id", t1, "email", "new.person@example.com",
		"channel_ids", general, "resend", "true")))
	t2 := o.Teams[2].ID
	requireOK(t, call(t, srv, "admin.users.invite", form("token", org.Value, "team_id", t2, "email", "new.person@example.com",
		"channel_ids", o.Channels(t2)[1].ID)))
	require.Equal(t, []string{t1, t2}, o.User(nu.ID).Teams)
	require.Len(t, o.CurrentUsers(), before+2)

	active := find(t, o, isMember(t1))
	gone := find(t, o, func(u *slacktest.User) bool { return u.Deleted && u.IsHuman() && u.Email != "" })
	archived := o.Channels(t1)[len(o.Channels(t1))-1]
	require.True(t, archived.IsArchived)
	base := []string{"team_id", t1, "channel_ids", general}
	for _, tt := range []inviteCase{
		{"no channels", []string{"team_id", t1, "email", "a@example.com"}, "invalid_arguments"},
		{"empty channels", []string{"team_id", t1, "email", "a@example.com", "channel_ids", ","}, "invalid_arguments"},
		{"no email", base, "invalid_arguments"},
		{"no team", []string{"email", "a@example.com", "channel_ids", general}, "invalid_arguments"},
		{"unknown team", []string{"team_id", "T0NOPE", "email", "a@example.com", "channel_ids", general}, "team_not_found"},
		{"bad email", append(base, "email", "not-an-email"), "invalid_email"},
		{"unknown channel", []string{"team_id", t1, "email", "a@example.com", "channel_ids", general + ",C0NOPE"}, "failed_to_validate_channels"},
		{"archived channel", []string{"team_id", t1, "email", "a@example.com", "channel_ids", archived.ID}, "failed_to_validate_channels"},
		{"member", append(base, "email", strings.ToUpper(active.Email)), "already_in_team"},
		{"deactivated", append(base, "email", gone.Email), "user_disabled"},
		{"expiry for a member", append(base, "email", "a@example.com", "guest_expiration_ts", itoa(int(exp))), "failed_to_validate_expiration"},
		{"expiry in the past", append(base, "email", "a@example.com", "is_restricted", "true", "guest_expiration_ts", "1000"), "failed_to_validate_expiration"},
		{"bad flag", append(base, "email", "a@example.com", "resend", "perhaps"), "invalid_arguments"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			requireError(t, call(t, srv, "admin.users.invite", form(append([]string{"token", org.Value}, tt.kv...)...)), tt.code)
		})
	}
	require.Len(t, o.CurrentUsers(), before+2, "refused invitations create nobody")
	// An invited account can be removed and assigned like any other.
	requireOK(t, call(t, srv, "admin.users.remove", form("token", org.Value, "team_id", t2, "user_id", nu.ID)))
	require.Equal(t, []string{t1}, o.User(nu.ID).Teams)
}

func TestAdminUsersWriteTokensAndPlans(t *testing.T) {
	srv, _ := newWriteGrid(t, 300, 2)
	o := srv.Org()
	t1 := o.Teams[1].ID
	target := find(t, o, func(u *slacktest.User) bool { return isMember(o.Teams[0].ID)(u) && !u.InTeam(t1) })
	admin := find(t, o, func(u *slacktest.User) bool { return u.IsAdmin && !u.IsOwner && !u.Deleted && u.IsHuman() })
	member := find(t, o, isMember(""))

	adminUserTok := addToken(srv, o.UserToken(admin.ID, "admin.users:write"))
	memberUserTok := addToken(srv, o.UserToken(member.ID, "admin.users:write"))
	memberOrgTok := addToken(srv, o.OrgTokenAs(member.ID, "admin.users:write"))
	narrow := addToken(srv, o.OrgToken("admin.users:read"))
	bot := addToken(srv, o.BotToken("admin.users:write"))
	args := []string{"team_id", t1, "user_id", target.ID, "email", "x@example.com", "channel_ids", o.Channels(t1)[0].ID}
	for _, m := range []string{"admin.users.assign", "admin.users.remove", "admin.users.invite"} {
		requireError(t, call(t, srv, m, form(append([]string{"token", memberUserTok}, args...)...)), "not_an_admin")
		requireError(t, call(t, srv, m, form(append([]string{"token", memberOrgTok}, args...)...)), "not_an_admin")
		requireError(t, call(t, srv, m, form(append([]string{"token", bot}, args...)...)), "not_allowed_token_type")
		e := requireError(t, call(t, srv, m, form(append([]string{"token", narrow}, args...)...)), "missing_scope")
		require.Equal(t, "admin.users:write", e.Needed)
	}
	// The user token of an org admin works.
	requireOK(t, call(t, srv, "admin.users.assign", form("token", adminUserTok, "team_id", t1, "user_id", target.ID)))
	requireOK(t, callJSON(t, srv, "admin.users.remove", adminUserTok, map[string]any{"team_id": t1, "user_id": target.ID}))

	// Off Grid: feature_not_enabled.
	for _, plan := range []string{slacktest.PlanPro, slacktest.PlanBusiness} {
		b := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 40, Plan: plan})
		tok := b.OrgToken("admin.users:write")
		bs := slacktest.NewServer(b, slacktest.WithToken(tok))
		for _, m := range []string{"admin.users.assign", "admin.users.remove", "admin.users.invite"} {
			requireError(t, call(t, bs, m, form("token", tok.Value, "team_id", b.Teams[0].ID)), "feature_not_enabled")
		}
		bs.Close()
	}
}

func TestWriteMethodFaults(t *testing.T) {
	srv, org := newWriteGrid(t, 200, 2)
	o := srv.Org()
	t1 := o.Teams[1].ID
	var targets []*slacktest.User
	for _, u := range o.CurrentUsers() {
		if isMember(o.Teams[0].ID)(u) && !u.InTeam(t1) && len(targets) < 3 {
			targets = append(targets, u)
		}
	}
	srv.Inject(slacktest.Fault{Method: "admin.users.assign", After: 1, Status: http.StatusTooManyRequests, RetryAfter: 7})
	srv.Inject(slacktest.Fault{Method: "chat.postMessage", Error: "fatal_error"})
	assign := func(u *slacktest.User) response {
		return call(t, srv, "admin.users.assign", form("token", org.Value, "team_id", t1, "user_id", u.ID))
	}
	requireOK(t, assign(targets[0]))
	r := assign(targets[1])
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	require.Equal(t, "7", r.Header.Get("Retry-After"))
	require.NotContains(t, o.User(targets[1].ID).Teams, t1, "a faulted write changes nothing")
	requireOK(t, assign(targets[1]))
	require.Equal(t, 3, srv.Calls("admin.users.assign"))

	bot := addToken(srv, o.BotToken("chat:write"))
	requireError(t, call(t, srv, "chat.postMessage", form("token", bot, "channel", "general", "text", "hi")), "fatal_error")
	require.Empty(t, o.Messages())
	requireOK(t, call(t, srv, "chat.postMessage", form("token", bot, "channel", "general", "text", "hi")))
	require.Len(t, o.Messages(), 1)
}
