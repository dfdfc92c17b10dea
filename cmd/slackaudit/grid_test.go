package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// gridOrg serves a three-workspace Enterprise Grid org and returns an
// org-level token with every admin read scope.
func gridOrg(t *testing.T, users int) (*slacktest.Server, string) {
	t.Helper()
	srv, _ := orgServer(t, slacktest.Config{Seed: 31, Users: users, Workspaces: 3, Plan: slacktest.PlanEnterprise})
	tok := srv.Org().OrgToken("admin", "admin.teams:read", "admin.users:read", "admin.analytics:read", "admin.apps:read",
		"usergroups:read", "users:read", "users:read.email", "team:read", "team.billing:read")
	srv.AddToken(tok)
	return srv, tok.Value
}

func TestGridOrgSync(t *testing.T) {
	t.Parallel()
	srv, tok := gridOrg(t, 600)
	org := srv.Org()
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	r := c.run("sync", "--db", db, "--api-url", srv.URL(), "--since", "30d")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "mode grid_org")
	assert.Contains(t, r.stdout, "Enterprise Grid, 3 workspaces")
	assert.Contains(t, r.stdout, "not yet available from Slack")

	w := readSnapshot(t, db)
	assert.Equal(t, 3, w.Int("SELECT count(*) FROM workspaces WHERE enterprise_id = ? AND plan = 'enterprise'", org.EnterpriseID))
	memberships, people := 0, 0
	for _, u := range org.Users {
		memberships += len(u.Teams)
		people++
	}
	assert.Equal(t, memberships, w.Int("SELECT count(*) FROM users"), "one users row per workspace membership")
	assert.Equal(t, people-1, w.Int("SELECT count(*) FROM org_users"), "everyone but Slackbot")
	assert.Positive(t, w.Int("SELECT count(*) FROM users u WHERE (SELECT count(*) FROM users v WHERE v.user_id = u.user_id) > 1"),
		"some people are in several workspaces")
	// One user_usage row per person and billing account, however many
	// workspaces they are in.
	assert.Equal(t, people, w.Int("SELECT count(*) FROM user_usage WHERE org_id = ?", org.EnterpriseID))
	assert.Equal(t, 0, w.Int("SELECT count(*) FROM user_usage WHERE org_id <> ?", org.EnterpriseID))
	assert.Equal(t, 29, w.Int("SELECT count(DISTINCT date) FROM member_activity"), "30 days to yesterday, less yesterday (not ready yet)")
	assert.Equal(t, 0, w.Int("SELECT count(*) FROM source_status WHERE status <> 'ok'"))
	assert.Equal(t, 3+3+3+3+3+3, w.Int("SELECT count(*) FROM source_status WHERE source IN ('workspaces','org_users','member_activity') OR team_id LIKE 'T%'"))
	// With daily analytics nothing is estimated, and the last-used source is named.
	assert.Equal(t, 0, w.Int("SELECT count(*) FROM user_usage WHERE frequency_estimated"))
	// Exact times (a sign-in, last_active_ts) win over the day an analytics
	// file shows; every person with use has a named source.
	assert.Equal(t, 0, w.Int("SELECT count(*) FROM user_usage WHERE last_used_at IS NOT NULL AND last_used_source IS NULL"))
	assert.Equal(t, 0, w.Int("SELECT count(*) FROM user_usage WHERE last_used_source = 'member_analytics'"))
	for _, f := range []string{"daily", "weekly", "monthly", "dormant", "never"} {
		assert.Positive(t, w.Int("SELECT count(*) FROM user_usage WHERE usage_frequency = ?", f), f)
	}
	w.Close()

	// A second sync at the same instant fetches only the days Slack did
	// not have ready.
	srv.ResetCalls()
	r = c.run("sync", "--db", db, "--api-url", srv.URL(), "--since", "30d")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 1, srv.Calls("admin.analytics.getFile"), "only yesterday; today's file cannot exist")
	w = readSnapshot(t, db)
	assert.Equal(t, 29, w.Int("SELECT count(DISTINCT date) FROM member_activity"), "no day twice")
	assert.Equal(t, 28*w.Int("SELECT count(*) FROM member_activity")/28, w.Int("SELECT count(*) FROM (SELECT DISTINCT date, user_id FROM member_activity)"))
	assert.Equal(t, people, w.Int("SELECT count(*) FROM user_usage"), "earlier days still feed the transform")
	assert.Equal(t, 0, w.Int(`SELECT count(*) FROM (SELECT * FROM user_usage WHERE usage_frequency <> 'never'
		EXCEPT SELECT * FROM user_usage WHERE active_days_28 IS NOT NULL)`))
}

