package slacktest_test

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

type billablePage struct {
	OK               bool                       `json:"ok"`
	BillableInfo     map[string]billingActiveJS `json:"billable_info"`
	ResponseMetadata struct {
		NextCursor string `json:"next_cursor"`
	} `json:"response_metadata"`
}

type billingActiveJS struct {
	BillingActive *bool `json:"billing_active"`
}

func TestTeamBillableInfo(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 3, Users: 1200}, slacktest.WithRateLimits(false))
	o := srv.Org()

	// No limit: everything in one page.
	r := call(t, srv, "team.billableInfo", form("token", tok))
	page := decode[billablePage](t, r)
	require.True(t, page.OK)
	require.Empty(t, page.ResponseMetadata.NextCursor)
	require.Len(t, page.BillableInfo, len(o.Users))
	active := 0
	for _, u := range o.Users {
		b, ok := page.BillableInfo[u.ID]
		require.True(t, ok, u.ID)
		require.NotNil(t, b.BillingActive)
		want := !u.Deleted && !u.IsBot && !u.IsAppUser && u.ID != slacktest.SlackbotID
		require.Equal(t, want, *b.BillingActive, "%s %+v", u.ID, u)
		if want {
			active++
		}
	}
	require.Greater(t, active, len(o.Users)*8/10)
	// The body lists users in ID order.
	require.Contains(t, string(r.Body), `{"ok":true,"billable_info":{"`+o.Users[0].ID+`":{"billing_active":`)

	// Paged.
	seen := map[string]bool{}
	cursor := ""
	pages := 0
	for {
		p := decode[billablePage](t, call(t, srv, "team.billableInfo", form("token", tok, "limit", "500", "cursor", cursor)))
		pages++
		for id := range p.BillableInfo {
			require.False(t, seen[id])
			seen[id] = true
		}
		cursor = p.ResponseMetadata.NextCursor
		if cursor == "" {
			break
		}
	}
	require.Equal(t, 3, pages)
	require.Len(t, seen, len(o.Users))

	// One user.
	guest := ""
	for _, u := range o.Users {
		if u.IsUltraRestricted {
			guest = u.ID
			break
		}
	}
	p := decode[billablePage](t, call(t, srv, "team.billableInfo", form("token", tok, "user", guest)))
	require.Len(t, p.BillableInfo, 1)
	require.True(t, *p.BillableInfo[guest].BillingActive)

	requireError(t, call(t, srv, "team.billableInfo", form("token", tok, "user", "U0NOBODY")), "user_not_found")
	requireError(t, call(t, srv, "team.billableInfo", form("token", tok, "limit", "1001")), "invalid_limit")
	requireError(t, call(t, srv, "team.billableInfo", form("token", tok, "limit", "0")), "invalid_limit")
	requireError(t, call(t, srv, "team.billableInfo", form("token", tok, "limit", "10",
		"cursor", base64.StdEncoding.EncodeToString([]byte("user:"+o.Users[3].ID)))), "invalid_cursor")
}

func TestTeamBillableInfoFreeAndTokens(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{Seed: 3, Users: 100, Plan: slacktest.PlanFree})
	bot := o.BotToken("admin", "users:read")
	srv := slacktest.NewServer(o, slacktest.WithToken(bot))
	t.Cleanup(srv.Close)
	page := decode[billablePage](t, call(t, srv, "team.billableInfo", form("token", o.AdminToken().Value)))
	require.Len(t, page.BillableInfo, 100)
	for id, b := range page.BillableInfo {
		require.False(t, *b.BillingActive, "nobody is billed on Free: %s", id)
	}
	requireError(t, call(t, srv, "team.billableInfo", form("token", bot.Value)), "not_allowed_token_type")
}

