package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// totalCalls is every request the synthetic org has answered.
func totalCalls(srv *slacktest.Server) int {
	n := 0
	for _, c := range srv.CallCounts() {
		n += c
	}
	return n
}

// commandLines are a valid invocation of every command that reads --db,
// against srv, for the flag checks to spoil.
func commandLines(srv *slacktest.Server, out string) map[string][]string {
	api := []string{"--api-url", srv.URL()}
	return map[string][]string{
		"sync":   append([]string{"sync"}, api...),
		"export": {"export", "--out", out},
		"query":  {"query", "SELECT 1"},
		"report": {"report"},
		"shell":  {"shell"},
		"act":    append([]string{"act", "deactivate", "--users", "U1"}, api...),
		"notify": append([]string{"notify", "--message", "hi", "--users", "U1"}, api...),
		"demo":   {"demo", "--members", "2"},
	}
}

func TestEveryCommandRefusesAWarehousePathThatCannotBeRight(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 4, Users: 10})
	dir := t.TempDir()
	notDuck := filepath.Join(dir, "sheet.db")
	require.NoError(t, os.WriteFile(notDuck, []byte("SQLite format 3\x00 not a duckdb file"), 0o644))
	cases := []struct{ db, want string }{
		{"", "is empty"},
		{filepath.Join(dir, "foo.parquet"), "is a Parquet file name"},
		{filepath.Join(dir, "x.csv"), "is a CSV file name"},
		{filepath.Join(dir, "x.json"), "is a JSON file name"},
		{":memory:", "nothing would be saved"},
		{filepath.Join(dir, "a.duckdb") + "?allow_unsigned_extensions=true", "which DuckDB reads as connection options"},
		{"md:audit", "MotherDuck"},
		{"s3://bucket/audit.duckdb", "looks like a URL"},
		{dir, "is a folder"},
		{notDuck, "is not a DuckDB database"},
	}
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	for name, line := range commandLines(srv, filepath.Join(dir, "out")) {
		for _, tc := range cases {
			args := append(append([]string{}, line...), "--db", tc.db)
			r := c.runStdin("SELECT 1;\n", args...)
			assert.Equal(t, exitUsage, r.code, "%s --db %q: %s", name, tc.db, r.stderr)
			assert.Contains(t, r.stderr, "slackaudit "+name+": --db: ", "%s --db %q", name, tc.db)
			assert.Contains(t, r.stderr, tc.want, "%s --db %q", name, tc.db)
			assert.Empty(t, r.stdout, "%s --db %q", name, tc.db)
		}
	}
	assert.Zero(t, totalCalls(srv), "no command called Slack")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "nothing was created beside sheet.db")
	b, err := os.ReadFile(notDuck)
	require.NoError(t, err)
	assert.Equal(t, "SQLite format 3\x00 not a duckdb file", string(b))
}

func TestEveryCommandRefusesAnAPIURLThatCannotBeRight(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 4, Users: 10})
	db := tempDB(t)
	cases := []struct{ url, want string }{
		{srv.URL() + "?team=T1", "has a query (?…): the method name is appended to the base URL, so pass it without one, such as " + srv.URL()},
		{srv.URL() + "?", "has a query"},
		{srv.URL() + "#users", "has a fragment (#…)"},
		{"", "is empty"},
		{"ftp://127.0.0.1/api/", "is not an http(s) URL"},
		{"127.0.0.1:9/api/", "is not an http(s) URL"},
		{"http:///api/", "names no host"},
	}
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	for _, line := range [][]string{{"sync"}, {"act", "deactivate", "--users", "U1"}, {"notify", "--message", "hi", "--users", "U1"}, {"shell"}} {
		for _, tc := range cases {
			args := append(append([]string{}, line...), "--db", db, "--api-url", tc.url)
			r := c.runStdin(".sync\n", args...)
			assert.Equal(t, exitUsage, r.code, "%s --api-url %q: %s", line[0], tc.url, r.stderr)
			assert.Contains(t, r.stderr, "slackaudit "+line[0]+": --api-url: ", "%s --api-url %q", line[0], tc.url)
			assert.Contains(t, r.stderr, tc.want, "%s --api-url %q", line[0], tc.url)
		}
	}
	assert.Zero(t, totalCalls(srv), "no command called Slack")
	assert.NoFileExists(t, db, "no warehouse was created")
}
