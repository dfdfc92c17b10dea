package warehouse_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/queries"
	"slackaudit/warehouse"
)

// declaredColumns are a declared table's columns with the DuckDB type
// each Arrow type is stored as.
func declaredColumns(t *testing.T, s *arrow.Schema) []warehouse.ManifestColumn {
	t.Helper()
	duck := map[arrow.Type]string{arrow.STRING: "VARCHAR", arrow.BOOL: "BOOLEAN", arrow.INT64: "BIGINT",
		arrow.FLOAT64: "DOUBLE", arrow.DATE32: "DATE", arrow.TIMESTAMP: "TIMESTAMP WITH TIME ZONE"}
	var cols []warehouse.ManifestColumn
	for _, f := range s.Fields() {
		typ, ok := duck[f.Type.ID()]
		require.True(t, ok, "no DuckDB type for %s.%s (%s) in this test", s.Metadata(), f.Name, f.Type)
		cols = append(cols, warehouse.ManifestColumn{Name: f.Name, Type: typ})
	}
	return cols
}

// describeFiles is what DuckDB finds in exported files: their columns and
// their row count.
func describeFiles(t *testing.T, from string) ([]warehouse.ManifestColumn, int) {
	t.Helper()
	dir := t.TempDir()
	db, err := warehouse.Open(ctx, filepath.Join(dir, "reader.duckdb"), warehouse.Options{Tables: contract, AllowFiles: []string{filepath.Dir(dir)}})
	require.NoError(t, err)
	defer db.Close()
	rows, err := db.SQL().QueryContext(ctx, "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "+from+")")
	require.NoError(t, err)
	defer rows.Close()
	var cols []warehouse.ManifestColumn
	for rows.Next() {
		var c warehouse.ManifestColumn
		require.NoError(t, rows.Scan(&c.Name, &c.Type))
		cols = append(cols, c)
	}
	require.NoError(t, rows.Err())
	return cols, count(t, db, "SELECT count(*) FROM "+from)
}

func TestPartitionedExportOfAnEmptyTableHasItsColumns(t *testing.T) {
	t.Parallel()
	db, _ := exported(t) // member_activity has no rows
	out := filepath.Join(t.TempDir(), "export")
	o := exportOptions(out, warehouse.ExportParquet, "member_activity", "users")
	o.PartitionBy = "team_id"
	m, err := warehouse.Export(ctx, db, o)
	require.NoError(t, err)
	assert.Equal(t, warehouse.ManifestTable{Name: "member_activity", Rows: 0, Path: "member_activity", PartitionBy: "team_id"},
		withoutColumnsAndFiles(m).Tables[0])

	for _, hive := range []string{"", ", hive_partitioning = true"} {
		cols, n := describeFiles(t, "read_parquet('"+filepath.Join(out, "member_activity", "**", "*.parquet")+"'"+hive+")")
		assert.Equal(t, 0, n, hive)
		assert.Equal(t, declaredColumns(t, memberActivityTable()), cols, "the declared columns, partition column included%s", hive)
	}

	o.Overwrite = true
	_, err = warehouse.Export(ctx, db, o)
	require.NoError(t, err, "an export holding an empty table's file is an export's folder")

	require.NoError(t, os.WriteFile(filepath.Join(out, "member_activity", "data_1.parquet"), []byte("mine"), 0o644))
	_, err = warehouse.Export(ctx, db, o)
	assert.ErrorContains(t, err, "member_activity holds data_1.parquet, which no export writes")
	assert.FileExists(t, filepath.Join(out, "member_activity", "data_1.parquet"))
}

func TestPartitionedCSVExportOfAnEmptyTableHasItsHeader(t *testing.T) {
	t.Parallel()
	db, _ := exported(t)
	out := filepath.Join(t.TempDir(), "export")
	o := exportOptions(out, warehouse.ExportCSV, "member_activity")
	o.PartitionBy = "team_id"
	_, err := warehouse.Export(ctx, db, o)
	require.NoError(t, err)
	body, err := os.ReadFile(filepath.Join(out, "member_activity", "data_0.csv"))
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(body, []byte("date,enterprise_id,team_id,user_id,email,is_guest,")), "%s", body)
	assert.Equal(t, 1, bytes.Count(body, []byte("\n")), "a header and no rows")
}

