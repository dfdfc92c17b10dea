package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
	"slackaudit/queries"
	"slackaudit/queries/report"
	"slackaudit/warehouse"
)

// golden compares got with testdata/golden/name, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -tags duckdb_arrow ./cmd/slackaudit -run %s -update to create it", t.Name())
	assert.Equal(t, string(want), got, "%s changed; if intended, rerun with -update and review the diff", name)
}

func TestReport(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 17, Users: 400})
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL()).code)

	r := c.run("report", "--db", db)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "report.txt", r.stdout)
	for _, want := range []string{"Seats by type:", "What Slack bills against what activity says:",
		"overstates what is billed", "a month", "a year", "Inactive paid seats, longest unused first", "Not synced"} {
		assert.Contains(t, r.stdout, want)
	}

	r = c.run("report", "--db", db, "--format", "markdown", "--top", "3")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "report.md", r.stdout)
	assert.Contains(t, r.stdout, "# Slack licence report")
	assert.Contains(t, r.stdout, "| ----- |")

	r = c.run("report", "--db", db, "--format", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var rep report.Report
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.Len(t, rep.Accounts, 1)
	a := rep.Accounts[0]
	assert.Equal(t, int64(queryInt(t, db, "SELECT count(*) FROM licenses WHERE is_paid_seat_type")), a.Paid)
	assert.Equal(t, int64(queryInt(t, db, "SELECT count(*) FROM licenses WHERE is_paid_seat_type AND NOT active_in_window")), a.Inactive)
	assert.Equal(t, int64(queryInt(t, db, "SELECT count(*) FROM billable_info WHERE billing_active")), a.SlackBillable)
	assert.InDelta(t, 18.0*float64(a.Inactive), a.MonthlyWaste, 1e-6)
	assert.InDelta(t, 12*a.MonthlyWaste, a.YearlyWaste, 1e-6)
	assert.Len(t, a.Offenders, 10)
	assert.True(t, a.AllActivePattern)

	r = c.run("report", "--db", db, "--format", "csv")
	require.Equal(t, exitOK, r.code, r.stderr)
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"section", "org_id", "team_id", "key", "value"}, recs[0])
	assert.Contains(t, r.stdout, "billing_account,"+srv.Org().Teams[0].ID+",,paid_seats,")

	r = c.run("report", "--db", db, "--format", "jsonl")
	assert.Equal(t, exitUsage, r.code)
}

func TestReportBeforeAnySync(t *testing.T) {
	t.Parallel()
	db := tempDB(t)
	srv, _ := orgServer(t, slacktest.Config{Seed: 2, Users: 30, Plan: slacktest.PlanFree})
	// A failed sync creates the warehouse but completes nothing.
	c := newCLI(t, map[string]string{"SLACK_TOKEN": srv.Org().AdminToken().Value})
	require.Equal(t, exitFailure, c.run("sync", "--db", db, "--api-url", srv.URL()).code)
	r := c.run("report", "--db", db)
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "run slackaudit sync first")
}

func TestSyncPriceFlags(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 17, Users: 60, Plan: slacktest.PlanPro})
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	prices := filepath.Join(t.TempDir(), "prices")
	require.NoError(t, os.WriteFile(prices, []byte("cycle=annual\ncurrency=EUR\n"), 0o600))
	r := c.run("sync", "--db", db, "--api-url", srv.URL(), "--prices", prices, "--inactive-after", "14d")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "EUR", queryString(t, db, "SELECT any_value(currency) FROM licenses"))
	assert.Equal(t, 725, queryInt(t, db, "SELECT round(max(monthly_cost) * 100)::INT FROM licenses"), "Pro, annual billing")
	assert.Equal(t, 14, queryInt(t, db, "SELECT max(inactive_after_days) FROM seat_history"))

	r = c.run("sync", "--db", db, "--api-url", srv.URL(), "--price", "pro=10")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 1000, queryInt(t, db, "SELECT round(max(monthly_cost) * 100)::INT FROM licenses"))
	assert.Equal(t, 2, queryInt(t, db, "SELECT count(DISTINCT run_id) FROM seat_history"), "one row per sync per scope")

	r = c.run("sync", "--db", db, "--api-url", srv.URL(), "--price", "teams=3")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `unknown plan "teams"`)
	assert.Contains(t, r.stderr, "business_plus")
	r = c.run("sync", "--db", db, "--api-url", srv.URL(), "--inactive-after", "4w")
	assert.Equal(t, exitUsage, r.code)
	// Amounts that are not money and currencies that are not codes are
	// refused before anything is read.
	runs := queryInt(t, db, "SELECT count(*) FROM sync_runs")
	for _, args := range [][]string{{"--price", "pro=NaN"}, {"--price", "pro=Inf"}, {"--price", "pro=-1"}, {"--currency", "E$"}, {"--currency", "EURO"}} {
		r = c.run(append([]string{"sync", "--db", db, "--api-url", srv.URL()}, args...)...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", args, r.stderr)
	}
	assert.Equal(t, runs, queryInt(t, db, "SELECT count(*) FROM sync_runs"), "no sync started")
}

