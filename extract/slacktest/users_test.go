package slacktest_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

func TestUsersListDeterministic(t *testing.T) {
	cfg := slacktest.Config{Seed: 11, Users: 300}
	a, tokA := newServer(t, cfg)
	b, tokB := newServer(t, cfg)
	c, tokC := newServer(t, slacktest.Config{Seed: 12, Users: 300})
	require.Equal(t, tokA, tokB)
	bodyA := call(t, a, "users.list", form("token", tokA, "limit", "200")).Body
	bodyB := call(t, b, "users.list", form("token", tokB, "limit", "200")).Body
	bodyC := call(t, c, "users.list", form("token", tokC, "limit", "200")).Body
	require.Equal(t, bodyA, bodyB, "same seed, byte-identical responses")
	require.NotEqual(t, bodyA, bodyC)
	require.True(t, json.Valid(bodyA))
}

func TestUsersListShape(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 2, Users: 1000})
	o := srv.Org()
	members, pages := listAll(t, srv, tok, 1000)
	require.Equal(t, 1, pages)
	require.Len(t, members, len(o.Users))
	var sawBot, sawSlackbot, sawDeleted, sawInvited, sawGuest, sawUltra, sawUnicode, sawFolded bool
	for i, m := range members {
		u := o.Users[i]
		require.Equal(t, u.ID, m.ID)
		require.Equal(t, u.TeamID, m.TeamID)
		require.Equal(t, u.Name, m.Name)
		require.Equal(t, u.Deleted, m.Deleted)
		require.Equal(t, u.RealName, m.Profile.RealName)
		require.Equal(t, u.DisplayName, m.Profile.DisplayName)
		require.Equal(t, u.Title, m.Profile.Title)
		require.Equal(t, u.Updated.Unix(), m.Updated)
		require.Equal(t, u.TeamID, m.Profile.Team)
		require.Nil(t, m.Profile.Fields)
		require.NotEmpty(t, m.Profile.Image72)
		require.Equal(t, u.IsAdmin, m.IsAdmin)
		require.Equal(t, u.IsOwner, m.IsOwner)
		require.Equal(t, u.IsPrimaryOwner, m.IsPrimaryOwner)
		require.Equal(t, u.IsRestricted, m.IsRestricted)
		require.Equal(t, u.IsUltraRestricted, m.IsUltraRestricted)
		require.Equal(t, u.IsBot, m.IsBot)
		require.Equal(t, u.IsAppUser, m.IsAppUser)
		require.Equal(t, u.Has2FA, m.Has2FA)
		require.Nil(t, m.EnterpriseUser, "enterprise_user only on Grid")
		if u.IsInvitedUser {
			require.NotNil(t, m.IsInvitedUser)
			require.True(t, *m.IsInvitedUser)
			sawInvited = true
		} else {
			require.Nil(t, m.IsInvitedUser, "is_invited_user only when true")
		}
		if u.Email != "" {
			require.NotNil(t, m.Profile.Email)
			require.Equal(t, u.Email, *m.Profile.Email)
		} else {
			require.Nil(t, m.Profile.Email)
		}
		if m.Deleted {
			sawDeleted = true
			require.Nil(t, m.RealName, "deleted users omit top-level real_name")
			require.False(t, m.IsAdmin || m.IsOwner || m.IsRestricted)
		} else {
			require.NotNil(t, m.RealName)
			require.Equal(t, u.RealName, *m.RealName)
			require.Equal(t, u.TZ, m.TZ)
			require.Equal(t, u.TZOffset, m.TZOffset)
			require.NotEmpty(t, m.TZLabel)
			require.Regexp(t, `^[0-9a-f]{6}$`, m.Color)
		}
		switch {
		case m.ID == slacktest.SlackbotID:
			sawSlackbot = true
			require.False(t, m.IsBot, "Slack lists Slackbot with is_bot false")
			require.Equal(t, "slackbot", m.Name)
		case m.IsBot:
			sawBot = true
			require.Equal(t, u.BotID, m.Profile.BotID)
			require.Equal(t, u.AppID, m.Profile.APIAppID)
		case m.IsUltraRestricted:
			sawUltra = true
			require.True(t, m.IsRestricted)
		case m.IsRestricted:
			sawGuest = true
		}
		if !isASCII(m.Profile.RealName) {
			sawUnicode = true
			if m.Profile.RealNameNormalized != m.Profile.RealName && isASCII(m.Profile.RealNameNormalized) {
				sawFolded = true
			}
		}
		if m.Profile.FirstName != "" && m.Profile.LastName != "" && !m.IsBot {
			require.Contains(t, m.Profile.RealName, m.Profile.FirstName)
			require.Contains(t, m.Profile.RealName, m.Profile.LastName)
		}
	}
	require.True(t, sawBot && sawSlackbot && sawDeleted && sawInvited && sawGuest && sawUltra && sawUnicode && sawFolded)
}

