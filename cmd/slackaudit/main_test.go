package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// cli runs slackaudit in-process with its own environment.
type cli struct {
	t       *testing.T
	env     map[string]string
	secrets []string  // must never appear in any output
	now     time.Time // the clock; the synthetic orgs' default Now when zero
	// tune, when set, adjusts the Slack client's configuration after the
	// harness's own settings (a time scale, a shorter stall deadline).
	tune func(*slackapi.Config)
	// notifyEvery paces messages to one channel (Slack's one a second when
	// zero).
	notifyEvery time.Duration
}

// testNow is the synthetic orgs' default clock.
var testNow = slacktest.NewOrg(slacktest.Config{Users: 2}).Now

type result struct {
	code           int
	stdout, stderr string
}

func newCLI(t *testing.T, env map[string]string) *cli {
	c := &cli{t: t, env: env}
	if tok := env["SLACK_TOKEN"]; tok != "" {
		c.secrets = append(c.secrets, tok)
	}
	return c
}

func (c *cli) run(args ...string) result {
	c.t.Helper()
	return c.runStdin("", args...)
}

func (c *cli) runStdin(stdin string, args ...string) result {
	c.t.Helper()
	var out, errb bytes.Buffer
	now := c.now
	if now.IsZero() {
		now = testNow
	}
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return c.env[k] },
		now: func() time.Time { return now }, notifyEvery: c.notifyEvery, tune: func(cfg *slackapi.Config) {
			cfg.NoRateLimit = true
			cfg.Logger = quiet()
			if c.tune != nil {
				c.tune(cfg)
			}
		}}
	code := run(context.Background(), args, e)
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	for _, s := range c.secrets {
		require.NotContains(c.t, r.stdout, s, "a token reached stdout")
		require.NotContains(c.t, r.stderr, s, "a token reached stderr")
	}
	return r
}

// orgServer serves a synthetic org without rate limits (the CLI's client
// keeps Slack's real timing) and returns its admin token.
func orgServer(t *testing.T, cfg slacktest.Config, opts ...slacktest.Option) (*slacktest.Server, string) {
	t.Helper()
	org := slacktest.NewOrg(cfg)
	srv := slacktest.NewServer(org, append([]slacktest.Option{slacktest.WithRateLimits(false)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, org.AdminToken().Value
}

func tempDB(t *testing.T) string { return filepath.Join(t.TempDir(), "audit.duckdb") }

func queryInt(t *testing.T, path, q string, args ...any) int {
	t.Helper()
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	var n sql.NullInt64
	require.NoError(t, db.SQL().QueryRow(q, args...).Scan(&n))
	return int(n.Int64)
}

func queryString(t *testing.T, path, q string, args ...any) string {
	t.Helper()
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	var s sql.NullString
	require.NoError(t, db.SQL().QueryRow(q, args...).Scan(&s))
	return s.String
}

func TestHelpAndUsageErrors(t *testing.T) {
	t.Parallel()
	c := newCLI(t, nil)
	r := c.run()
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stdout, "Commands:")

	r = c.run("--help")
	assert.Equal(t, exitOK, r.code)

	for _, name := range []string{"sync", "query", "demo"} {
		r = c.run(name, "--help")
		assert.Equal(t, exitOK, r.code, name)
		assert.Contains(t, r.stdout, "Examples:", name)
		assert.Contains(t, r.stdout, "Usage: slackaudit "+name, name)
	}

	r = c.run("frobnicate")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `unknown command "frobnicate"`)

	r = c.run("sync", "--no-such-flag")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "no-such-flag")

	r = c.run("sync", "--db", tempDB(t))
	assert.Equal(t, exitUsage, r.code, "no token")
	assert.Contains(t, r.stderr, "SLACK_TOKEN")

	r = c.run("query", "--format", "xml", "SELECT 1")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "csv")
}

func TestSyncLandsTheOrg(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 21, Users: 2500})
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	r := c.run("sync", "--db", db, "--api-url", srv.URL())
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Synced Acme")
	assert.Regexp(t, `users +2,500 rows`, r.stdout)
	calls := 0
	for _, n := range srv.CallCounts() {
		calls += n
	}
	assert.Contains(t, r.stdout, fmt.Sprintf("API calls: %d (", calls))
	assert.Contains(t, r.stdout, "org_users, member_activity")
	assert.Contains(t, r.stdout, "to unlock: upgrade to Enterprise Grid")

	org := srv.Org()
	w := readSnapshot(t, db)
	assert.Equal(t, len(org.Users), w.Int("SELECT count(DISTINCT user_id) FROM users"))
	assert.Equal(t, len(org.Users), w.Int("SELECT count(*) FROM billable_info"))
	assert.Equal(t, 1, w.Int("SELECT count(*) FROM workspaces WHERE plan = 'business_plus' AND plan_code = 'plus'"))
	assert.Equal(t, 1, w.Int("SELECT count(*) FROM sync_runs WHERE status = 'succeeded' AND api_calls = ? AND mode = 'business_plus'", calls))
	assert.Equal(t, 6, w.Int("SELECT count(*) FROM source_status WHERE status = 'ok'"), "workspaces, users, billable_info, access_logs, user_groups, app_events")
	assert.Equal(t, 4, w.Int("SELECT count(*) FROM source_status WHERE status = 'unavailable' AND unlock LIKE '%grid_org%'"),
		"org_users, member_activity, app_directory, app_requests")
	// ⌈2500 / 1000⌉ calls per paged method: the largest page Slack allows.
	assert.Equal(t, 3, srv.Calls("users.list"))
	assert.Equal(t, 3, srv.Calls("team.billableInfo"))
	// Nothing in the warehouse holds the token.
	assert.Equal(t, 0, w.Int("SELECT count(*) FROM sync_runs WHERE api_url LIKE ?", "%"+tok+"%"))
}