func TestNamedQueryParametersAreBoundNotSpliced(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	users := queryInt(t, db, "SELECT count(*) FROM users")
	r := c.run("query", "--db", db, "--named", "inactive_paid_seats", "--param", "days=1; DROP TABLE users", "--format", "csv")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "is not a valid INTEGER")

	w, err := warehouse.Open(context.Background(), db, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer w.Close()
	n := queries.Named{Name: "who", SQL: "SELECT count(*) FROM users WHERE real_name = $who",
		Params: []queries.Param{{Name: "who", Type: "VARCHAR", Default: "x"}}}
	for _, attack := range []string{"x' OR '1'='1", "'; DROP TABLE users; --", `" OR 1=1 --`} {
		args, err := n.Args(map[string]string{"who": attack})
		require.NoError(t, err)
		rows, err := w.Stream(context.Background(), n.SQL, args...)
		require.NoError(t, err)
		require.True(t, rows.Next())
		var v any
		require.NoError(t, rows.Scan(&v))
		rows.Close()
		assert.EqualValues(t, 0, v, attack)
	}
	assert.Equal(t, users, queryInt(t, db, "SELECT count(*) FROM users"))

	r = c.run("query", "--db", db, "--named", "inactive_paid_seats", "--param", "days=60", "--format", "csv")
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	assert.Equal(t, queryInt(t, db, "SELECT count(*) FROM licenses WHERE is_paid_seat_type AND (last_used_at IS NULL OR days_since_last_use >= 60)"), len(lines)-1)
}

// TestReportAndNamedQueriesShareTheirSQL: the report's sections are named
// queries that run on their own, and query --list shows them as a group.
func TestReportAndNamedQueriesShareTheirSQL(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	r := c.run("report", "--db", db, "--format", "json", "--top", "3")
	require.Equal(t, exitOK, r.code, r.stderr)
	var rep report.Report
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.Len(t, rep.Accounts, 1)
	a := rep.Accounts[0]
	require.Len(t, a.Offenders, 3)

	r = c.run("query", "--db", db, "--named", "report_inactive_seats", "--param", "org="+a.OrgID, "--param", "top=3", "--format", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var seats []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &seats), r.stdout)
	require.Len(t, seats, 3)
	for i, o := range a.Offenders {
		assert.Equal(t, o.UserID, seats[i]["user_id"])
		assert.Equal(t, o.Name, seats[i]["name"])
	}

	r = c.run("query", "--db", db, "--named", "report_accounts", "--format", "csv")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, fmt.Sprintf("billing_account,%s,,%s,", a.OrgID, a.Name))

	r = c.run("query", "--list")
	require.Equal(t, exitOK, r.code, r.stderr)
	title := strings.Index(r.stdout, "\n"+queries.GroupTitle(queries.GroupReport)+"\n\nreport_")
	require.Positive(t, title, r.stdout)
	assert.Less(t, strings.Index(r.stdout, "seats_by_type\n"), title, "the report's queries come after the others")
	assert.Contains(t, r.stdout[title:], "report_inactive_seats\n")
	assert.Contains(t, r.stdout[title:], "--param org=VARCHAR (default all)")
}