func TestUsersListPaging(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 4, Users: 2500}, slacktest.WithRateLimits(false))
	members, pages := listAll(t, srv, tok, 1000)
	require.Equal(t, 3, pages)
	require.Len(t, members, 2500)
	seen := map[string]bool{}
	for i, m := range members {
		require.False(t, seen[m.ID], "member listed twice: %s", m.ID)
		seen[m.ID] = true
		require.Equal(t, srv.Org().Users[i].ID, m.ID, "ID order")
	}
	require.Equal(t, 3, srv.Calls("users.list"))

	// Limits above 1000 are capped.
	page := decode[usersPage](t, call(t, srv, "users.list", form("token", tok, "limit", "5000")))
	require.Len(t, page.Members, 1000)
	require.NotEmpty(t, *page.ResponseMetadata.NextCursor)

	// No limit on a workspace of more than 1000 accounts.
	requireError(t, call(t, srv, "users.list", form("token", tok)), "limit_required")
	requireError(t, call(t, srv, "users.list", form("token", tok, "limit", "0")), "invalid_limit")
	requireError(t, call(t, srv, "users.list", form("token", tok, "limit", "many")), "invalid_limit")

	// Invalid cursors: garbage, wrong method, unknown position.
	for _, cursor := range []string{
		"not base64!",
		base64.StdEncoding.EncodeToString([]byte("billable:" + members[5].ID)),
		base64.StdEncoding.EncodeToString([]byte("user:U0NOTAUSER")),
		base64.StdEncoding.EncodeToString([]byte("users:17")),
	} {
		requireError(t, call(t, srv, "users.list", form("token", tok, "limit", "10", "cursor", cursor)), "invalid_cursor")
	}
	// A cursor names the next member, as Slack's own cursors do.
	first := decode[usersPage](t, call(t, srv, "users.list", form("token", tok, "limit", "10")))
	raw, err := base64.StdEncoding.DecodeString(*first.ResponseMetadata.NextCursor)
	require.NoError(t, err)
	require.Equal(t, "user:"+members[10].ID, string(raw))
}

func TestUsersListSmallLimitAndNoLimit(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 6, Users: 100}, slacktest.WithRateLimits(false))
	members, pages := listAll(t, srv, tok, 7)
	require.Len(t, members, 100)
	require.Equal(t, 15, pages)
	// Small workspaces get everyone without a limit, with an empty next_cursor.
	page := decode[usersPage](t, call(t, srv, "users.list", form("token", tok)))
	require.Len(t, page.Members, 100)
	require.Equal(t, "", *page.ResponseMetadata.NextCursor)
	require.Equal(t, srv.Org().Now.Unix(), page.CacheTS)
	// An exact multiple of the limit does not end with an empty page.
	_, pages = listAll(t, srv, tok, 50)
	require.Equal(t, 2, pages)
}

func TestUsersListEmailScope(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 50})
	noEmail := o.UserToken(o.AdminToken().UserID, "users:read")
	bot := o.BotToken("users:read", "users:read.email")
	srv := slacktest.NewServer(o, slacktest.WithToken(noEmail), slacktest.WithToken(bot))
	t.Cleanup(srv.Close)

	r := call(t, srv, "users.list", form("token", noEmail.Value))
	require.NotContains(t, string(r.Body), `"email"`)
	page := decode[usersPage](t, r)
	require.Len(t, page.Members, 50)

	page = decode[usersPage](t, call(t, srv, "users.list", form("token", bot.Value)))
	emails := 0
	for _, m := range page.Members {
		if m.Profile.Email != nil {
			emails++
		}
	}
	require.Greater(t, emails, 30)
}

