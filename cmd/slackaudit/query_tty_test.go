//go:build linux

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/queries/textcell"
)

// TestQueryFitsTheTerminal runs query on a pseudo-terminal 60 columns wide,
// then with COLUMNS=90: duckbox, fitted to the width, first and last
// columns kept.
func TestQueryFitsTheTerminal(t *testing.T) {
	t.Parallel()
	const wait = 90 * time.Second
	db := shellWarehouse(t)
	for _, tc := range []struct {
		columns string
		width   int
	}{{"", 60}, {"COLUMNS=90", 90}} {
		p, err := openPTY(40, 60)
		require.NoError(t, err)
		defer p.master.Close()
		cmd, _ := slackauditCmd(t, "query", "--db", db, "SELECT * FROM users ORDER BY user_id")
		if tc.columns != "" {
			cmd.Env = append(cmd.Env, tc.columns)
		}
		require.NoError(t, p.start(cmd))
		p.expect(t, "columns (", wait)
		p.expect(t, "┘", wait)
		require.NoError(t, cmd.Wait())
		p.mu.Lock()
		out := ansi.ReplaceAllString(string(p.out), "")
		p.mu.Unlock()
		assert.Contains(t, out, "│ team_id", tc.columns)
		assert.Contains(t, out, "│ … │", tc.columns)
		widest := 0
		for _, l := range strings.Split(strings.ReplaceAll(out, "\r", ""), "\n") {
			assert.LessOrEqual(t, textcell.Width(l), tc.width, "%s: %q", tc.columns, l)
			widest = max(widest, textcell.Width(l))
		}
		assert.Greater(t, widest, tc.width-12, "%s: the table uses the width it has", tc.columns)
	}
}
