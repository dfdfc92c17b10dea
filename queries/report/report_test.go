package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/pipeline"
	"slackaudit/queries"
	"slackaudit/queries/report"
	"slackaudit/queries/textcell"
	"slackaudit/warehouse"
)

var asOf = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// twoAccounts is a warehouse holding one sync of two billing accounts: an
// enterprise E1 with workspaces T1 and T2, and a workspace T9 of its own.
func twoAccounts(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	db, err := warehouse.Open(ctx, path, warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	defer db.Close()
	run, err := db.BeginRun(ctx, warehouse.RunInfo{AsOf: asOf, Mode: "grid_org"})
	require.NoError(t, err)
	run.SetStatus(warehouse.SourceStatus{TeamID: "T9", Source: "access_logs", Status: "unavailable", Reason: "Slack Pro has no sign-in log"})
	run.SetStatus(warehouse.SourceStatus{TeamID: "T1", Source: "users", Status: "ok"})
	require.NoError(t, run.Commit(ctx, 0))
	for _, q := range []string{
		`INSERT INTO workspaces (team_id, name, enterprise_id, enterprise_name, plan) VALUES
		 ('T1', 'Grid One', 'E1', 'Grid Co', 'enterprise'), ('T2', 'Grid Two', 'E1', 'Grid Co', 'enterprise'),
		 ('T9', 'Solo', NULL, NULL, 'pro')`,
		seatRow("billing_account", "E1", "NULL", "enterprise", 5, 3),
		seatRow("workspace", "E1", "'T1'", "enterprise", 3, 2),
		seatRow("workspace", "E1", "'T2'", "enterprise", 3, 2),
		seatRow("billing_account", "T9", "NULL", "pro", 2, 2),
		seatRow("workspace", "T9", "'T9'", "pro", 2, 2),
		`INSERT INTO users (team_id, user_id, real_name, email) VALUES
		 ('T1', 'UA', 'Ann', 'ann@e1.example'), ('T2', 'UB', 'Bob', 'bob@e1.example'), ('T9', 'UC', 'Cy', NULL)`,
		`INSERT INTO licenses (org_id, user_id, seat_type, is_paid_seat_type, active_in_window, last_used_at,
		 days_since_last_use, billing_flag, monthly_cost) VALUES
		 ('E1', 'UA', 'member', true, false, NULL, NULL, 'never_used', 10),
		 ('E1', 'UB', 'admin', true, false, '2026-09-01 00:00:00Z', 88, 'billed_but_inactive', 10),
		 ('E1', 'UZ', 'member', true, false, '2026-10-01 00:00:00Z', 58, 'ok', 10),
		 ('E1', 'UD', 'member', true, true, '2026-11-27 00:00:00Z', 1, 'ok', 10),
		 ('T9', 'UC', 'member', true, false, '2026-08-01 00:00:00Z', 119, 'ok', 8.75),
		 ('T9', 'UE', 'member', true, false, '2026-10-15 00:00:00Z', 44, 'ok', 8.75)`,
	} {
		_, err := db.SQL().ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	return path
}

// seatRow inserts a seat_history row of the first sync: paid seats, of
// which inactive are inactive, at 10 a seat.
func seatRow(scope, org, team, plan string, paid, inactive int) string {
	return strings.NewReplacer("$scope", scope, "$org", org, "$team", team, "$plan", plan,
		"$paid", strconv.Itoa(paid), "$inactive", strconv.Itoa(inactive)).Replace(`INSERT INTO seat_history (run_id, as_of, scope, org_id,
		team_id, plan, owners, admins, members, multi_channel_guests, single_channel_guests, billed_single_channel_guests,
		invited, bots, deactivated, paid_seats, slack_billable, estimated_billable, inactive_paid_seats,
		never_used_paid_seats, monthly_cost, monthly_waste, yearly_waste, currency, price_known, all_active_pattern, note,
		inactive_after_days) VALUES (1, '2026-11-28 12:00:00Z', '$scope', '$org', $team, '$plan', 1, 0, $paid - 1, 0, 0, 0,
		0, 0, 0, $paid, $paid, $paid - $inactive, $inactive, 1, 10.0 * $paid, 10.0 * $inactive, 120.0 * $inactive, 'USD',
		true, false, NULL, 28)`)
}

func read(t *testing.T, path string, o report.Options) *report.Report {
	t.Helper()
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	r, err := report.Read(context.Background(), db.SQL(), o)
	require.NoError(t, err)
	return r
}

func TestReadGivesEachAccountItsOwnSeats(t *testing.T) {
	t.Parallel()
	title := func(plan string) string { return "the " + plan + " plan" }
	r := read(t, twoAccounts(t), report.Options{Top: 2, PlanTitle: title})
	assert.Equal(t, int64(1), r.RunID)
	assert.Equal(t, asOf, r.AsOf)
	assert.Equal(t, "grid_org", r.Mode)
	assert.Equal(t, 28, r.InactiveAfterDays)
	require.Len(t, r.Accounts, 2)

	e1, t9 := r.Accounts[0], r.Accounts[1]
	assert.Equal(t, "Grid Co", e1.Name, "an enterprise is named after the enterprise")
	assert.Equal(t, "the enterprise plan", e1.PlanTitle)
	require.Len(t, e1.Workspaces, 2)
	assert.Equal(t, []string{"Grid One", "Grid Two"}, []string{e1.Workspaces[0].Name, e1.Workspaces[1].Name})
	require.Len(t, e1.Offenders, 2, "top 2 of E1's 3 inactive seats")
	assert.Equal(t, "UA", e1.Offenders[0].UserID, "never used first")
	assert.Nil(t, e1.Offenders[0].LastUsed)
	assert.Equal(t, "UB", e1.Offenders[1].UserID, "then the longest unused")
	assert.Equal(t, int64(88), *e1.Offenders[1].DaysUnused)

	assert.Equal(t, "Solo", t9.Name)
	require.Len(t, t9.Offenders, 2)
	assert.Equal(t, []string{"UC", "UE"}, []string{t9.Offenders[0].UserID, t9.Offenders[1].UserID}, "T9's seats only")
	assert.Equal(t, "UE", t9.Offenders[1].Name, "a person without a users row is named by id")

	assert.Nil(t, r.Apps, "no integration log: no apps section")
	assert.Equal(t, []report.Gap{{Source: "access_logs", TeamID: "T9", Status: "unavailable", Reason: "Slack Pro has no sign-in log"}}, r.Gaps)

	r = read(t, twoAccounts(t), report.Options{Top: 0})
	assert.Empty(t, r.Accounts[0].Offenders, "--top 0 lists none")
	assert.Equal(t, "enterprise", r.Accounts[0].PlanTitle, "no PlanTitle: the plan's own name")
}

func TestReadBeforeAnySync(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	_, err = report.Read(context.Background(), db.SQL(), report.Options{Top: 10})
	assert.ErrorIs(t, err, warehouse.ErrNoSync)
	assert.EqualError(t, err, "the warehouse has no completed sync: run slackaudit sync first")
	require.NoError(t, db.Close())
}

func TestRenderText(t *testing.T) {
	t.Parallel()
	r := read(t, twoAccounts(t), report.Options{Top: 2, PlanTitle: func(p string) string { return "Plan " + p }})
	r.Accounts[1].Workspaces[0].Name = "Solo\x1b[31m"
	var b bytes.Buffer
	require.NoError(t, report.RenderText(&b, r, queries.Table, 0))
	out := b.String()
	assert.True(t, strings.HasPrefix(out, "Slack licence report\n====================\n\nAs of 2026-11-28 12:00 UTC (sync 1, mode grid_org)."), out)
	assert.Contains(t, out, "Grid Co (E1, Plan enterprise)\n-----")
	assert.Contains(t, out, "| Total (each person once) |")
	assert.Contains(t, out, "| Grid One (T1)")
	assert.Contains(t, out, "Solo (T9, Plan pro)\n")
	assert.NotContains(t, out, "| Solo (T9)", "a single workspace is its own billing account: only its total")
	assert.Contains(t, out, "Money: paid seats cost 50.00 USD a month. The 3 inactive paid seats waste 30.00 USD a month, 360.00 USD a year.")
	assert.Contains(t, out, "Inactive paid seats, longest unused first (2 of 3):")
	assert.Regexp(t, `\| Ann +\| ann@e1\.example +\| member +\| never +\| +— \| never_used +\| +10\.00 USD \|`, out)
	assert.Contains(t, out, "Not synced:\n  access_logs (T9): Slack Pro has no sign-in log\n")
	assert.NotContains(t, out, "\x1b")

	// On a terminal 60 cells wide every table fits; the prose wraps there.
	b.Reset()
	require.NoError(t, report.RenderText(&b, r, queries.Table, 60))
	var tables int
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "|") || strings.HasPrefix(line, "+") {
			tables++
			assert.LessOrEqual(t, textcell.Width(line), 60, line)
		}
	}
	assert.Positive(t, tables)
	assert.Contains(t, b.String(), "…")

	b.Reset()
	require.NoError(t, report.RenderMarkdown(&b, r))
	assert.Contains(t, b.String(), "# Slack licence report\n\n")
	assert.Contains(t, b.String(), "## Grid Co (E1, Plan enterprise)\n\n")
	assert.Contains(t, b.String(), "| Total (each person once) |")
}

