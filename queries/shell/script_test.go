package shell

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScriptBailsAtFirstErrorWithItsLine(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	script := ".mode csv\nSELECT 1 AS a;\n-- a comment\nSELECT *\n  FROM users\n  WHERE nope = 1;\nSELECT 2 AS b;\n"
	r := runScript(t, path, script)
	assert.Equal(t, "a\n1\n", r.stdout)
	var l *located
	require.True(t, errors.As(r.err, &l), "%v", r.err)
	assert.Equal(t, 6, l.line, "DuckDB's LINE 3 of a statement that starts on line 4")
	assert.ErrorContains(t, r.err, "line 6: Binder Error: Referenced column \"nope\" not found")
	assert.ErrorContains(t, r.err, "LINE 3:   WHERE nope = 1\n", "DuckDB's position is kept")
}

func TestScriptWithoutBailGoesOn(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".mode csv\nSELEC 1;\nSELECT 2 AS b;\n.nosuch\nSELECT 3 AS c;\n", func(c *Config) { c.Bail = false })
	assert.Equal(t, "b\n2\nc\n3\n", r.stdout)
	assert.Contains(t, r.stderr, "Error: line 2: Parser Error: syntax error at or near \"SELEC\"")
	assert.Contains(t, r.stderr, "Error: line 4: unknown command .nosuch")
	var se *ScriptError
	require.True(t, errors.As(r.err, &se))
	assert.Equal(t, 2, se.Failed)
	assert.Equal(t, []int{2, 4}, se.Lines)
}

func TestScriptEdges(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".mode csv\r\nSELECT 1 AS a;\r\nSELECT 2 AS b")
	require.NoError(t, r.err)
	assert.Equal(t, "a\n1\nb\n2\n", r.stdout, "CRLF lines, and a last statement without ';'")

	r = runScript(t, path, ".mode csv\nSELECT\n.5 AS x;\n")
	require.NoError(t, r.err)
	assert.Equal(t, "x\n0.5\n", r.stdout, "a line starting with '.' inside a statement is SQL")

	r = runScript(t, path, "SELECT 1;\n\nSELECT 'never\n;\n")
	assert.ErrorContains(t, r.err, "line 3: the script ends inside a quoted string that starts here")

	r = runScript(t, path, "-- only comments\n/* and more */\n;\n")
	require.NoError(t, r.err)
	assert.Empty(t, r.stdout)

	r = runScript(t, path, ".mode csv\nSELECT 'a;b' AS s; SELECT $$c;d$$ AS t;\n")
	require.NoError(t, r.err)
	assert.Equal(t, "s\na;b\nt\nc;d\n", r.stdout)
}

// cancelOnRead is a script that cancels its context a moment after the
// shell first reads it: the warehouse is open by then, however slow the
// machine, so what is cancelled is the script's first statement.
type cancelOnRead struct {
	r      io.Reader
	once   sync.Once
	cancel context.CancelFunc
}

func (c *cancelOnRead) Read(p []byte) (int, error) {
	c.once.Do(func() { time.AfterFunc(300*time.Millisecond, c.cancel) })
	return c.r.Read(p)
}

func TestScriptCancelledByContext(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out strings.Builder
	stdin := &cancelOnRead{r: strings.NewReader("SELECT count(*) FROM range(1000000000) a, range(1000000000) b;\nSELECT 'next';\n"), cancel: cancel}
	start := time.Now()
	err := Run(ctx, Config{DBPath: path, Bail: true, Stdout: &out, Stdin: stdin})
	assert.ErrorIs(t, err, errCancelled)
	assert.ErrorContains(t, err, "line 1: cancelled")
	assert.Less(t, time.Since(start), 30*time.Second)
	assert.NotContains(t, out.String(), "next")
}

func TestStatusResultsAreNotPrinted(t *testing.T) {
	t.Parallel()
	r := runScript(t, testWarehouse(t), "SET VARIABLE x = 1;\nRESET VARIABLE x;\nCREATE TEMP TABLE t AS SELECT 1 AS x;\nINSERT INTO t VALUES (2);\nPRAGMA version;\n")
	require.NoError(t, r.err)
	assert.NotContains(t, r.stdout, "Count")
	assert.NotContains(t, r.stdout, "Success")
	assert.Contains(t, r.stdout, "library_version", "PRAGMA results are data")
}

func TestExplainPrintsThePlan(t *testing.T) {
	t.Parallel()
	r := runScript(t, testWarehouse(t), "EXPLAIN SELECT count(*) FROM users;\n")
	require.NoError(t, r.err)
	assert.Contains(t, r.stdout, "┌───")
	assert.NotContains(t, r.stdout, "explain_value")
	assert.NotContains(t, r.stdout, `\n`, "line breaks are drawn, not escaped")
}

func TestHistoryPath(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	assert.Equal(t, "/x/h", HistoryPath(env(map[string]string{HistoryEnv: "/x/h", "HOME": "/home/a"})))
	assert.Equal(t, "", HistoryPath(env(map[string]string{HistoryEnv: "off"})))
	assert.Equal(t, "/cfg/slackaudit/history", HistoryPath(env(map[string]string{"XDG_CONFIG_HOME": "/cfg", "HOME": "/home/a"})))
	assert.Equal(t, "/home/a/.config/slackaudit/history", HistoryPath(env(map[string]string{"HOME": "/home/a"})))
}
