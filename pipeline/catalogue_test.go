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
	db, err := warehouse.Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	require.NoError(t, err)
	defer db.Close()
	want, err := os.ReadFile(catalogueGolden)
	require.NoError(t, err)
	assert.Equal(t, string(want), catalogue(t, db.SQL()))
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
