package warehouse_test

import (
	"database/sql"
	"database/sql/driver"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
)

// documented is every table and view of the test contract, with the
// warehouse's own.
func documented(t *testing.T) []string {
	t.Helper()
	cat, err := warehouse.NewCatalog(contract)
	require.NoError(t, err)
	names := append(cat.TableNames(), cat.ViewNames()...)
	slices.Sort(names)
	return names
}

// catalogue lists the tables and views in the warehouse file's own database.
func catalogue(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal
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

func assertCatalogue(t *testing.T, db *warehouse.DB) {
	t.Helper()
	assert.Equal(t, documented(t), catalogue(t, db.SQL()), "the file holds exactly the documented tables and views")
}

func TestSyncLeavesOnlyTheDocumentedCatalogue(t *testing.T) {
	db, path := openTemp(t)
	assertCatalogue(t, db)
	run := syncUsers(t, db, "U1", "U2")
	rec := activityBatch(5000, 0)
	defer rec.Release()
	require.NoError(t, run.Load(ctx, "member_activity", rec))
	require.NoError(t, run.Commit(ctx, 1))
	assertCatalogue(t, db)
	require.NoError(t, db.Close())

	// What a DuckDB client opening the file finds, after the checkpoint.
	plain, err := sql.Open("duckdb", path+"?access_mode=read_only")
	require.NoError(t, err)
	defer plain.Close()
	assert.Equal(t, documented(t), catalogue(t, plain))
}

// leftoverWarehouse builds a warehouse as versions before this one left it:
// a persistent view _arrow_in over arrow_scan (every sync left one) and a
// staging table of a killed sync.
func leftoverWarehouse(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	db, err := warehouse.Open(ctx, path, writable())
	require.NoError(t, err)
	require.NoError(t, syncUsers(t, db, "U1", "U2").Commit(ctx, 1))
	require.NoError(t, db.Close())

	connector, err := duckdb.NewConnector(path, nil)
	require.NoError(t, err)
	plain := sql.OpenDB(connector)
	defer plain.Close()
	conn, err := plain.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	rec := usersBatch("U9")
	defer rec.Release()
	reader, err := array.NewRecordReader(rec.Schema(), []arrow.RecordBatch{rec})
	require.NoError(t, err)
	defer reader.Release()
	require.NoError(t, conn.Raw(func(dc any) error {
		a, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		release, err := a.RegisterView(reader, "_arrow_in")
		if err != nil {
			return err
		}
		release() // as Load did: the view stays, pointing at freed memory
		return nil
	}))
	_, err = conn.ExecContext(ctx, `CREATE TABLE _stage_users AS SELECT * FROM users`)
	require.NoError(t, err)
	var n int
	require.NoError(t, conn.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_views() WHERE view_name = '_arrow_in'").Scan(&n))
	require.Equal(t, 1, n)
	return path
}

func TestOpenRemovesLeftoversOfEarlierVersions(t *testing.T) {
	path := leftoverWarehouse(t)

	// Read-only, the file is not changed: the leftovers are named, so the
	// shell can keep them out of sight.
	ro, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"_arrow_in", "_stage_users"}, ro.Leftovers())
	// Reading a leftover Arrow view would crash DuckDB while it prepares
	// the statement: a user's session refuses it, and the scan functions
	// over raw pointers, by name (never inside a string literal).
	for _, q := range []string{`SELECT * FROM _arrow_in`, `select * from "_ARROW_IN"`, `SELECT * FROM arrow_scan(1, 2, 3)`,
		`SELECT count(*) FROM main._stage_users`} {
		_, err := ro.Stream(ctx, q)
		refused, ok := warehouse.AsRefused(err)
		require.True(t, ok, "%s: %v", q, err)
		assert.Equal(t, warehouse.RefusedInternal, refused.Kind, q)
	}
	rows, err := ro.Stream(ctx, `SELECT '_arrow_in' AS name, 'arrow_scan' AS f`)
	require.NoError(t, err, "names inside string literals are data")
	require.NoError(t, rows.Close())
	require.NoError(t, ro.Close())

	db, err := warehouse.Open(ctx, path, writable())
	require.NoError(t, err)
	defer db.Close()
	assertCatalogue(t, db)
	assert.Empty(t, db.Leftovers())
	assert.Equal(t, 2, count(t, db, "SELECT count(*) FROM users"), "the data is kept")
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM sync_runs WHERE status = 'succeeded'"))
}