func TestTeamInfoAndBillingInfo(t *testing.T) {
	type teamInfo struct {
		OK   bool `json:"ok"`
		Team struct {
			ID             string `json:"id"`
			Name           string `json:"name"`
			Domain         string `json:"domain"`
			EmailDomain    string `json:"email_domain"`
			EnterpriseID   string `json:"enterprise_id"`
			EnterpriseName string `json:"enterprise_name"`
			Icon           struct {
				Image34      string `json:"image_34"`
				ImageDefault bool   `json:"image_default"`
			} `json:"icon"`
		} `json:"team"`
	}
	type billing struct {
		OK   bool   `json:"ok"`
		Plan string `json:"plan"`
	}
	for _, plan := range []string{slacktest.PlanFree, slacktest.PlanPro, slacktest.PlanBusiness, slacktest.PlanCompliance} {
		srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 30, Plan: plan})
		info := decode[teamInfo](t, call(t, srv, "team.info", form("token", tok)))
		require.True(t, info.OK)
		team := srv.Org().Teams[0]
		require.Equal(t, team.ID, info.Team.ID)
		require.Equal(t, "Acme", info.Team.Name)
		require.Equal(t, "acme", info.Team.Domain)
		require.Equal(t, "acme.example.com", info.Team.EmailDomain)
		require.NotEmpty(t, info.Team.Icon.Image34)
		require.True(t, info.Team.Icon.ImageDefault)
		require.Empty(t, info.Team.EnterpriseID)
		b := decode[billing](t, call(t, srv, "team.billing.info", form("token", tok)))
		require.Equal(t, plan, b.Plan)
		requireError(t, call(t, srv, "team.info", form("token", tok, "team", "T0NOPE")), "team_not_found")
	}

	o := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 100, Plan: slacktest.PlanEnterprise, Workspaces: 2, Name: "Umbrella"})
	orgTok := o.OrgToken("team:read", "team.billing:read")
	srv := slacktest.NewServer(o, slacktest.WithToken(orgTok))
	t.Cleanup(srv.Close)
	info := decode[teamInfo](t, call(t, srv, "team.info", form("token", o.AdminToken().Value, "team", o.Teams[1].ID)))
	require.Equal(t, o.Teams[1].ID, info.Team.ID)
	require.Equal(t, "Umbrella Engineering", info.Team.Name)
	require.Equal(t, o.EnterpriseID, info.Team.EnterpriseID)
	require.Equal(t, "Umbrella", info.Team.EnterpriseName)
	requireError(t, call(t, srv, "team.info", form("token", orgTok.Value)), "missing_argument")
	require.Equal(t, o.Teams[0].ID, decode[teamInfo](t, call(t, srv, "team.info", form("token", orgTok.Value, "team", o.Teams[0].ID))).Team.ID)
	require.Equal(t, "enterprise", decode[billing](t, call(t, srv, "team.billing.info", form("token", orgTok.Value, "team_id", o.Teams[1].ID))).Plan)
	requireError(t, call(t, srv, "team.billing.info", form("token", orgTok.Value)), "missing_argument")
}

func TestAuthTest(t *testing.T) {
	type authTest struct {
		OK                  bool    `json:"ok"`
		URL                 string  `json:"url"`
		Team                string  `json:"team"`
		User                string  `json:"user"`
		TeamID              string  `json:"team_id"`
		UserID              string  `json:"user_id"`
		BotID               *string `json:"bot_id"`
		EnterpriseID        *string `json:"enterprise_id"`
		IsEnterpriseInstall bool    `json:"is_enterprise_install"`
	}
	o := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 40})
	bot := o.BotToken() // auth.test needs no scope
	srv := slacktest.NewServer(o, slacktest.WithToken(bot))
	t.Cleanup(srv.Close)
	admin := o.AdminToken()
	a := decode[authTest](t, call(t, srv, "auth.test", form("token", admin.Value)))
	require.True(t, a.OK)
	require.Equal(t, "https://acme.slack.com/", a.URL)
	require.Equal(t, "Acme", a.Team)
	require.Equal(t, o.User(admin.UserID).Name, a.User)
	require.Equal(t, o.Teams[0].ID, a.TeamID)
	require.Equal(t, admin.UserID, a.UserID)
	require.Nil(t, a.BotID)
	require.Nil(t, a.EnterpriseID)
	require.False(t, a.IsEnterpriseInstall)

	b := decode[authTest](t, call(t, srv, "auth.test", form("token", bot.Value)))
	require.NotNil(t, b.BotID)
	require.Equal(t, o.User(bot.UserID).BotID, *b.BotID)

	eo := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 40, Plan: slacktest.PlanEnterprise})
	esrv := slacktest.NewServer(eo)
	t.Cleanup(esrv.Close)
	e := decode[authTest](t, call(t, esrv, "auth.test", form("token", eo.AdminToken().Value)))
	require.NotNil(t, e.EnterpriseID)
	require.Equal(t, eo.EnterpriseID, *e.EnterpriseID)
}
