package shell

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/queries/textcell"
)

const usersQuery = "select * from users limit 3;\n"

// assertFits checks every line of out is at most w cells wide.
func assertFits(t *testing.T, out string, w int) {
	t.Helper()
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		assert.LessOrEqual(t, textcell.Width(l), w, "%q", l)
	}
}

func TestUsersFitTheTerminal(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	for _, w := range []int{40, 80, 100, 200} {
		r := runScript(t, path, usersQuery, width(w))
		require.NoError(t, r.err)
		assertFits(t, r.stdout, w)
		assert.Contains(t, r.stdout, "│ team_id ", "the first column stays, at %d", w)
		assert.Regexp(t, ` enterprise_id +│\n`, r.stdout, "the last column stays, at %d", w)
		assert.Regexp(t, `3 rows  \d+ columns \(\d+ shown\)`, r.stdout, "the footer says what was left out, at %d", w)
	}
	r := runScript(t, path, usersQuery)
	require.NoError(t, r.err)
	for _, col := range []string{"team_id", "real_name", "is_ultra_restricted", "profile_updated_at", "enterprise_id"} {
		assert.Contains(t, r.stdout, col, "a pipe is never cut")
	}
	assert.NotContains(t, r.stdout, "…")
	assert.True(t, strings.HasPrefix(r.stdout, "+---"), "table is the default off a terminal")
}

func TestWideCharactersInQueryOutput(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, "CREATE TEMP TABLE t AS SELECT * FROM (VALUES ('李小龙', 1200), ('Ada', 3), ('김연아 🙂', 41542)) v(name, seats);\n"+
		".mode box\nSELECT * FROM t;\n")
	require.NoError(t, r.err)
	assert.Contains(t, r.stdout, "│ 李小龙    │  1,200 │\n")
	assert.Contains(t, r.stdout, "│ Ada       │      3 │\n")
	assert.Contains(t, r.stdout, "│ 김연아 🙂 │ 41,542 │\n")
}

func TestDotMaxWidthAndWidth(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".maxwidth 40\n"+usersQuery+".maxwidth 0\n.show\n")
	require.NoError(t, r.err)
	assertFits(t, strings.Split(r.stdout, "warehouse:")[0], 40)
	assert.Contains(t, r.stdout, "(3 rows; … ", ".maxwidth fits a pipe too")
	assert.Contains(t, r.stdout, " maxwidth: the terminal's, no limit in files\n")

	r = runScript(t, path, ".width 3 -12\nSELECT user_id, name FROM users ORDER BY user_id;\n.width\nSELECT 'abcdef' AS x;\n")
	require.NoError(t, r.err)
	assert.Contains(t, r.stdout, "| U1  |          ada |\n")
	assert.Contains(t, r.stdout, "| US… |     slackbot |\n", "a fixed width cuts")
	assert.Contains(t, r.stdout, "| abcdef |\n", ".width with no widths clears them")

	r = runScript(t, path, ".maxwidth wide\n")
	assert.ErrorContains(t, r.err, `.maxwidth "wide": give a width`)
	r = runScript(t, path, ".width 3 x\n")
	assert.ErrorContains(t, r.err, `.width "x"`)
}

func TestDotPrintAndEcho(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".print Seats by type:\n.echo on\n.mode csv\nSELECT 1 AS x;\n.echo off\nSELECT 2 AS y;\n")
	require.NoError(t, r.err)
	assert.Equal(t, "Seats by type:\n.mode csv\nSELECT 1 AS x;\nx\n1\n.echo off\ny\n2\n", r.stdout)
}

func TestDotBail(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".bail off\nSELECT nope;\n.mode csv\nSELECT 'went on' AS x;\n")
	var se *ScriptError
	require.True(t, errors.As(r.err, &se), "%v", r.err)
	assert.Equal(t, []int{2}, se.Lines)
	assert.Contains(t, r.stdout, "went on")

	r = runScript(t, path, ".bail on\nSELECT nope;\nSELECT 'never';\n", func(c *Config) { c.Bail = false })
	assert.ErrorContains(t, r.err, "line 2: ")
	assert.NotContains(t, r.stdout, "never")

	r = runScript(t, path, ".bail maybe\n")
	assert.ErrorContains(t, r.err, "usage: .bail on|off")
}

func TestScriptExit(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	noBail := func(c *Config) { c.Bail = false }
	r := runScript(t, path, "SELECT nope;\n.exit\nSELECT 'after exit';\n", noBail)
	var se *ScriptError
	require.True(t, errors.As(r.err, &se), ".exit after a failure fails the script: %v", r.err)
	assert.Equal(t, 1, se.Failed)
	assert.NotContains(t, r.stdout, "after exit")

	r = runScript(t, path, "SELECT 1;\n.exit\nSELECT nope;\n", noBail)
	require.NoError(t, r.err, ".exit with nothing failed succeeds; what follows never runs")

	r = runScript(t, path, "SELECT nope;\n.exit\n")
	assert.ErrorContains(t, r.err, "line 1: ", "with bail the first error ends the script before .exit")
}

func TestDotOutputNeedsAllowFiles(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	allowed, other := t.TempDir(), t.TempDir()
	for _, cmd := range []string{"output", "once"} {
		target := filepath.Join(other, "out.txt")
		r := runScript(t, path, "."+cmd+" "+target+"\n")
		assert.ErrorContains(t, r.err, "this read-only shell writes no files; start it with --allow-files DIR", cmd)
		assert.NoFileExists(t, target)

		r = runScript(t, path, "."+cmd+" "+target+"\n", func(c *Config) { c.AllowFiles = []string{allowed} })
		assert.ErrorContains(t, r.err, "writes files only in "+allowed+"; start it with --allow-files DIR", cmd)
		assert.NoFileExists(t, target)
	}
	link := filepath.Join(allowed, "escape")
	require.NoError(t, os.Symlink(other, link))
	r := runScript(t, path, ".output "+filepath.Join(link, "out.txt")+"\n", func(c *Config) { c.AllowFiles = []string{allowed} })
	assert.ErrorContains(t, r.err, "writes files only in", "a link out of the folder is not in it")
	assert.NoFileExists(t, filepath.Join(other, "out.txt"))

	r = runScript(t, path, ".once "+filepath.Join(allowed, "sub", "..", "ok.txt")+"\nSELECT 1 AS x;\n", func(c *Config) { c.AllowFiles = []string{allowed} })
	require.NoError(t, r.err)
	assert.FileExists(t, filepath.Join(allowed, "ok.txt"))

	r = runScript(t, path, ".output "+filepath.Join(other, "w.txt")+"\nSELECT 1 AS x;\n", writable)
	require.NoError(t, r.err, "a session opened with --write writes where the user can")
	assert.FileExists(t, filepath.Join(other, "w.txt"))
}

func TestHelpWrapsAtWords(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".help\n.help mode\n", width(72))
	require.NoError(t, r.err)
	assertFits(t, r.stdout, 72)
	words := strings.Fields(r.stdout)
	text := " " + strings.Join(words, " ") + " "
	for _, c := range dotCommands() {
		if !c.hidden {
			assert.Contains(t, text, " "+c.short+" ", "the words of .%s's help are whole", c.name)
		}
	}
	assert.Contains(t, text, " .exit leave the shell; a script exits 1 if a statement before it failed ", ".exit is documented")
}