func TestUsersListEnterprise(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{Seed: 8, Users: 1500, Plan: slacktest.PlanEnterprise, Workspaces: 3})
	orgTok := o.OrgToken("users:read", "users:read.email", "admin", "team:read", "team.billing:read")
	srv := slacktest.NewServer(o, slacktest.WithToken(orgTok), slacktest.WithRateLimits(false))
	t.Cleanup(srv.Close)

	requireError(t, call(t, srv, "users.list", form("token", orgTok.Value, "limit", "100")), "missing_argument")
	requireError(t, call(t, srv, "users.list", form("token", orgTok.Value, "limit", "100", "team_id", "T0NOPE")), "invalid_team_id")

	union := map[string]bool{}
	for _, team := range o.Teams {
		members, _ := listAll(t, srv, orgTok.Value, 1000, "team_id", team.ID)
		want := 0
		for _, u := range o.Users {
			if u.InTeam(team.ID) {
				want++
			}
		}
		require.Len(t, members, want, team.ID)
		for _, m := range members {
			union[m.ID] = true
			if m.ID == slacktest.SlackbotID {
				require.Nil(t, m.EnterpriseUser)
				continue
			}
			require.NotNil(t, m.EnterpriseUser)
			require.Equal(t, o.EnterpriseID, m.EnterpriseUser.EnterpriseID)
			require.Equal(t, m.ID, m.EnterpriseUser.ID)
			require.Contains(t, m.EnterpriseUser.Teams, team.ID)
			require.Equal(t, o.User(m.ID).Teams, m.EnterpriseUser.Teams)
		}
	}
	require.Len(t, union, len(o.Users))

	// The admin token is a workspace token of the primary owner, who is in every workspace.
	admin := o.AdminToken().Value
	members, _ := listAll(t, srv, admin, 1000)
	for _, m := range members {
		require.Contains(t, o.User(m.ID).Teams, o.Teams[0].ID)
	}
	members2, _ := listAll(t, srv, admin, 1000, "team_id", o.Teams[2].ID)
	require.NotEqual(t, members[0].ID, members2[1].ID)
}

// TestJSONEscaping round-trips awkward strings through users.list, in both
// escaping modes.
func TestJSONEscaping(t *testing.T) {
	weird := []string{
		`quote " backslash \ slash /`,
		"control \x00\x01\x1f tab\t newline\n cr\r",
		"Zoë Ångström 李雷 Ахмед Садыков Siobhán Ó Briain",
		"emoji 🦊 and \u2028 \u2029 separators",
		"<script>&amp;</script>",
	}
	for _, slackEscaping := range []bool{false, true} {
		o := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 20})
		for i, s := range weird {
			o.Users[i].Title = s
			o.Users[i].DisplayName = s
		}
		o.Users[len(weird)].Title = "bad utf8 \xff\xfe end"
		srv := slacktest.NewServer(o, slacktest.WithSlackEscaping(slackEscaping))
		t.Cleanup(srv.Close)
		r := call(t, srv, "users.list", form("token", o.AdminToken().Value))
		require.True(t, json.Valid(r.Body))
		page := decode[usersPage](t, r)
		for i, s := range weird {
			require.Equal(t, s, page.Members[i].Profile.Title)
			require.Equal(t, s, page.Members[i].Profile.DisplayName)
		}
		require.Equal(t, "bad utf8 \ufffd\ufffd end", page.Members[len(weird)].Profile.Title)
		require.False(t, bytes.Contains(r.Body, []byte("\u2028")))
		if slackEscaping {
			require.True(t, isASCII(string(r.Body)), "Slack-style escaping leaves only ASCII")
			require.Contains(t, string(r.Body), `https:\/\/`)
			require.Contains(t, string(r.Body), `\ud83e\udd8a`)
		} else {
			require.Contains(t, string(r.Body), "李雷")
		}
	}
}
