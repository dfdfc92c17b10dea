package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
	"slackaudit/warehouse"
)

// pacedScale is the time scale of the rate-limited syncs: a minute of
// Slack's rate limits lasts 120 ms.
const pacedScale = 0.002

// pacedGrid serves a Grid organisation of users people in 3 workspaces
// with Slack's tiers enforced in sliding windows, time-scaled, and returns
// a sync's options against it with a client that paces to the same scale.
func pacedGrid(tb testing.TB, users int, scale float64) (*slacktest.Server, Options) {
	tb.Helper()
	org := slacktest.NewOrg(slacktest.Config{Seed: 17, Users: users, Workspaces: 3, Plan: slacktest.PlanEnterprise})
	srv := slacktest.NewServer(org, slacktest.WithTimeScale(scale))
	tb.Cleanup(srv.Close)
	tok := org.OrgToken(append(slacktest.AdminScopes(), "admin.teams:read", "admin.users:read", "admin.analytics:read", "admin.apps:read")...)
	srv.AddToken(tok)
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: tok.Value, TimeScale: scale, StallTimeout: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(tb, err)
	return srv, Options{Client: c, DB: openDB(tb), AsOf: org.Now}
}

// minimumCalls are the calls each paged method needs to list what the
// sync landed: ⌈rows ÷ the largest page⌉ for each list (admin.users.list
// lists the active accounts, then the deactivated ones), and one
// admin.analytics.getFile a day of the window.
func minimumCalls(tb testing.TB, db *warehouse.DB, days int) map[string]int {
	tb.Helper()
	pages := func(q string, size int) int {
		n := queryInt(tb, db, fmt.Sprintf("SELECT COALESCE(sum(ceil(n / %d)), 0) FROM (%s)", size, q))
		return int(n)
	}
	perTeam := func(table string) string { return "SELECT count(*) AS n FROM " + table + " GROUP BY team_id" }
	return map[string]int{
		"admin.users.list":        pages("SELECT count(*) AS n FROM org_users GROUP BY is_active", slackapi.AdminUsersPageSize),
		"users.list":              pages(perTeam("users"), slackapi.UsersPageSize),
		"team.billableInfo":       pages(perTeam("billable_info"), slackapi.BillablePageSize),
		"team.accessLogs":         pages(perTeam("access_logs"), slackapi.AccessLogsPageSize),
		"admin.analytics.getFile": days,
	}
}

// requireMinimumCalls checks that every paged method made the least calls
// its rows need, and that Slack's rate limits refused none.
func requireMinimumCalls(tb testing.TB, srv *slacktest.Server, db *warehouse.DB, days int) {
	tb.Helper()
	for method, want := range minimumCalls(tb, db, days) {
		require.Equal(tb, want, srv.Calls(method), "calls of %s", method)
	}
	require.Empty(tb, srv.RateLimitedCounts(), "429s drawn by the sync's own pacing")
}

// A sync of a 10,000-person Grid organisation against Slack's tiers, in
// sliding windows, makes the least calls each paged method needs, draws
// no 429, and reports the floor its calls allow: here the analytics files,
// one a day at Tier 2 (20 a minute).
func TestSyncMakesTheLeastCallsAndReportsItsFloor(t *testing.T) {
	t.Parallel()
	srv, o := pacedGrid(t, 10_000, pacedScale)
	o.Window = 30 * 24 * time.Hour
	res, err := Run(context.Background(), o)
	require.NoError(t, err)
	requireMinimumCalls(t, srv, o.DB, 30)
	assert.Equal(t, 30, srv.Calls("admin.analytics.getFile"), "one call a day of the window, none for today")
	assert.Equal(t, "admin.analytics.getFile", res.FloorMethod)
	assert.Equal(t, time.Duration(30.0/20*pacedScale*float64(time.Minute)), res.Floor)
	note := queryString(t, o.DB, "SELECT reason FROM source_status WHERE source = 'member_activity'")
	today := o.AsOf.UTC().Format(time.DateOnly)
	yesterday := o.AsOf.UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	assert.Contains(t, note, yesterday+" not yet available", "yesterday's file may come later, so it is asked for")
	assert.NotContains(t, note, today, "today's file cannot exist yet, so it is not asked for")
}

// The sync after the first starts the data sets longest first by the rows
// the first one landed: in a Grid organisation of 3,000 people,
// admin.users.list (100 a page at 100 a minute) before users.list (1,000
// a page at 20 a minute), and the one-call lists last.
func TestDataSetsStartLongestFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, tok := orgServer(t, slacktest.Config{Seed: 3, Users: 3000, Workspaces: 3, Plan: slacktest.PlanEnterprise}, true)
	o := options(t, srv, tok)
	o.Window = 3 * 24 * time.Hour
	_, err := Run(ctx, o)
	require.NoError(t, err)
	wr, err := o.DB.BeginRun(ctx, warehouse.RunInfo{AsOf: o.AsOf})
	require.NoError(t, err)
	defer wr.Fail(ctx, context.Canceled)
	p, err := planRun(ctx, wr, defaultRegistry(), o.withDefaults(time.Now()))
	require.NoError(t, err)
	est, err := estimates(ctx, wr, p.sources)
	require.NoError(t, err)
	var order []string
	for _, i := range longestFirst(est) {
		order = append(order, extract.Name(p.sources[i].src))
	}
	orgUsers := queryInt(t, o.DB, "SELECT count(*) FROM org_users")
	require.Equal(t, slackapi.MethodCalls{Tier: slackapi.Tier4, Calls: orgUsers/100 + 1}.Floor(), est[slices.IndexFunc(p.sources, func(ps plannedSource) bool {
		return extract.Name(ps.src) == "org_users"
	})], "org_users is estimated from the rows the last sync landed")
	assert.Equal(t, "org_users", order[0])
	assert.Less(t, slices.Index(order, "users"), slices.Index(order, "user_groups"))
}
