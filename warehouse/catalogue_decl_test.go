package warehouse_test

import (
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
	"slackaudit/warehouse/schema"
)

// Opening for writing creates what it is given; it is not given the
// tables, it refuses before touching the file. A read-only open needs none.
func TestOpenForWritingNeedsItsTables(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.duckdb")
	_, err := warehouse.Open(ctx, path, warehouse.Options{})
	assert.ErrorContains(t, err, "opening the warehouse for writing needs the tables it holds (warehouse.Options.Tables")
	assert.NoFileExists(t, path)

	db, err := warehouse.Open(ctx, path, writable())
	require.NoError(t, err)
	require.NoError(t, db.Close())
	ro, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer ro.Close()
	assert.Equal(t, []string{"sync_runs", "source_status", "actions_log"}, ro.Catalog().TableNames(), "a read-only open knows the warehouse's own tables")
	assert.Equal(t, 0, count(t, ro, "SELECT count(*) FROM users"), "and reads the rest")
}

// The catalogue is the sync's bookkeeping, the tables given in their
// order, then the actions log; the views of each follow their tables.
func TestCatalogOrder(t *testing.T) {
	cat, err := warehouse.NewCatalog(contract)
	require.NoError(t, err)
	assert.Equal(t, []string{"sync_runs", "source_status", "users", "member_activity", "licenses", "seat_history", "actions_log"}, cat.TableNames())
	assert.Equal(t, []string{"latest_sync", "license_summary", "action_batches"}, cat.ViewNames())
	assert.Len(t, cat.Schemas(), 7)
	assert.Same(t, usersTable, cat.Schemas()[2])
}

func TestCatalogRefusesWhatItCannotCreate(t *testing.T) {
	table := func(name string, kind schema.Kind, cols ...schema.Column) *arrow.Schema {
		return schema.Declare(schema.Table{Name: name, Kind: kind, Comment: "A table.", Columns: cols})
	}
	text := schema.String("x", "A column.")
	plain := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.BinaryTypes.String}}, nil)
	for _, tc := range []struct {
		name   string
		tables []*arrow.Schema
		want   string
	}{
		{"a log table", []*arrow.Schema{table("notes", schema.Log, text)}, "notes is a log table"},
		{"the warehouse's own", []*arrow.Schema{table("sync_runs", schema.Snapshot, text)}, "two tables or views are called sync_runs"},
		{"a table twice", []*arrow.Schema{usersTable, usersTable}, "two tables or views are called users"},
		{"a view named like a table", []*arrow.Schema{table("latest_sync", schema.Snapshot, text)}, "two tables or views are called latest_sync"},
		{"a type the warehouse does not store", []*arrow.Schema{table("notes", schema.Snapshot, schema.Column{Name: "n", Type: arrow.PrimitiveTypes.Uint8, Comment: "A byte."})},
			"column notes.n: the warehouse stores no Arrow uint8"},
		{"a timestamp not in UTC microseconds", []*arrow.Schema{table("notes", schema.Snapshot, schema.Column{Name: "at", Type: arrow.FixedWidthTypes.Timestamp_s, Comment: "When."})},
			"column notes.at: the warehouse stores no Arrow timestamp[s"},
		{"an undeclared schema", []*arrow.Schema{plain}, `schema of table "": kind ""`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := warehouse.NewCatalog(tc.tables)
			assert.ErrorContains(t, err, tc.want)
			_, err = warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{Tables: tc.tables})
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

// Every Arrow type the column helpers make has a DuckDB type.
func TestColumnHelpersMapToDuckDBTypes(t *testing.T) {
	s := schema.Declare(schema.Table{Name: "types", Comment: "Every column helper.", Columns: []schema.Column{
		schema.String("s", "."), schema.Bool("b", "."), schema.Int64("i64", "."), schema.Int32("i32", "."),
		schema.Float64("f", "."), schema.Date("d", "."), schema.Timestamp("ts", "."), schema.Strings("l", "."),
		{Name: "dec", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Comment: "."},
	}})
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{Tables: []*arrow.Schema{s}})
	require.NoError(t, err)
	defer db.Close()
	rows, err := db.SQL().QueryContext(ctx, "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'types' ORDER BY column_index")
	require.NoError(t, err)
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var n, typ string
		require.NoError(t, rows.Scan(&n, &typ))
		got[n] = typ
	}
	assert.Equal(t, map[string]string{"s": "VARCHAR", "b": "BOOLEAN", "i64": "BIGINT", "i32": "INTEGER", "f": "DOUBLE", "d": "DATE",
		"ts": "TIMESTAMP WITH TIME ZONE", "l": "VARCHAR[]", "dec": "DECIMAL(12,2)"}, got)
}
