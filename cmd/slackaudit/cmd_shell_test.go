package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
	"slackaudit/pipeline"
	"slackaudit/queries/shell"
	"slackaudit/warehouse"
)

// runMainEnv makes the test binary run slackaudit's real main() with its
// arguments instead of the tests (see TestMain): end-to-end tests exec the
// binary this way, which costs no second link of DuckDB.
const runMainEnv = "SLACKAUDIT_TEST_RUN_MAIN"

// slackauditCmd returns the slackaudit binary (this test binary, running
// main) with args, a private history file and home folder.
func slackauditCmd(t *testing.T, args ...string) (*exec.Cmd, string) {
	t.Helper()
	home := t.TempDir()
	hist := filepath.Join(home, "history")
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1", shell.HistoryEnv+"="+hist, "HOME="+home, "XDG_CONFIG_HOME="+home, "SLACK_TOKEN=")
	return cmd, hist
}

// shellWarehouse is a warehouse with the contract tables and a few rows.
func shellWarehouse(t *testing.T) string {
	t.Helper()
	path := tempDB(t)
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	defer db.Close()
	for _, q := range []string{
		`INSERT INTO users (team_id, user_id, name, deleted) VALUES ('T1', 'U1', 'ada', false), ('T1', 'U2', 'bob', true)`,
		`INSERT INTO billable_info VALUES ('T1', 'U1', true), ('T1', 'U2', false)`,
	} {
		_, err := db.SQL().Exec(q)
		require.NoError(t, err)
	}
	return path
}

func TestShellHelp(t *testing.T) {
	t.Parallel()
	r := newCLI(t, nil).run("shell", "--help")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "Usage: slackaudit shell")
	assert.Contains(t, r.stdout, "Examples:")
	assert.Contains(t, r.stdout, "-bail")
	assert.Contains(t, r.stdout, "-write")
	assert.Contains(t, r.stdout, "-token-file")

	r = newCLI(t, nil).run("shell", "--since", "nonsense")
	assert.Equal(t, exitUsage, r.code)

	r = newCLI(t, nil).run("shell", "--db", filepath.Join(t.TempDir(), "none.duckdb"))
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "run slackaudit sync first")
}

func TestShellScriptThroughTheBinary(t *testing.T) {
	t.Parallel()
	db := shellWarehouse(t)
	run := func(stdin string, args ...string) (code int, stdout, stderr string, hist string) {
		cmd, hist := slackauditCmd(t, append([]string{"shell", "--db", db}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code = 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else {
			require.NoError(t, err)
		}
		return code, out.String(), errb.String(), hist
	}

	code, out, errs, hist := run(".mode csv\nSELECT user_id, deleted\nFROM users ORDER BY 1;\n.run seats_by_type\n")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "user_id,deleted\nU1,false\nU2,true\nteam_id,seat_type,accounts,slack_billable\nT1,deactivated,1,0\nT1,member,1,1\n", out)
	assert.NotContains(t, out, shell.Prompt, "no prompt in script mode")
	assert.NotContains(t, errs, "slackaudit shell on", "no banner in script mode")
	assert.NoFileExists(t, hist, "scripts write no history")

	code, out, errs, _ = run(".mode csv\nSELECT 1 AS a;\n\nSELECT * FROM no_such_table;\nSELECT 2 AS b;\n")
	assert.Equal(t, exitFailure, code)
	assert.Equal(t, "a\n1\n", out)
	assert.Contains(t, errs, "slackaudit shell: line 4: Catalog Error: Table with name no_such_table does not exist")
	assert.Contains(t, errs, "LINE 1: SELECT * FROM no_such_table")

	code, out, errs, _ = run(".mode csv\nSELEC 1;\nSELECT 2 AS b;\n", "--bail=false")
	assert.Equal(t, exitFailure, code)
	assert.Equal(t, "b\n2\n", out)
	assert.Contains(t, errs, "Error: line 2: Parser Error")
	assert.Contains(t, errs, "slackaudit shell: 1 statement failed (line 2)")

	code, _, errs, _ = run("UPDATE users SET deleted = true;\n")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errs, "read-only")
	assert.Contains(t, errs, "--write")

	code, out, errs, _ = run("CREATE TABLE notes AS SELECT 'U1' AS user_id;\n.mode csv\nSELECT * FROM notes;\n", "--write")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "user_id\nU1\n", out)
}

func TestShellSyncUsesTheConnectionFlags(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 3, Users: 150})
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok, shell.HistoryEnv: "off"})
	r := c.runStdin(".sync\n.mode csv\nSELECT count(*) AS n FROM users;\n", "shell", "--db", db, "--write", "--api-url", srv.URL())
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Synced ")
	assert.Contains(t, r.stdout, "n\n150\n", "the shell reopened the warehouse after the sync")

	c = newCLI(t, map[string]string{shell.HistoryEnv: "off"})
	r = c.runStdin(".sync\n", "shell", "--db", db, "--api-url", srv.URL())
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "line 1: sync: no Slack token: set SLACK_TOKEN or pass --token-file FILE")
	assert.Contains(t, r.stderr, "then start the shell again")
}