func TestSyncFromTokenFile(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 21, Users: 40})
	file := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(file, []byte(tok+"\n"), 0o600))
	c := newCLI(t, nil)
	c.secrets = append(c.secrets, tok)
	r := c.run("sync", "--db", tempDB(t), "--api-url", srv.URL(), "--token-file", file)
	require.Equal(t, exitOK, r.code, r.stderr)

	require.NoError(t, os.WriteFile(file, nil, 0o600))
	r = c.run("sync", "--db", tempDB(t), "--api-url", srv.URL(), "--token-file", file)
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "is empty")
}

func TestSyncFreePlanStopsAndKeepsTheSnapshot(t *testing.T) {
	t.Parallel()
	db := syncedCopy(t, workspaceFixture(41, 300))

	free, freeTok := orgServer(t, slacktest.Config{Seed: 2, Users: 80, Plan: slacktest.PlanFree})
	r := newCLI(t, map[string]string{"SLACK_TOKEN": freeTok}).run("sync", "--db", db, "--api-url", free.URL())
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "this workspace is on Slack Free; slackaudit needs Pro, Business+ or Enterprise Grid")

	assert.Equal(t, 300, queryInt(t, db, "SELECT count(*) FROM users"), "the earlier snapshot is untouched")
	assert.Equal(t, 1, queryInt(t, db, "SELECT count(*) FROM sync_runs WHERE status = 'failed' AND error LIKE '%Slack Free%'"))
	assert.Equal(t, 0, free.Calls("users.list"), "nothing is read from a Free workspace")
}

func TestSyncMissingScopeNamesMethodScopeAndFix(t *testing.T) {
	t.Parallel()
	srv, _ := orgServer(t, slacktest.Config{Seed: 3, Users: 60})
	org := srv.Org()
	tok := org.UserToken(org.AdminToken().UserID, "team:read", "team.billing:read")
	srv.AddToken(tok)
	r := newCLI(t, map[string]string{"SLACK_TOKEN": tok.Value}).run("sync", "--db", tempDB(t), "--api-url", srv.URL())
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "users.list (team "+org.Teams[0].ID+"): missing_scope")
	assert.Contains(t, r.stderr, "needs the users:read scope")
	assert.Contains(t, r.stderr, "reinstall the app")
}

func TestSyncWithoutAdminScopeRecordsBillableAsUnavailable(t *testing.T) {
	t.Parallel()
	srv, _ := orgServer(t, slacktest.Config{Seed: 3, Users: 60})
	org := srv.Org()
	tok := org.UserToken(org.AdminToken().UserID, "team:read", "team.billing:read", "users:read", "users:read.email")
	srv.AddToken(tok)
	db := tempDB(t)
	r := newCLI(t, map[string]string{"SLACK_TOKEN": tok.Value}).run("sync", "--db", db, "--api-url", srv.URL())
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "billable_info ("+org.Teams[0].ID+"): team.billableInfo")
	assert.Contains(t, r.stdout, "access_logs ("+org.Teams[0].ID+"): team.accessLogs")
	assert.Contains(t, r.stdout, "app_events ("+org.Teams[0].ID+"): team.integrationLogs")
	assert.Contains(t, r.stdout, "to unlock: needs the admin scope")
	assert.Equal(t, 1, queryInt(t, db, `SELECT count(*) FROM source_status WHERE source = 'app_events'
		AND status = 'unavailable' AND unlock LIKE '%admin scope%'`))
	assert.Equal(t, 1, queryInt(t, db, `SELECT count(*) FROM source_status WHERE source = 'billable_info'
		AND status = 'unavailable' AND reason LIKE '%team.billableInfo%' AND unlock LIKE '%admin scope%'`))
	assert.Equal(t, 60, queryInt(t, db, "SELECT count(*) FROM users"))
}

