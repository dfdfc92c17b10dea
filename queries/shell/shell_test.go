package shell

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// testWarehouse creates a warehouse with the contract tables, a few users,
// and a staging table that the shell must hide.
func testWarehouse(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.duckdb")
	ctx := context.Background()
	db, err := warehouse.Open(ctx, path, warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	defer db.Close()
	for _, q := range []string{
		`INSERT INTO workspaces (team_id, name, domain, plan) VALUES ('T1', 'Acme', 'acme', 'business_plus')`,
		`INSERT INTO users (team_id, user_id, name, real_name, email, is_admin, is_bot, deleted, is_restricted, is_ultra_restricted)
		 VALUES ('T1', 'U1', 'ada', 'Ada Lovelace', 'ada@example.com', true, false, false, false, false),
		        ('T1', 'U2', 'bob', 'Bob, "the builder"', NULL, false, false, true, false, false),
		        ('T1', 'USLACKBOT', 'slackbot', 'Slackbot', NULL, false, false, false, false, false)`,
		`INSERT INTO billable_info VALUES ('T1', 'U1', true), ('T1', 'U2', false)`,
		`INSERT INTO sync_runs (run_id, started_at, finished_at, status, api_calls, as_of, mode, team_id)
		 VALUES (1, '2026-03-01 10:00:00Z', '2026-03-01 10:01:00Z', 'succeeded', 12, '2026-03-01 10:00:00Z', 'business_plus', 'T1')`,
		`CREATE TABLE _stage_users AS SELECT * FROM users`,
	} {
		_, err := db.SQL().ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	return path
}

// session runs a script against the warehouse at path and returns what it
// printed.
type session struct {
	stdout, stderr string
	err            error
}

func runScript(t testing.TB, path, script string, opts ...func(*Config)) session {
	t.Helper()
	var out, errb bytes.Buffer
	cfg := Config{DBPath: path, Bail: true, Stdin: strings.NewReader(script), Stdout: &out, Stderr: &errb}
	for _, o := range opts {
		o(&cfg)
	}
	err := Run(context.Background(), cfg)
	return session{out.String(), errb.String(), err}
}

func writable(c *Config) { c.Write, c.Tables = true, pipeline.Tables() }

func width(n int) func(*Config) {
	return func(c *Config) { c.Width = func() int { return n } }
}
