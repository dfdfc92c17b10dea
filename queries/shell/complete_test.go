package shell

import (
	"database/sql"
	"os"
	"path/filepath"
	"slackaudit/pipeline"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// completionShell is a shell with a hand-made catalog: completion needs no
// database.
func completionShell() *Shell {
	s := New(Config{})
	s.cat = &catalog{loaded: true, keywords: []string{"FROM", "FULL", "GROUP", "SELECT", "UNION", "USING", "WHERE"},
		relations: []relation{
			{Name: "billable_info", Kind: "table", Rows: sql.NullInt64{Int64: 2, Valid: true},
				Columns: []column{{Name: "team_id"}, {Name: "user_id"}, {Name: "billing_active"}}},
			{Name: "latest_sync", Kind: "view", Columns: []column{{Name: "run_id"}, {Name: "as_of"}}},
			{Name: "user_usage", Kind: "table", Columns: []column{{Name: "org_id"}, {Name: "user_id"}, {Name: "last_used_at"}}},
			{Name: "users", Kind: "table", Columns: []column{{Name: "team_id"}, {Name: "user_id"}, {Name: "real_name"}, {Name: "deleted"}}},
		}}
	return s
}

func TestCompletionCandidates(t *testing.T) {
	t.Parallel()
	s := completionShell()
	tests := []struct {
		name     string
		pending  string // earlier lines of the statement
		line     string // | marks the cursor
		word     string
		want     []string
		contains bool // want is a subset
	}{
		{name: "dot-commands", line: ".de|", word: ".de", want: []string{".describe"}},
		{name: "all dot-commands starting with s", line: ".s|", word: ".s", want: []string{".schema", ".sync", ".show"}},
		{name: "describe takes a table", line: ".describe us|", word: "us", want: []string{"user_usage", "users"}},
		{name: "prefix command, argument", line: ".desc bill|", word: "bill", want: []string{"billable_info"}},
		{name: "mode", line: ".mode j|", word: "j", want: []string{"json", "jsonl"}},
		{name: "headers", line: ".headers o|", word: "o", want: []string{"on", "off"}},
		{name: "named query", line: ".run seats|", word: "seats", want: []string{"seats_by_type"}},
		{name: "help topic", line: ".help ti|", word: "ti", want: []string{"timer"}},
		{name: "table after FROM", line: "SELECT * FROM us|", word: "us", want: []string{"user_usage", "users"}},
		{name: "table after JOIN", line: "SELECT * FROM users u JOIN bi|", word: "bi", want: []string{"billable_info"}},
		{name: "every table after FROM", line: "SELECT * FROM |", word: "", want: []string{"billable_info", "latest_sync", "user_usage", "users"}},
		{name: "table after a comma in FROM", line: "SELECT * FROM users, la|", word: "la", want: []string{"latest_sync"}},
		{name: "columns of the named table", line: "SELECT re| FROM users", word: "re", want: []string{"real_name"}},
		{name: "columns only once the table is named", line: "SELECT re|", word: "re", want: nil},
		{name: "columns of a table named on an earlier line", pending: "SELECT *\nFROM users\n", line: "WHERE de|", word: "de", want: []string{"deleted"}},
		{name: "columns, tables and keywords", line: "SELECT * FROM users WHERE u|", word: "u", want: []string{"user_id", "user_usage", "users", "union", "using"}},
		{name: "keywords keep the typed case", line: "SEL|", word: "SEL", want: []string{"SELECT"}},
		{name: "lower-case keywords", line: "sel|", word: "sel", want: []string{"select"}},
		{name: "qualified by table", line: "SELECT users.re| FROM users", word: "users.re", want: []string{"users.real_name"}},
		{name: "qualified by alias", line: "SELECT b.bi| FROM users u JOIN billable_info b USING (user_id)", word: "b.bi", want: []string{"b.billing_active"}},
		{name: "qualified by alias with AS", line: "SELECT x.| FROM user_usage AS x", word: "x.", want: []string{"x.org_id", "x.user_id", "x.last_used_at"}},
		{name: "qualified by an unnamed table", line: "SELECT latest_sync.| ", word: "latest_sync.", want: []string{"latest_sync.run_id", "latest_sync.as_of"}},
		{name: "the cursor in the middle", line: "SELECT us| FROM users", word: "us", want: []string{"user_id", "user_usage", "users", "using"}},
		{name: "nothing in a comment", line: "SELECT 1 -- us|", word: "", want: nil},
		{name: "nothing after a parameter sign", line: "SELECT $da|", word: "$da", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pos := strings.Index(tc.line, "|")
			line := strings.Replace(tc.line, "|", "", 1)
			word, got := s.complete(tc.pending, line, pos)
			assert.Equal(t, tc.word, word)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCompletionOfPaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.sql"), nil, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.csv"), nil, 0o600))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "exports"), 0o700))
	s := completionShell()

	word, got := s.complete("", ".read "+dir+"/au", len(".read "+dir+"/au"))
	assert.Equal(t, dir+"/au", word)
	assert.Equal(t, []string{dir + "/audit.csv", dir + "/audit.sql"}, got)

	line := "COPY users TO '" + dir + "/ex"
	word, got = s.complete("", line, len(line))
	assert.Equal(t, dir+"/ex", word, "inside a string, Tab completes file names")
	assert.Equal(t, []string{dir + "/exports/"}, got)
}

func TestReadlineCompleterReturnsSuffixes(t *testing.T) {
	t.Parallel()
	s := completionShell()
	got, n := readlineCompleter{s}.Do([]rune("SELECT * FROM bil"), len("SELECT * FROM bil"))
	assert.Equal(t, 3, n)
	require.Len(t, got, 1)
	assert.Equal(t, "lable_info", string(got[0]))
}

func TestCompletionReadsTheCatalogAndRefreshesAfterDDL(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	s := New(Config{Write: true, Tables: pipeline.Tables()})
	require.NoError(t, s.open(t.Context(), path))
	defer s.Close()

	_, got := s.complete("", "SELECT * FROM _st", len("SELECT * FROM _st"))
	assert.Empty(t, got, "staging tables are hidden")
	_, got = s.complete("", "SELECT * FROM wo", len("SELECT * FROM wo"))
	assert.Equal(t, []string{"workspaces"}, got)
	_, got = s.complete("", "SELECT pl FROM workspaces", len("SELECT pl"))
	assert.Equal(t, []string{"plan", "plan_code"}, got[:2], "columns first, then keywords")
	_, got = s.complete("", "SELE", 4)
	assert.Equal(t, []string{"SELECT"}, got, "keywords come from duckdb_keywords()")

	require.NoError(t, s.execSQL(t.Context(), "CREATE TABLE seat_notes (user_id VARCHAR, note VARCHAR)"))
	_, got = s.complete("", "SELECT * FROM seat_n", len("SELECT * FROM seat_n"))
	assert.Equal(t, []string{"seat_notes"}, got, "the catalog is re-read after DDL")
	_, got = s.complete("", "SELECT n FROM seat_notes", len("SELECT n"))
	assert.Contains(t, got, "note")
}
