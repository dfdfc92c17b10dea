package main

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// crafted is a name built to fake a row: a right-to-left override, a line
// break and table borders.
const crafted = "\u202eevil\n| fake | row |"

func TestCraftedNamesAreEscapedInSummariesAndTables(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 8, Users: 20, Name: crafted})
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	r := c.run("sync", "--db", db, "--api-url", srv.URL())
	require.Equal(t, exitOK, r.code, r.stderr)
	first, _, _ := strings.Cut(r.stdout, "\n")
	assert.True(t, strings.HasPrefix(first, `Synced \u202eevil\n| fake | row | (`), "the summary's first line holds the whole name: %q", first)
	assert.NotContains(t, r.stdout, "\u202e")
	for _, format := range []string{"table", "markdown"} {
		r = c.run("report", "--db", db, "--format", format)
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, `\u202eevil\n| fake | row |`, format)
		assert.NotContains(t, r.stdout, "\u202e", format)
	}

	w, err := warehouse.Open(context.Background(), db, warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	_, err = w.SQL().Exec(`UPDATE users SET real_name = ? WHERE user_id = (SELECT min(user_id) FROM users)`, crafted)
	require.NoError(t, err)
	require.NoError(t, w.Close())

	q := "SELECT real_name FROM users WHERE real_name = '" + strings.ReplaceAll(crafted, "'", "''") + "'"
	for _, format := range []string{"table", "box", "markdown", "line"} {
		r = c.run("query", "--db", db, "--format", format, q)
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.NotContains(t, r.stdout, "\u202e", format)
		assert.Contains(t, r.stdout, `\u202eevil\n`, format)
		assert.NotContains(t, r.stdout, "\n| fake", "%s: no faked row\n%s", format, r.stdout)
	}
	for _, format := range []string{"csv", "json", "jsonl"} {
		r = c.run("query", "--db", db, "--format", format, q)
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, "\u202e", "%s keeps the value exact", format)
	}
}

func TestQueryCSVFollowsExportsFormulaPolicy(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	q := `SELECT '=HYPERLINK("http://evil.example","x")' AS a, '+1 555' AS b, '@cmd' AS c, -42 AS d, '-3' AS e, 'plain' AS f`
	read := func(args ...string) []string {
		r := c.run(append([]string{"query", "--db", db, "--format", "csv"}, args...)...)
		require.Equal(t, exitOK, r.code, r.stderr)
		recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		require.NoError(t, err)
		require.Len(t, recs, 2)
		return recs[1]
	}
	assert.Equal(t, []string{`'=HYPERLINK("http://evil.example","x")`, "'+1 555", "'@cmd", "-42", "-3", "plain"}, read(q),
		"formulas are neutralised by default, as export does")
	assert.Equal(t, []string{`=HYPERLINK("http://evil.example","x")`, "+1 555", "@cmd", "-42", "-3", "plain"}, read("--raw-csv", q))
}
