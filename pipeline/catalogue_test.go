package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
)

// catalogueGolden is the warehouse's catalogue as slackaudit created it
// before the tables were declared as Arrow schemas: generating the DDL
// from the schemas must create the same tables, views, columns, types and
// comments. It is never rewritten.
const catalogueGolden = "testdata/catalogue.golden"

// TestCatalogueIsUnchanged opens a new warehouse for writing and compares
// what DuckDB holds (tables, views, their columns with types and comments,
// the views' SQL) with the golden catalogue.
func TestCatalogueIsUnchanged(t *testing.T) {
	t.Parallel()
	db, err := warehouse.Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{Tables: Tables()})
	require.NoError(t, err)
	defer db.Close()
	want, err := os.ReadFile(catalogueGolden)
	require.NoError(t, err)
	assert.Equal(t, string(want), catalogue(t, db.SQL()))
}

// oldDDL is the DDL slackaudit ran before its tables were declared as
// Arrow schemas.
const oldDDL = "testdata/warehouse-v1.sql"

// A warehouse written by the version before, and older still (a table and
// columns it lacks), opens for writing: what is missing is added, with its
// comments, and the data is kept.
func TestOpenMigratesAWarehouseOfTheVersionBefore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	ddl, err := os.ReadFile(oldDDL)
	require.NoError(t, err)
	plain, err := sql.Open("duckdb", path)
	require.NoError(t, err)
	for _, q := range []string{string(ddl),
		`ALTER TABLE users DROP COLUMN has_2fa`, `ALTER TABLE source_status DROP COLUMN duplicates`,
		`DROP VIEW license_summary`, `DROP TABLE app_requests`,
		`INSERT INTO sync_runs (run_id, started_at, finished_at, status, api_calls, as_of, mode, team_id)
		 VALUES (1, '2026-03-01 10:00:00Z', '2026-03-01 10:01:00Z', 'succeeded', 12, '2026-03-01 10:00:00Z', 'business_plus', 'T1')`,
		`INSERT INTO source_status (run_id, team_id, source, status, rows) VALUES (1, 'T1', 'users', 'ok', 2)`,
		`INSERT INTO users (team_id, user_id, name, deleted) VALUES ('T1', 'U1', 'ada', false), ('T1', 'U2', 'bob', true)`,
		`INSERT INTO seat_history (run_id, as_of, scope, org_id, paid_seats) VALUES (1, '2026-03-01 10:00:00Z', 'billing_account', 'T1', 1)`,
	} {
		_, err := plain.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	require.NoError(t, plain.Close())

	db, err := warehouse.Open(ctx, path, warehouse.Options{Tables: Tables()})
	require.NoError(t, err)
	defer db.Close()
	want, err := os.ReadFile(catalogueGolden)
	require.NoError(t, err)
	// Added columns come last in their table; the lines are the same.
	assert.ElementsMatch(t, strings.Split(string(want), "\n"), strings.Split(catalogue(t, db.SQL()), "\n"),
		"the columns, table and view are added, with their comments")
	assert.Equal(t, "ada,bob", queryString(t, db, "SELECT string_agg(name, ',' ORDER BY user_id) FROM users WHERE has_2fa IS NULL"))
	assert.Equal(t, "users ok 2", queryString(t, db, "SELECT source || ' ' || status || ' ' || rows FROM source_status WHERE duplicates IS NULL"))
	assert.Equal(t, "1 business_plus", queryString(t, db, "SELECT run_id || ' ' || mode FROM latest_sync"))
	assert.Equal(t, "1", queryString(t, db, "SELECT paid_seats::VARCHAR FROM license_summary"))
}

// catalogue describes the tables and views of db's own database, by name.
func catalogue(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	each(t, db, `SELECT 'TABLE', table_name, COALESCE(comment, ''), '' FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
		UNION ALL SELECT 'VIEW', view_name, COALESCE(comment, ''), sql FROM duckdb_views()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal ORDER BY 2`, func(v []string) {
		fmt.Fprintf(&b, "%s %s: %s\n", v[0], v[1], v[2])
		if v[3] != "" {
			fmt.Fprintf(&b, "  sql: %s\n", v[3])
		}
		each(t, db, `SELECT column_name, data_type, COALESCE(comment, '') FROM duckdb_columns()
			WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? ORDER BY column_index`, func(c []string) {
			fmt.Fprintf(&b, "  %s %s", c[0], c[1])
			if c[2] != "" {
				fmt.Fprintf(&b, ": %s", c[2])
			}
			b.WriteString("\n")
		}, v[1])
	})
	return b.String()
}

// each calls fn with every row of query, as strings.
func each(t *testing.T, db *sql.DB, query string, fn func([]string), args ...any) {
	t.Helper()
	rows, err := db.Query(query, args...)
	require.NoError(t, err)
	cols, err := rows.Columns()
	require.NoError(t, err)
	var all [][]string
	for rows.Next() {
		v := make([]string, len(cols))
		ptrs := make([]any, len(cols))
		for i := range v {
			ptrs[i] = &v[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		all = append(all, v)
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	for _, v := range all {
		fn(v)
	}
}
