package slacktest_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

type integrationLogJS struct {
	AppID             *string `json:"app_id"`
	AppType           *string `json:"app_type"`
	ServiceID         *string `json:"service_id"`
	ServiceType       *string `json:"service_type"`
	UserID            string  `json:"user_id"`
	UserName          string  `json:"user_name"`
	Channel           *string `json:"channel"`
	Date              string  `json:"date"`
	ChangeType        string  `json:"change_type"`
	Scope             *string `json:"scope"`
	Reason            *string `json:"reason"`
	RSSFeed           *bool   `json:"rss_feed"`
	RSSFeedChangeType *string `json:"rss_feed_change_type"`
	RSSFeedTitle      *string `json:"rss_feed_title"`
	RSSFeedURL        *string `json:"rss_feed_url"`
}

type integrationLogsPage struct {
	OK     bool               `json:"ok"`
	Logs   []integrationLogJS `json:"logs"`
	Paging *pagingJS          `json:"paging"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// toLog converts a decoded entry to the exported shape.
func (l integrationLogJS) toLog(t testing.TB) slacktest.IntegrationLog {
	date, err := strconv.ParseInt(l.Date, 10, 64)
	require.NoError(t, err, "date is a string of epoch seconds: %q", l.Date)
	out := slacktest.IntegrationLog{
		AppID: str(l.AppID), AppType: str(l.AppType), ServiceID: str(l.ServiceID), ServiceType: str(l.ServiceType),
		UserID: l.UserID, UserName: l.UserName, Channel: str(l.Channel), Date: date, ChangeType: l.ChangeType,
		Scope: str(l.Scope), Reason: str(l.Reason), RSSFeedChangeType: str(l.RSSFeedChangeType),
		RSSFeedTitle: str(l.RSSFeedTitle), RSSFeedURL: str(l.RSSFeedURL),
	}
	if l.RSSFeed != nil {
		out.RSSFeed = *l.RSSFeed
	}
	return out
}

func integrationLogs(t testing.TB, srv *slacktest.Server, kv ...string) integrationLogsPage {
	t.Helper()
	p := decode[integrationLogsPage](t, call(t, srv, "team.integrationLogs", form(kv...)))
	require.True(t, p.OK)
	require.NotNil(t, p.Logs)
	require.NotNil(t, p.Paging)
	return p
}

func TestIntegrationLogsShape(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 8, Users: 800}, slacktest.WithRateLimits(false))
	o := srv.Org()
	team := o.Teams[0].ID
	want := o.IntegrationLogs(team)
	p := integrationLogs(t, srv, "token", tok, "count", "1000")
	require.Equal(t, pagingJS{Count: 1000, Total: len(want), Page: 1, Pages: 1}, *p.Paging)
	require.Len(t, p.Logs, len(want))

	changes := map[string]int{}
	reasons := map[string]bool{}
	var orphan, rss, webhooks, unknownScope int
	known := map[string]bool{}
	for _, s := range strings.Split("channels:history,groups:history,im:history,mpim:history,chat:write,chat:write:user,users:read,"+
		"users:read.email,files:read,files:write,search:read,admin,admin.users:write,usergroups:write,usergroups:read,client,commands,"+
		"reactions:write,emoji:read,incoming-webhook,channels:read,team:read,links:read,links:write,identify,bot,im:write,mpim:write,"+
		"groups:read,channels:join,users.profile:write,dnd:write,calls:write", ",") {
		known[s] = true
	}
	for i, l := range p.Logs {
		got := l.toLog(t)
		require.Equal(t, want[i], got)
		if i > 0 {
			require.GreaterOrEqual(t, want[i-1].Date, got.Date, "newest first")
		}
		require.True(t, (l.AppID != nil) != (l.ServiceID != nil), "an app or a service: %+v", l)
		if l.AppID != nil {
			require.Regexp(t, `^A0[0-9A-Z]{9}$`, *l.AppID)
			require.NotEmpty(t, *l.AppType)
			require.Nil(t, l.ServiceType)
		} else {
			require.Regexp(t, `^[0-9]{10}$`, *l.ServiceID, "service_id is a numeric string")
			require.NotEmpty(t, *l.ServiceType)
			require.Nil(t, l.AppType)
		}
		u := o.User(l.UserID)
		require.NotNil(t, u, "changes are made by real members")
		require.True(t, u.InTeam(team))
		require.Equal(t, u.Name, l.UserName)
		require.GreaterOrEqual(t, got.Date, u.Created.Unix(), "a member when they made the change")
		if u.Deleted {
			require.Less(t, got.Date, u.Updated.Unix(), "before they were deactivated")
			orphan++
		}
		require.LessOrEqual(t, got.Date, o.Now.Unix())
		changes[l.ChangeType]++
		if l.ChangeType == "disabled" {
			require.NotNil(t, l.Reason)
			reasons[*l.Reason] = true
		} else {
			require.Nil(t, l.Reason)
		}
		require.NotNil(t, l.Scope)
		for _, s := range strings.Split(*l.Scope, ",") {
			if s != "" && !known[s] {
				unknownScope++
			}
		}
		if l.RSSFeed != nil {
			rss++
			require.True(t, *l.RSSFeed)
			require.Equal(t, "RSS", *l.ServiceType)
			require.Contains(t, []string{"added", "removed"}, *l.RSSFeedChangeType)
			require.NotEmpty(t, *l.RSSFeedTitle)
			require.True(t, strings.HasPrefix(*l.RSSFeedURL, "https://"))
		}
		if l.ServiceType != nil && *l.ServiceType == "Incoming WebHooks" {
			webhooks++
			require.NotNil(t, l.Channel)
			require.Regexp(t, `^C0[0-9A-Z]{9}$`, *l.Channel)
			require.Equal(t, "incoming-webhook", *l.Scope)
		}
	}
	for _, ct := range []string{"added", "removed", "enabled", "disabled", "updated", "expanded"} {
		require.Greater(t, changes[ct], 0, ct)
	}
	require.Greater(t, changes["scope_reduced"]+changes["token_rotated"], 0, "change types newer than the docs")
	require.Greater(t, len(reasons), 1)
	require.Greater(t, orphan, 0, "some changes were made by people since deactivated")
	require.Greater(t, rss+webhooks, 0)
	require.Greater(t, unknownScope, 0, "scope names newer than any client")
}

// TestIntegrationsFold checks Integrations against the log and the sequences
// the log must contain.
func TestIntegrationsFold(t *testing.T) {
	var cycles, removed, disabled, installed, orphaned, restricted int
	for seed := int64(1); seed <= 6; seed++ {
		o := slacktest.NewOrg(slacktest.Config{Seed: seed, Users: 500, Plan: slacktest.PlanEnterprise, Workspaces: 2})
		for _, team := range o.Teams {
			logs := o.IntegrationLogs(team.ID)
			ins := o.Integrations(team.ID)
			require.GreaterOrEqual(t, len(ins), 20)
			require.LessOrEqual(t, len(ins), 60)
			// Oldest first, per install.
			hist := map[string][]slacktest.IntegrationLog{}
			for i := len(logs) - 1; i >= 0; i-- {
				k := logs[i].AppID + "/" + logs[i].ServiceID
				hist[k] = append(hist[k], logs[i])
			}
			require.Len(t, hist, len(ins), "every install has entries")
			for _, in := range ins {
				h := hist[in.AppID+"/"+in.ServiceID]
				require.NotEmpty(t, h)
				require.Equal(t, "added", h[0].ChangeType, "every history starts with added")
				var kinds []string
				for _, l := range h {
					kinds = append(kinds, l.ChangeType)
					require.Equal(t, in.Name, l.AppType+l.ServiceType)
				}
				lastKind := kinds[len(kinds)-1]
				switch lastKind {
				case "removed":
					require.Equal(t, slacktest.StatusRemoved, in.Status)
					removed++
				case "disabled":
					require.Equal(t, slacktest.StatusDisabled, in.Status)
					disabled++
				default:
					require.Equal(t, slacktest.StatusInstalled, in.Status)
					installed++
				}
				if in.Restricted {
					require.Equal(t, slacktest.StatusRemoved, in.Status)
					restricted++
				}
				if strings.Join(kinds, ",") == "added,expanded,disabled,enabled,removed,added" ||
					strings.HasPrefix(strings.Join(kinds, ","), "added,expanded,disabled,enabled,removed,added,") {
					cycles++
				}
				newestAdd := h[0]
				for _, l := range h {
					if l.ChangeType == "added" {
						newestAdd = l
					}
				}
				require.Equal(t, newestAdd.UserID, in.InstalledBy)
				require.Equal(t, newestAdd.Date, in.InstalledAt)
				require.Equal(t, strings.Join(in.Scopes, ","), h[len(h)-1].Scope, "the newest entry has the granted scopes")
				if in.Status != slacktest.StatusRemoved && o.User(in.InstalledBy).Deleted {
					orphaned++
				}
			}
			// Apps with a bot user in the workspace are installed.
			for _, u := range o.Users {
				if u.IsBot && u.TeamID == team.ID && !strings.ContainsAny(u.RealName, "0123456789") {
					i := slices.IndexFunc(ins, func(in slacktest.Integration) bool { return in.Name == u.RealName })
					require.GreaterOrEqual(t, i, 0, "bot %s has its app installed", u.RealName)
					require.Equal(t, slacktest.StatusInstalled, ins[i].Status)
				}
			}
		}
	}
	require.Greater(t, cycles, 0, "install → expand → disable → enable → remove → reinstall")
	require.Greater(t, removed, 0)
	require.Greater(t, disabled, 0)
	require.Greater(t, installed, 0)
	require.Greater(t, orphaned, 0, "installed by someone since deactivated")
	require.Greater(t, restricted, 0)
}

func TestIntegrationLogsPagingAndFilters(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 3, Users: 400, AppsPerWorkspace: 150}, slacktest.WithRateLimits(false))
	o := srv.Org()
	want := o.IntegrationLogs(o.Teams[0].ID)
	require.Len(t, o.Integrations(o.Teams[0].ID), 150, "AppsPerWorkspace")
	require.Greater(t, len(want), 250)

	first := integrationLogs(t, srv, "token", tok)
	require.Equal(t, pagingJS{Count: 100, Total: len(want), Page: 1, Pages: (len(want) + 99) / 100}, *first.Paging)
	var got []slacktest.IntegrationLog
	for page := 1; ; page++ {
		p := integrationLogs(t, srv, "token", tok, "count", "60", "page", strconv.Itoa(page))
		require.Equal(t, (len(want)+59)/60, p.Paging.Pages)
		for _, l := range p.Logs {
			got = append(got, l.toLog(t))
		}
		if page == p.Paging.Pages {
			break
		}
		require.Len(t, p.Logs, 60)
	}
	require.Equal(t, want, got)
	require.Empty(t, integrationLogs(t, srv, "token", tok, "page", "99").Logs)
	require.Equal(t, 1000, integrationLogs(t, srv, "token", tok, "count", "5000").Paging.Count, "count is capped at 1000")

	filter := func(kv []string, keep func(slacktest.IntegrationLog) bool) {
		t.Helper()
		p := integrationLogs(t, srv, append([]string{"token", tok, "count", "1000"}, kv...)...)
		var exp []slacktest.IntegrationLog
		for _, l := range want {
			if keep(l) {
				exp = append(exp, l)
			}
		}
		require.NotEmpty(t, exp, "%v", kv)
		require.Len(t, p.Logs, len(exp), "%v", kv)
		require.Equal(t, len(exp), p.Paging.Total)
		for i, l := range p.Logs {
			require.Equal(t, exp[i], l.toLog(t))
		}
	}
	var app, svc, user string
	for _, l := range want {
		switch {
		case app == "" && l.AppID != "":
			app = l.AppID
		case svc == "" && l.ServiceID != "":
			svc = l.ServiceID
		}
		if user == "" && l.ChangeType == "removed" {
			user = l.UserID
		}
	}
	filter([]string{"app_id", app}, func(l slacktest.IntegrationLog) bool { return l.AppID == app })
	filter([]string{"service_id", svc}, func(l slacktest.IntegrationLog) bool { return l.ServiceID == svc })
	filter([]string{"user", user}, func(l slacktest.IntegrationLog) bool { return l.UserID == user })
	for _, ct := range []string{"added", "removed", "enabled", "disabled", "updated"} {
		filter([]string{"change_type", ct}, func(l slacktest.IntegrationLog) bool { return l.ChangeType == ct })
	}
	filter([]string{"change_type", "removed", "user", user}, func(l slacktest.IntegrationLog) bool {
		return l.ChangeType == "removed" && l.UserID == user
	})
	require.Empty(t, integrationLogs(t, srv, "token", tok, "app_id", "A0NOPE").Logs)
	requireError(t, call(t, srv, "team.integrationLogs", form("token", tok, "change_type", "expanded")), "invalid_arguments")
	requireError(t, call(t, srv, "team.integrationLogs", form("token", tok, "count", "0")), "invalid_arguments")
	requireError(t, call(t, srv, "team.integrationLogs", form("token", tok, "page", "-1")), "invalid_arguments")
}

func TestIntegrationLogsTokens(t *testing.T) {
	// No plan gate: Free workspaces have logs too.
	free, ftok := newServer(t, slacktest.Config{Seed: 1, Users: 40, Plan: slacktest.PlanFree})
	require.NotEmpty(t, integrationLogs(t, free, "token", ftok).Logs)

	o := free.Org()
	bot := o.BotToken("admin")
	narrow := o.UserToken(o.AdminToken().UserID, "users:read")
	free.AddToken(bot)
	free.AddToken(narrow)
	requireError(t, call(t, free, "team.integrationLogs", form("token", bot.Value)), "not_allowed_token_type")
	require.Equal(t, "admin", requireError(t, call(t, free, "team.integrationLogs", form("token", narrow.Value)), "missing_scope").Needed)

	// Deterministic, and the same app has the same ID in every workspace.
	a := slacktest.NewOrg(slacktest.Config{Seed: 5, Users: 300, Plan: slacktest.PlanEnterprise, Workspaces: 3})
	b := slacktest.NewOrg(slacktest.Config{Seed: 5, Users: 300, Plan: slacktest.PlanEnterprise, Workspaces: 3})
	ids := map[string]string{}
	for _, team := range a.Teams {
		require.Equal(t, a.IntegrationLogs(team.ID), b.IntegrationLogs(team.ID))
		for _, l := range a.IntegrationLogs(team.ID) {
			if l.AppID == "" {
				continue
			}
			if id, ok := ids[l.AppType]; ok {
				require.Equal(t, id, l.AppID, l.AppType)
			}
			ids[l.AppType] = l.AppID
		}
	}
	// Bot users and installs share app IDs.
	for _, u := range a.Users {
		if u.IsBot && !strings.ContainsAny(u.RealName, "0123456789") {
			if id, ok := ids[u.RealName]; ok {
				require.Equal(t, u.AppID, id, u.RealName)
			}
		}
	}
	require.Nil(t, a.IntegrationLogs("T0NOPE"))
	require.Nil(t, a.Integrations("T0NOPE"))

	// The raw date is a JSON string.
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 40})
	var raw struct {
		Logs []map[string]json.RawMessage `json:"logs"`
	}
	require.NoError(t, json.Unmarshal(call(t, srv, "team.integrationLogs", form("token", tok)).Body, &raw))
	require.NotEmpty(t, raw.Logs)
	require.Equal(t, byte('"'), raw.Logs[0]["date"][0])
}

// TestNewMethodsSlackEscaping decodes the new methods' answers written the
// way Slack's production API escapes JSON.
func TestNewMethodsSlackEscaping(t *testing.T) {
	srv, tok := newGrid(t, 300, 2, slacktest.WithSlackEscaping(true))
	o := srv.Org()
	team := o.Teams[0].ID
	r := call(t, srv, "team.integrationLogs", form("token", tok.Value, "team_id", team, "count", "1000"))
	require.Contains(t, string(r.Body), `:\/\/`)
	p := decode[integrationLogsPage](t, r)
	want := o.IntegrationLogs(team)
	require.Len(t, p.Logs, len(want))
	for i, l := range p.Logs {
		require.Equal(t, want[i], l.toLog(t))
	}
	a := accessLogs(t, srv, "token", tok.Value, "team_id", team, "count", "1000")
	logs := o.AccessLogs(team)
	require.Len(t, a.Logins, len(logs))
	for i := range logs {
		require.Equal(t, toJS(logs[i]), a.Logins[i])
	}
	apps := listApps(t, srv, tok.Value, "admin.apps.requests.list", 100, "team_id", team).AppRequests
	require.NotEmpty(t, apps)
	users, _ := adminUsers(t, srv, tok.Value, "team_id", team)
	require.NotEmpty(t, users)
}