func TestModeContradictionsAreExplained(t *testing.T) {
	t.Parallel()
	grid, orgTok := gridOrg(t, 60)
	r := newCLI(t, map[string]string{"SLACK_TOKEN": orgTok}).run("sync", "--db", tempDB(t), "--api-url", grid.URL(), "--mode", "business_plus")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "org-level token")
	assert.Contains(t, r.stderr, "use --mode grid_org")

	wsSrv, wsTok := orgServer(t, slacktest.Config{Seed: 2, Users: 60})
	c := newCLI(t, map[string]string{"SLACK_TOKEN": wsTok})
	r = c.run("sync", "--db", tempDB(t), "--api-url", wsSrv.URL(), "--mode", "grid_org")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "--mode grid_org needs an org-level token")
	assert.Contains(t, r.stderr, "Slack Business+")

	r = c.run("sync", "--db", tempDB(t), "--api-url", wsSrv.URL(), "--mode", "pro")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "--mode pro contradicts Slack")
	assert.Contains(t, r.stderr, "pass --mode business_plus")

	r = c.run("sync", "--db", tempDB(t), "--api-url", wsSrv.URL(), "--mode", "teams")
	assert.Equal(t, exitUsage, r.code)

	r = c.run("sync", "--db", tempDB(t), "--api-url", wsSrv.URL(), "--since", "yesterday")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "like 90d")
}

func TestSourceStatusForEachPlan(t *testing.T) {
	t.Parallel()
	type want struct{ source, status, unlock string }
	cases := []struct {
		plan, mode string
		workspace  bool // a workspace token inside a Grid org
		want       []want
	}{
		{slacktest.PlanPro, "pro", false, []want{{"access_logs", "ok", ""}, {"org_users", "unavailable", "upgrade to Enterprise Grid"}, {"member_activity", "unavailable", "upgrade to Enterprise Grid"}}},
		{slacktest.PlanBusiness, "business_plus", false, []want{{"access_logs", "ok", ""}, {"billable_info", "ok", ""}, {"member_activity", "unavailable", "upgrade to Enterprise Grid"}}},
		{slacktest.PlanEnterprise, "grid_workspace", true, []want{{"access_logs", "ok", ""}, {"org_users", "unavailable", "--mode grid_org"}, {"member_activity", "unavailable", "admin.analytics:read"}}},
	}
	for _, tc := range cases {
		t.Run(tc.plan, func(t *testing.T) {
			srv, tok := orgServer(t, slacktest.Config{Seed: 4, Users: 80, Plan: tc.plan, Workspaces: 2})
			db := tempDB(t)
			r := newCLI(t, map[string]string{"SLACK_TOKEN": tok}).run("sync", "--db", db, "--api-url", srv.URL())
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Equal(t, tc.mode, queryString(t, db, "SELECT mode FROM sync_runs"))
			for _, w := range tc.want {
				assert.Equal(t, w.status, queryString(t, db, "SELECT status FROM source_status WHERE source = ?", w.source), w.source)
				if w.unlock != "" {
					assert.Contains(t, queryString(t, db, "SELECT unlock FROM source_status WHERE source = ?", w.source), w.unlock, w.source)
					assert.Contains(t, r.stdout, w.unlock, "the sync prints the gap")
				}
			}
			assert.Equal(t, 1, queryInt(t, db, "SELECT bool_and(frequency_estimated OR usage_frequency IN ('never','dormant'))::INT FROM user_usage"),
				"without analytics, frequency is estimated from sign-ins")
		})
	}
}

// TestUserUsageGolden pins user_usage for a small seeded Grid org.
func TestUserUsageGolden(t *testing.T) {
	t.Parallel()
	srv, tok := gridOrg(t, 40)
	db := tempDB(t)
	r := newCLI(t, map[string]string{"SLACK_TOKEN": tok}).run("sync", "--db", db, "--api-url", srv.URL())
	require.Equal(t, exitOK, r.code, r.stderr)
	r = newCLI(t, nil).run("query", "--db", db, "--format", "csv", `SELECT org_id, user_id, last_used_at, last_used_source,
		days_since_last_use, active_days_7, active_days_28, active_days_30, active_days_90, sign_ins, usage_frequency,
		frequency_estimated FROM user_usage ORDER BY org_id, user_id`)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden := filepath.Join("..", "..", "testdata", "golden", "user_usage.csv")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
		require.NoError(t, os.WriteFile(golden, []byte(r.stdout), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./cmd/slackaudit -run TestUserUsageGolden -update to create it")
	assert.Equal(t, string(want), r.stdout, "user_usage changed; if intended, rerun with -update and review the diff")
	assert.Equal(t, 41, strings.Count(r.stdout, "\n"), fmt.Sprintf("header and 40 people:\n%s", r.stdout))
}