func TestRenderJSONKeepsItsFieldNames(t *testing.T) {
	t.Parallel()
	r := read(t, twoAccounts(t), report.Options{Top: 1, PlanTitle: func(string) string { return "secret title" }})
	var b bytes.Buffer
	require.NoError(t, report.RenderJSON(&b, r))
	assert.NotContains(t, b.String(), "secret title", "the plan title is for people, not JSON")
	var got map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &got))
	for _, k := range []string{"run_id", "as_of", "mode", "inactive_after_days", "billing_accounts", "not_synced"} {
		assert.Contains(t, got, k)
	}
	account := got["billing_accounts"].([]any)[0].(map[string]any)
	for _, k := range []string{"scope", "org_id", "name", "plan", "paid_seats", "monthly_waste", "workspaces", "top_inactive_paid_seats"} {
		assert.Contains(t, account, k)
	}
	seat := account["top_inactive_paid_seats"].([]any)[0].(map[string]any)
	assert.Equal(t, map[string]any{"user_id": "UA", "name": "Ann", "email": "ann@e1.example", "seat_type": "member",
		"last_used_at": nil, "days_since_last_use": nil, "billing_flag": "never_used", "monthly_cost": 10.0}, seat)
}

func TestRenderCSVNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	r := read(t, twoAccounts(t), report.Options{Top: 1})
	r.Accounts[0].Offenders[0].Name = `=HYPERLINK("http://evil.example","x")`
	var b bytes.Buffer
	require.NoError(t, report.RenderCSV(&b, r))
	out := b.String()
	assert.True(t, strings.HasPrefix(out, "section,org_id,team_id,key,value\nsync,,,run_id,1\nsync,,,as_of,2026-11-28T12:00:00Z\n"), out)
	assert.Contains(t, out, `inactive_seat,E1,,inactive_seat_1.name,"'=HYPERLINK(""http://evil.example"",""x"")"`)
	assert.Contains(t, out, "inactive_seat,E1,,inactive_seat_1.last_used_at,never\n")
	assert.Contains(t, out, "workspace,E1,T2,paid_seats,3\n")
	assert.Contains(t, out, "not_synced,,T9,access_logs,Slack Pro has no sign-in log\n")
}

func TestWriteGapsOneLinePerCause(t *testing.T) {
	t.Parallel()
	var status []warehouse.SourceStatus
	for _, team := range []string{"T1", "T2", "T3", "T4"} {
		status = append(status, warehouse.SourceStatus{TeamID: team, Source: "member_activity", Status: "unavailable", Reason: "no analytics", Unlock: "use an org token"})
	}
	status = append(status,
		warehouse.SourceStatus{TeamID: "T1", Source: "org_users", Status: "unavailable", Reason: "no analytics", Unlock: "use an org token"},
		warehouse.SourceStatus{TeamID: "T1", Source: "users", Status: "ok"},
		warehouse.SourceStatus{TeamID: "T2", Source: "apps", Status: "failed", Reason: "bad\nline"})
	var b bytes.Buffer
	report.WriteGaps(&b, status)
	assert.Equal(t, "Not synced:\n  member_activity, org_users (4 workspaces): no analytics\n    to unlock: use an org token\n"+
		"  apps (T2): bad\\nline\n", b.String())

	b.Reset()
	report.WriteGaps(&b, status[5:6])
	assert.Empty(t, b.String(), "nothing missing: nothing written")
}