func TestSyncBadTokenSaysSoWithoutPrintingIt(t *testing.T) {
	t.Parallel()
	srv, _ := orgServer(t, slacktest.Config{Seed: 3, Users: 30})
	const bad = "xoxp-999-888-777-revoked-or-wrong"
	r := newCLI(t, map[string]string{"SLACK_TOKEN": bad}).run("sync", "--db", tempDB(t), "--api-url", srv.URL())
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "auth.test: invalid_auth")
	assert.Contains(t, r.stderr, "does not recognise the token")
}

func TestSyncThatFailsHalfwayLeavesTheEarlierSnapshot(t *testing.T) {
	t.Parallel()
	srv, _, db, c := syncedOnce(t, 2500)

	// The second page of users.list comes back cut off mid-way.
	srv.Inject(slacktest.Fault{Method: "users.list", After: 1, Body: `{"ok":true,"members":[{"id":"W1","name":"x","is_ad`})
	r := c.run("sync", "--db", db, "--api-url", srv.URL())
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "users.list")
	assert.Contains(t, r.stderr, "truncated")

	w := readSnapshot(t, db)
	assert.Equal(t, 2500, w.Int("SELECT count(*) FROM users"))
	assert.Equal(t, 2500, w.Int("SELECT count(*) FROM billable_info"))
	assert.Equal(t, 1, w.Int("SELECT run_id FROM latest_sync"))
	assert.Equal(t, 1, w.Int("SELECT count(*) FROM sync_runs WHERE run_id = 2 AND status = 'failed' AND error LIKE 'users.list%'"))
	assert.Equal(t, 0, w.Int("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '_stage_%'"))
}

func TestQueryFormatsAndNamedQueries(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)

	r := c.run("query", "--db", db, "SELECT count(*) AS n FROM users")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "| 150 |")

	r = c.run("query", "--db", db, "--format", "csv", "SELECT user_id, deleted FROM users WHERE user_id = 'USLACKBOT'")
	assert.Equal(t, "user_id,deleted\nUSLACKBOT,false\n", r.stdout)

	r = c.run("query", "SELECT user_id, is_bot FROM users WHERE user_id = 'USLACKBOT'", "--db", db, "--format", "json")
	assert.JSONEq(t, `[{"user_id":"USLACKBOT","is_bot":false}]`, r.stdout)

	r = c.run("query", "--db", db, "--format", "markdown", "SELECT 'a|b' AS x, 2 AS n")
	assert.Equal(t, "| x    | n   |\n| ---- | --: |\n| a\\|b |   2 |\n", r.stdout)

	r = c.runStdin("SELECT 41 + 1 AS answer", "query", "--db", db, "--format", "csv", "-")
	assert.Equal(t, "answer\n42\n", r.stdout)

	r = c.run("query", "--db", db, "--named", "seats_by_type", "--format", "csv")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "team_id,seat_type,accounts,slack_billable\n")
	assert.Contains(t, r.stdout, ",single_channel_guest,")

	r = c.run("query", "--db", db, "--named", "nope")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "seats_by_type", "the error lists the valid names")

	r = c.run("query", "--db", db, "--named", "seats_by_type", "--param", "x=1")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `no parameter "x"`)

	r = c.run("query", "--db", db, "DELETE FROM users")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "read-only")
	assert.Equal(t, 150, queryInt(t, db, "SELECT count(*) FROM users"))

	r = c.run("query", "--db", db, "SELECT * FROM no_such_table")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "no_such_table")
	assert.Contains(t, r.stderr, "LINE 1", "DuckDB's position is shown")

	r = c.run("query", "--db", filepath.Join(t.TempDir(), "none.duckdb"), "SELECT 1")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "run slackaudit sync first")

	r = c.run("query", "--list")
	assert.Contains(t, r.stdout, "seats_by_type\n")
}

func TestDemo(t *testing.T) {
	t.Parallel()
	db := tempDB(t)
	r := newCLI(t, nil).run("demo", "--db", db, "--members", "300", "--seed", "4")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Synthetic Slack organisation")
	assert.Contains(t, r.stdout, "Seats by type:")
	assert.Contains(t, r.stdout, "Slack licence report")
	assert.Contains(t, r.stdout, "single-channel guests")
	assert.Equal(t, 300, queryInt(t, db, "SELECT count(*) FROM users"))
}

func TestSourceSchemasMatchTheWarehouse(t *testing.T) {
	t.Parallel()
	db, err := warehouse.Open(context.Background(), tempDB(t), warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	defer db.Close()
	for table, schemas := range landedSchemas() {
		for _, schema := range schemas {
			for _, f := range schema.Fields() {
				var typ string
				err := db.SQL().QueryRow(`SELECT data_type FROM duckdb_columns() WHERE table_name = ? AND column_name = ?`,
					table, f.Name).Scan(&typ)
				require.NoError(t, err, "%s.%s is loaded but not in the warehouse", table, f.Name)
				assert.Equal(t, duckType(f.Type), typ, "%s.%s", table, f.Name)
			}
		}
	}
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
