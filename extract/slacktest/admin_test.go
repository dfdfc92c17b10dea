package slacktest_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// gridScopes are every scope the Grid methods need.
var gridScopes = []string{"admin", "admin.teams:read", "admin.users:read", "admin.analytics:read", "admin.apps:read", "users:read", "team:read", "team.billing:read"}

// newGrid serves an Enterprise Grid org and returns an org-level token with
// every admin scope.
func newGrid(t testing.TB, users, workspaces int, opts ...slacktest.Option) (*slacktest.Server, slacktest.Token) {
	t.Helper()
	o := slacktest.NewOrg(slacktest.Config{Seed: 11, Users: users, Plan: slacktest.PlanEnterprise, Workspaces: workspaces})
	tok := o.OrgToken(gridScopes...)
	srv := slacktest.NewServer(o, append([]slacktest.Option{slacktest.WithToken(tok), slacktest.WithRateLimits(false)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, tok
}

type metadataJS struct {
	NextCursor *string `json:"next_cursor"`
}

type adminTeamsPage struct {
	OK    bool `json:"ok"`
	Teams []struct {
		ID              string `json:"id"`
		Name            string `json:"name"`
		Discoverability string `json:"discoverability"`
		PrimaryOwner    struct {
			UserID string `json:"user_id"`
			Email  string `json:"email"`
		} `json:"primary_owner"`
		TeamURL string `json:"team_url"`
	} `json:"teams"`
	ResponseMetadata metadataJS `json:"response_metadata"`
}

func TestAdminTeamsList(t *testing.T) {
	srv, tok := newGrid(t, 200, 5)
	o := srv.Org()
	var ids []string
	cursor := ""
	for pages := 1; ; pages++ {
		p := decode[adminTeamsPage](t, call(t, srv, "admin.teams.list", form("token", tok.Value, "limit", "2", "cursor", cursor)))
		require.True(t, p.OK)
		for _, team := range p.Teams {
			ids = append(ids, team.ID)
			tt := o.Team(team.ID)
			require.NotNil(t, tt)
			require.Equal(t, tt.Name, team.Name)
			require.Equal(t, "https://"+tt.Domain+".slack.com/", team.TeamURL)
			require.Contains(t, []string{"open", "invite_only", "closed", "unlisted", "hidden"}, team.Discoverability)
			require.Equal(t, o.AdminToken().UserID, team.PrimaryOwner.UserID)
			require.Equal(t, o.User(team.PrimaryOwner.UserID).Email, team.PrimaryOwner.Email)
		}
		require.NotNil(t, p.ResponseMetadata.NextCursor)
		cursor = *p.ResponseMetadata.NextCursor
		if cursor == "" {
			require.Equal(t, 3, pages)
			break
		}
	}
	require.Len(t, ids, 5)
	for i, team := range o.Teams {
		require.Equal(t, team.ID, ids[i])
	}
	p := decode[adminTeamsPage](t, call(t, srv, "admin.teams.list", form("token", tok.Value)))
	require.Len(t, p.Teams, 5, "default limit 100")
	requireError(t, call(t, srv, "admin.teams.list", form("token", tok.Value, "limit", "0")), "invalid_limit")
	requireError(t, call(t, srv, "admin.teams.list", form("token", tok.Value, "limit", "1001")), "invalid_limit")
	requireError(t, call(t, srv, "admin.teams.list", form("token", tok.Value, "cursor", "xx")), "invalid_cursor")
}

// TestAdminPlansAndTokens covers the gates every admin.* method shares.
func TestAdminPlansAndTokens(t *testing.T) {
	admin := []string{"admin.teams.list", "admin.users.list", "admin.apps.approved.list", "admin.apps.restricted.list", "admin.apps.requests.list"}
	all := append(admin, "admin.analytics.getFile")

	// Off Grid, an org token gets feature_not_enabled (analytics: feature_not_available).
	for _, plan := range []string{slacktest.PlanFree, slacktest.PlanPro, slacktest.PlanBusiness, slacktest.PlanCompliance} {
		o := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 30, Plan: plan})
		org := o.OrgToken(gridScopes...)
		srv := slacktest.NewServer(o, slacktest.WithToken(org))
		for _, m := range admin {
			requireError(t, call(t, srv, m, form("token", org.Value, "team_id", o.Teams[0].ID)), "feature_not_enabled")
		}
		requireError(t, call(t, srv, "admin.analytics.getFile", form("token", org.Value, "type", "member", "date", "2026-11-01")), "feature_not_available")
		// Workspace tokens are the wrong kind whatever the plan.
		for _, m := range all {
			requireError(t, call(t, srv, m, form("token", o.AdminToken().Value)), "not_allowed_token_type")
		}
		srv.Close()
	}

	srv, tok := newGrid(t, 100, 2)
	o := srv.Org()
	user := o.UserToken(o.AdminToken().UserID, gridScopes...)
	bot := o.BotToken(gridScopes...)
	narrow := o.OrgToken("admin")
	srv.AddToken(user)
	srv.AddToken(bot)
	srv.AddToken(narrow)
	needed := map[string]string{"admin.teams.list": "admin.teams:read", "admin.users.list": "admin.users:read",
		"admin.apps.approved.list": "admin.apps:read", "admin.apps.restricted.list": "admin.apps:read",
		"admin.apps.requests.list": "admin.apps:read", "admin.analytics.getFile": "admin.analytics:read"}
	for _, m := range all {
		requireError(t, call(t, srv, m, form("token", user.Value)), "not_allowed_token_type")
		requireError(t, call(t, srv, m, form("token", bot.Value)), "not_allowed_token_type")
		e := requireError(t, call(t, srv, m, form("token", narrow.Value)), "missing_scope")
		require.Equal(t, needed[m], e.Needed)
	}

	// Org tokens must name the workspace for team.* and users.* methods.
	for _, m := range []string{"team.accessLogs", "team.integrationLogs", "team.billableInfo", "team.billing.info", "users.list"} {
		requireError(t, call(t, srv, m, form("token", tok.Value)), "missing_argument")
		r := call(t, srv, m, form("token", tok.Value, "team_id", o.Teams[1].ID, "limit", "10"))
		require.True(t, decode[slackError](t, r).OK, "%s: %s", m, r.Body)
	}
}

type adminUserJS struct {
	ID                string   `json:"id"`
	Email             string   `json:"email"`
	IsAdmin           bool     `json:"is_admin"`
	IsOwner           bool     `json:"is_owner"`
	IsPrimaryOwner    bool     `json:"is_primary_owner"`
	IsRestricted      bool     `json:"is_restricted"`
	IsUltraRestricted bool     `json:"is_ultra_restricted"`
	IsBot             bool     `json:"is_bot"`
	Username          string   `json:"username"`
	FullName          string   `json:"full_name"`
	IsActive          bool     `json:"is_active"`
	DateCreated       int64    `json:"date_created"`
	DeactivatedTS     int64    `json:"deactivated_ts"`
	ExpirationTS      int64    `json:"expiration_ts"`
	LastActiveTS      *int64   `json:"last_active_ts"`
	Workspaces        []string `json:"workspaces"`
	Roles             []string `json:"roles"`
	Has2FA            *bool    `json:"has_2fa"`
	HasSSO            *bool    `json:"has_sso"`
}

type adminUsersPage struct {
	OK               bool          `json:"ok"`
	Users            []adminUserJS `json:"users"`
	ResponseMetadata metadataJS    `json:"response_metadata"`
}

// adminUsers pages through admin.users.list.
func adminUsers(t *testing.T, srv *slacktest.Server, tok string, kv ...string) ([]adminUserJS, int) {
	t.Helper()
	var all []adminUserJS
	cursor := ""
	for pages := 1; ; pages++ {
		p := decode[adminUsersPage](t, call(t, srv, "admin.users.list", form(append([]string{"token", tok, "cursor", cursor}, kv...)...)))
		require.True(t, p.OK)
		require.LessOrEqual(t, len(p.Users), 100)
		all = append(all, p.Users...)
		require.NotNil(t, p.ResponseMetadata.NextCursor)
		if cursor = *p.ResponseMetadata.NextCursor; cursor == "" {
			return all, pages
		}
	}
}

func TestAdminUsersList(t *testing.T) {
	srv, tok := newGrid(t, 450, 3)
	o := srv.Org()

	active, pages := adminUsers(t, srv, tok.Value)
	require.Greater(t, pages, 3, "100 a page by default")
	inactive, _ := adminUsers(t, srv, tok.Value, "is_active", "false", "limit", "37")
	seen := map[string]bool{}
	for _, u := range active {
		require.True(t, u.IsActive)
		seen[u.ID] = true
	}
	var guestsWithExpiry int
	for _, u := range inactive {
		require.False(t, u.IsActive)
		require.False(t, seen[u.ID])
		seen[u.ID] = true
		require.Empty(t, u.Workspaces, "deactivated accounts list no workspaces by default")
		require.NotZero(t, u.DeactivatedTS)
	}
	require.Len(t, seen, len(o.Users)-1, "every account but Slackbot")
	require.False(t, seen[slacktest.SlackbotID])

	for _, got := range append(active, inactive...) {
		u := o.User(got.ID)
		require.Equal(t, u.Email, got.Email)
		require.Equal(t, u.Name, got.Username)
		require.Equal(t, u.RealName, got.FullName)
		require.Equal(t, u.IsBot || u.IsAppUser, got.IsBot)
		require.Equal(t, u.IsAdmin, got.IsAdmin)
		require.Equal(t, u.IsOwner, got.IsOwner)
		require.Equal(t, u.IsPrimaryOwner, got.IsPrimaryOwner)
		require.Equal(t, u.IsRestricted, got.IsRestricted)
		require.Equal(t, u.IsUltraRestricted, got.IsUltraRestricted)
		require.Equal(t, u.Created.Unix(), got.DateCreated)
		require.NotNil(t, got.LastActiveTS, "org token without team_id: last_active_ts")
		if u.LastActive.IsZero() {
			require.Zero(t, *got.LastActiveTS)
		} else {
			require.Equal(t, u.LastActive.Unix(), *got.LastActiveTS)
		}
		require.NotNil(t, got.Has2FA)
		require.Equal(t, u.Has2FA, *got.Has2FA)
		require.NotNil(t, got.HasSSO)
		require.Equal(t, u.HasSSO(), *got.HasSSO)
		require.NotNil(t, got.Roles)
		if u.IsAdmin {
			require.NotEmpty(t, got.Roles)
		}
		if got.ExpirationTS != 0 {
			require.True(t, u.IsRestricted)
			require.Greater(t, got.ExpirationTS, o.Now.Unix())
			guestsWithExpiry++
		}
		if !u.Deleted {
			require.Equal(t, u.Teams, got.Workspaces)
			require.Zero(t, got.DeactivatedTS)
		}
	}
	require.Greater(t, guestsWithExpiry, 0)

	withWS, _ := adminUsers(t, srv, tok.Value, "is_active", "false", "include_deactivated_user_workspaces", "true")
	for _, u := range withWS {
		require.Equal(t, o.User(u.ID).Teams, u.Workspaces)
	}

	// With team_id: that workspace's members, and no last_active_ts, has_2fa or has_sso.
	team := o.Teams[1].ID
	r := call(t, srv, "admin.users.list", form("token", tok.Value, "team_id", team, "limit", "100"))
	var raw struct {
		Users []map[string]json.RawMessage `json:"users"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &raw))
	require.NotEmpty(t, raw.Users)
	for _, u := range raw.Users {
		require.NotContains(t, u, "last_active_ts")
		require.NotContains(t, u, "has_2fa")
		require.NotContains(t, u, "has_sso")
		var id string
		require.NoError(t, json.Unmarshal(u["id"], &id))
		require.True(t, o.User(id).InTeam(team))
	}

	guests, _ := adminUsers(t, srv, tok.Value, "only_guests", "true")
	require.NotEmpty(t, guests)
	for _, u := range guests {
		require.True(t, u.IsRestricted)
	}
	admins, _ := adminUsers(t, srv, tok.Value, "include_admins", "true")
	require.NotEmpty(t, admins)
	for _, u := range admins {
		require.True(t, u.IsAdmin && !u.IsOwner, "include_admins alone: admins who are not owners")
	}
	owners, _ := adminUsers(t, srv, tok.Value, "include_owners", "true")
	require.NotEmpty(t, owners)
	for _, u := range owners {
		require.True(t, u.IsOwner)
	}
	both, _ := adminUsers(t, srv, tok.Value, "include_admins", "true", "include_owners", "true")
	require.Len(t, both, len(admins)+len(owners))

	requireError(t, call(t, srv, "admin.users.list", form("token", tok.Value, "limit", "101")), "invalid_limit")
	requireError(t, call(t, srv, "admin.users.list", form("token", tok.Value, "limit", "0")), "invalid_limit")
	requireError(t, call(t, srv, "admin.users.list", form("token", tok.Value, "team_id", "T0NOPE")), "team_not_found")
	requireError(t, call(t, srv, "admin.users.list", form("token", tok.Value, "is_active", "maybe")), "invalid_arguments")
	requireError(t, call(t, srv, "admin.users.list", form("token", tok.Value, "only_guests", "true", "include_admins", "true")), "invalid_arguments")
	requireError(t, call(t, srv, "admin.users.list", form("token", tok.Value, "cursor", "bm9wZQ==")), "invalid_cursor")
}
