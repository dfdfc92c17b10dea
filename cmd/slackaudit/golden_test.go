package main

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
	"slackaudit/queries"
)

// TestNamedQueriesGolden pins every named query's output on a Business+ and
// an Enterprise Grid org, so moving code around cannot change what analysts
// get. Rewrite with -update and review the diff when a change is intended.
func TestNamedQueriesGolden(t *testing.T) {
	t.Parallel()
	for _, org := range []struct {
		name string
		cfg  slacktest.Config
		args []string
	}{
		{"business_plus", slacktest.Config{Seed: 17, Users: 400}, nil},
		{"grid", slacktest.Config{Seed: 5, Users: 300, Plan: slacktest.PlanEnterprise, Workspaces: 3, AppsPerWorkspace: 8}, []string{"--mode", "grid_org"}},
	} {
		t.Run(org.name, func(t *testing.T) {
			t.Parallel()
			srv, tok := orgServer(t, org.cfg)
			if org.cfg.Plan == slacktest.PlanEnterprise {
				ot := srv.Org().OrgToken(append(slacktest.AdminScopes(), "admin.teams:read", "admin.users:read", "admin.analytics:read", "admin.apps:read")...)
				srv.AddToken(ot)
				tok = ot.Value
			}
			db := tempDB(t)
			c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
			r := c.run(append([]string{"sync", "--db", db, "--api-url", srv.URL()}, org.args...)...)
			require.Equal(t, exitOK, r.code, r.stderr)
			for _, n := range queries.All() {
				r := c.run("query", "--db", db, "--named", n.Name, "--format", "csv")
				require.Equal(t, exitOK, r.code, "%s: %s", n.Name, r.stderr)
				golden(t, "queries/"+org.name+"/"+n.Name+".csv", r.stdout)
			}
		})
	}
}

// servingAt is the demo's line naming its loopback port, which changes.
var servingAt = regexp.MustCompile(`http://127\.0\.0\.1:\d+/api/`)

// TestDemoGolden pins what a new user sees first.
func TestDemoGolden(t *testing.T) {
	t.Parallel()
	c := newCLI(t, nil)
	db := tempDB(t)
	r := c.run("demo", "--db", db)
	require.Equal(t, exitOK, r.code, r.stderr)
	out := servingAt.ReplaceAllString(r.stdout, "http://127.0.0.1:PORT/api/")
	out = regexp.MustCompile(regexp.QuoteMeta(db)).ReplaceAllString(out, "DEMO.duckdb")
	out = regexp.MustCompile(`in \d+(\.\d+)?(ms|s|µs)`).ReplaceAllString(out, "in DURATION")
	golden(t, "demo.txt", out)
}
