//go:build linux

package main

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/queries/shell"
)

// TestShellInteractiveSession drives the real binary on a pseudo-terminal
// as a person would: the prompt, Tab completing a table name, a multi-line
// statement, Ctrl-C cancelling a long query, Ctrl-C on an empty line, and
// Ctrl-D leaving with exit code 0.
func TestShellInteractiveSession(t *testing.T) {
	t.Parallel()
	const wait = 90 * time.Second // the machine may be slow; nothing waits this long when all is well
	db := shellWarehouse(t)
	p, err := openPTY(40, 120)
	require.NoError(t, err)
	defer p.master.Close()
	cmd, hist := slackauditCmd(t, "shell", "--db", db)
	require.NoError(t, p.start(cmd))
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() }) // a no-op once it has exited

	p.expect(t, "slackaudit shell on "+db+" (read-only", wait)
	p.expect(t, shell.Prompt, wait)

	// Tab completes the table name: without it the statement would name a
	// table that does not exist.
	p.send(t, "SELECT count(*) AS billable FROM billable_in\t")
	p.expect(t, "billable_info", wait)
	p.send(t, " WHERE billing_active;\r")
	p.expect(t, "│ billable │", wait) // duckbox, the default on a terminal
	p.expect(t, "│  int64   │", wait)
	p.expect(t, shell.Prompt, wait)

	// A statement over two lines, with the continuation prompt.
	p.send(t, "SELECT 40 + 2\r")
	p.expect(t, strings.TrimSpace(shell.ContinuationPrompt), wait)
	p.send(t, "AS answer;\r")
	p.expect(t, "│     42 │", wait)
	p.expect(t, shell.Prompt, wait)

	// A query that would run for ages: the shell says how to stop it once it
	// has run a second, and Ctrl-C (SIGINT from the terminal) cancels it.
	p.send(t, "SELECT count(*) FROM range(1000000000) a, range(1000000000) b;\r")
	p.expect(t, "(Ctrl-C cancels)", wait)
	p.send(t, "\x03")
	p.expect(t, "Cancelled.", wait)
	p.expect(t, shell.Prompt, wait)

	// The session goes on after the cancel. (Expect text that only the
	// result has: the editor redraws the typed line, prompt and all, on
	// every key.)
	p.send(t, ".mode csv\r")
	p.send(t, "SELECT 'still' || ' here' AS s;\r")
	p.expect(t, "still here", wait)
	p.expect(t, shell.Prompt, wait)

	// Ctrl-C on an empty line clears it and says how to leave.
	p.send(t, "\x03")
	p.expect(t, ".quit or Ctrl-D leaves the shell", wait)
	p.expect(t, shell.Prompt, wait)
	// and on a typed line drops it.
	p.send(t, "SELECT 'dropped\x03")
	p.expect(t, shell.Prompt, wait)

	// Ctrl-D leaves cleanly.
	p.send(t, "\x04")
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("the shell exited with %v; the terminal shows:\n%s", err, p.since())
		}
		require.NoError(t, err)
	case <-time.After(wait):
		t.Fatalf("the shell did not exit on Ctrl-D; the terminal shows:\n%s", p.since())
	}
	assert.Equal(t, 0, cmd.ProcessState.ExitCode())

	// History: whole statements, one per line, private to the user.
	b, err := os.ReadFile(hist)
	require.NoError(t, err)
	assert.Contains(t, string(b), "SELECT count(*) AS billable FROM billable_info WHERE billing_active;\n")
	assert.Contains(t, string(b), "SELECT 40 + 2 AS answer;\n", "a multi-line statement is one entry")
	assert.Contains(t, string(b), ".mode csv\n")
	assert.NotContains(t, string(b), "dropped")
	st, err := os.Stat(hist)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
}
