package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
	"slackaudit/warehouse"
)

// documentedCatalogue is every table and view of the warehouse contract:
// pipeline's tables and the warehouse's own, with their views.
func documentedCatalogue() []string {
	cat := contract()
	names := append(cat.TableNames(), cat.ViewNames()...)
	slices.Sort(names)
	return names
}

// fileCatalogue lists the tables and views in the warehouse file's own
// database, as any DuckDB client opening the file sees them.
func fileCatalogue(t *testing.T, path string) []string {
	t.Helper()
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	assert.Empty(t, db.Leftovers())
	rows, err := db.SQL().Query(`SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal
		UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal ORDER BY 1`)
	require.NoError(t, err)
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		names = append(names, n)
	}
	require.NoError(t, rows.Err())
	return names
}

func TestCatalogueHoldsExactlyTheDocumentedTablesAndViews(t *testing.T) {
	t.Parallel()
	srv, tok := actOrg(t, slacktest.Config{Seed: 43, Users: 60})
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	want := documentedCatalogue()

	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL()).code)
	assert.Equal(t, want, fileCatalogue(t, db), "after a sync")
	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL()).code)
	assert.Equal(t, want, fileCatalogue(t, db), "after a second sync")

	r := c.run("export", "--db", db, "--out", filepath.Join(t.TempDir(), "export"))
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, want, fileCatalogue(t, db), "after an export")

	r = c.act(srv, "act", "deactivate", "--db", db, "--from-sql", "SELECT user_id FROM users WHERE NOT is_admin AND NOT is_bot LIMIT 2")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 2, queryInt(t, db, "SELECT count(*) FROM actions_log"))
	assert.Equal(t, want, fileCatalogue(t, db), "after act")

	// A sync that fails half-way leaves nothing of its own behind either.
	srv.Inject(slacktest.Fault{Method: "users.list", After: 0, Body: `{"ok":true,"members":[{"id":"W1","na`})
	r = c.run("sync", "--db", db, "--api-url", srv.URL())
	assert.Equal(t, exitFailure, r.code)
	assert.Equal(t, want, fileCatalogue(t, db), "after a failed sync")

	// No view in the file reads raw memory: every view can be read.
	plain, err := sql.Open("duckdb", db+"?access_mode=read_only")
	require.NoError(t, err)
	defer plain.Close()
	for _, v := range contract().ViewNames() {
		var n int
		require.NoError(t, plain.QueryRow(`SELECT count(*) FROM "`+v+`"`).Scan(&n), v)
	}
}