// timestamped is the exported warehouse with profile times (one with a
// fraction of a second, one NULL) and a day of member activity.
func timestamped(t *testing.T) *warehouse.DB {
	t.Helper()
	db, _ := exported(t)
	for _, q := range []string{
		`UPDATE users SET profile_updated_at = TIMESTAMPTZ '2026-02-13 16:41:30+00' WHERE user_id = 'U1'`,
		`UPDATE users SET profile_updated_at = TIMESTAMPTZ '2026-02-13 18:41:30.25+02' WHERE user_id = 'U2'`,
		`UPDATE users SET profile_updated_at = TIMESTAMPTZ '1969-12-31 23:59:59.000001+00' WHERE user_id = 'U3'`,
		`INSERT INTO member_activity (date, team_id, user_id, messages_posted) VALUES (DATE '2026-02-13', 'T1', 'U1', 3)`,
	} {
		_, err := db.SQL().ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	return db
}

// jsonLines decodes a JSON-lines file.
func jsonLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var row map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &row), "%s", sc.Text())
		out = append(out, row)
	}
	require.NoError(t, sc.Err())
	return out
}

func TestJSONExportWritesTimestampsAsRFC3339(t *testing.T) {
	t.Parallel()
	db := timestamped(t)
	out := filepath.Join(t.TempDir(), "export")
	_, err := warehouse.Export(ctx, db, exportOptions(out, warehouse.ExportJSON, "users", "member_activity", "sync_runs"))
	require.NoError(t, err)

	times := map[string]any{}
	for _, row := range jsonLines(t, filepath.Join(out, "users.json")) {
		times[row["user_id"].(string)] = row["profile_updated_at"]
		if s, ok := row["profile_updated_at"].(string); ok {
			_, err := time.Parse(time.RFC3339, s)
			assert.NoError(t, err, "profile_updated_at of %s", row["user_id"])
		}
	}
	assert.Equal(t, map[string]any{"U1": "2026-02-13T16:41:30Z", "U2": "2026-02-13T16:41:30.25Z",
		"U3": "1969-12-31T23:59:59.000001Z", "U4": nil}, times)

	runs := jsonLines(t, filepath.Join(out, "sync_runs.json"))
	require.Len(t, runs, 1)
	asOf, err := time.Parse(time.RFC3339, runs[0]["as_of"].(string))
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), asOf)

	activity := jsonLines(t, filepath.Join(out, "member_activity.json"))
	require.Len(t, activity, 1)
	assert.Equal(t, "2026-02-13", activity[0]["date"], "dates stay YYYY-MM-DD")
	assert.Equal(t, 3.0, activity[0]["messages_posted"], "numbers stay numbers")
}

func TestJSONExportTimestampsMatchQueryFormatJSON(t *testing.T) {
	t.Parallel()
	db := timestamped(t)
	out := filepath.Join(t.TempDir(), "export")
	o := exportOptions(out, warehouse.ExportJSON, "users")
	o.PartitionBy = "team_id"
	_, err := warehouse.Export(ctx, db, o)
	require.NoError(t, err)
	exportedTimes := map[string]any{}
	for _, part := range []string{"team_id=T1", "team_id=T2", "team_id=NULL"} {
		for _, row := range jsonLines(t, filepath.Join(out, "users", part, "data_0.json")) {
			exportedTimes[row["user_id"].(string)] = row["profile_updated_at"]
		}
	}

	rows, err := db.Stream(ctx, "SELECT user_id, profile_updated_at FROM users")
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = queries.WriteStream(&buf, rows, queries.Options{Format: queries.JSON})
	require.NoError(t, errors.Join(err, rows.Close()))
	var queried []map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &queried), "%s", buf.String())
	queriedTimes := map[string]any{}
	for _, row := range queried {
		queriedTimes[row["user_id"].(string)] = row["profile_updated_at"]
	}
	assert.Len(t, queriedTimes, 4)
	assert.Equal(t, queriedTimes, exportedTimes, "a partitioned JSON export writes times as query --format json does")
}
