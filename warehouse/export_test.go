package warehouse_test

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/queries"
	"slackaudit/warehouse"
)

var exportedAt = time.Date(2026, 11, 29, 8, 30, 0, 0, time.UTC)

// exported is a warehouse holding one sync of four users in two workspaces
// and none, one of them named like a spreadsheet formula; it may write
// files in the test's temporary folders.
func exported(t *testing.T) (*warehouse.DB, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.duckdb")
	// Exports go to the test's other temporary folders, beside dir.
	db, err := warehouse.Open(ctx, path, warehouse.Options{Tables: contract, AllowFiles: []string{filepath.Dir(dir)}})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, syncUsers(t, db, "U1", "U2").Commit(ctx, 0))
	for _, q := range []string{
		`UPDATE users SET real_name = '=HYPERLINK("http://evil.example","x")' WHERE user_id = 'U1'`,
		`INSERT INTO users (team_id, user_id, deleted) VALUES ('T2', 'U3', false), (NULL, 'U4', false)`,
	} {
		_, err := db.SQL().ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	return db, path
}

// csvWriter is the CSV writer slackaudit export injects.
func csvWriter(w io.Writer, rows *warehouse.Rows) error {
	_, err := queries.WriteStream(w, rows, queries.Options{Format: queries.CSV})
	return err
}

func exportOptions(out string, format warehouse.ExportFormat, tables ...string) warehouse.ExportOptions {
	return warehouse.ExportOptions{Out: out, Format: format, Tables: tables, Contract: contract, CSV: csvWriter, Now: func() time.Time { return exportedAt }}
}

// readBack counts the rows DuckDB's own readers find in exported files.
func readBack(t *testing.T, query string) int {
	t.Helper()
	dir := t.TempDir()
	db, err := warehouse.Open(ctx, filepath.Join(dir, "reader.duckdb"), warehouse.Options{Tables: contract, AllowFiles: []string{filepath.Dir(dir)}})
	require.NoError(t, err)
	defer db.Close()
	return count(t, db, query)
}

func TestExportWritesEachFormatWithAManifest(t *testing.T) {
	t.Parallel()
	db, _ := exported(t)
	for _, format := range []warehouse.ExportFormat{warehouse.ExportParquet, warehouse.ExportCSV, warehouse.ExportJSON} {
		out := filepath.Join(t.TempDir(), "a", "export")
		m, err := warehouse.Export(ctx, db, exportOptions(out, format, "users", "sync_runs", "users"))
		require.NoError(t, err, format)
		assert.Equal(t, &warehouse.Manifest{Generator: "slackaudit export", RunID: 1, AsOf: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),
			ExportedAt: exportedAt, Format: format, Tables: []warehouse.ManifestTable{
				{Name: "users", Rows: 4, Path: "users." + string(format)}, {Name: "sync_runs", Rows: 1, Path: "sync_runs." + string(format)},
			}}, m, "a table named twice is written once")
		b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
		require.NoError(t, err)
		var written warehouse.Manifest
		require.NoError(t, json.Unmarshal(b, &written))
		assert.Equal(t, *m, written, "manifest.json says what Export returned")
		reader := map[warehouse.ExportFormat]string{"parquet": "read_parquet", "csv": "read_csv", "json": "read_json"}[format]
		assert.Equal(t, 4, readBack(t, "SELECT count(*) FROM "+reader+"('"+filepath.Join(out, "users."+string(format))+"')"), format)
		entries, err := os.ReadDir(filepath.Dir(out))
		require.NoError(t, err)
		assert.Len(t, entries, 1, "no temporary folder is left beside the export")
	}
}

func TestExportCSVGoesThroughTheInjectedWriter(t *testing.T) {
	t.Parallel()
	db, _ := exported(t)
	out := filepath.Join(t.TempDir(), "csv")
	_, err := warehouse.Export(ctx, db, exportOptions(out, warehouse.ExportCSV, "users"))
	require.NoError(t, err)
	body, err := os.ReadFile(filepath.Join(out, "users.csv"))
	require.NoError(t, err)
	assert.Contains(t, string(body), `"'=HYPERLINK(""http://evil.example"",""x"")"`, "the formula is neutralised")

	o := exportOptions(filepath.Join(t.TempDir(), "none"), warehouse.ExportCSV)
	o.CSV = nil
	_, err = warehouse.Export(ctx, db, o)
	assert.EqualError(t, err, "export: csv needs ExportOptions.CSV")
	var refusal *warehouse.ExportRefusal
	assert.False(t, errors.As(err, &refusal), "a caller's mistake, not the user's")
}

func TestExportPartitionsByAColumn(t *testing.T) {
	t.Parallel()
	db, _ := exported(t)
	for _, format := range []warehouse.ExportFormat{warehouse.ExportParquet, warehouse.ExportCSV, warehouse.ExportJSON} {
		out := filepath.Join(t.TempDir(), string(format))
		o := exportOptions(out, format, "users", "licenses")
		o.PartitionBy = "team_id"
		m, err := warehouse.Export(ctx, db, o)
		require.NoError(t, err, format)
		assert.Equal(t, warehouse.ManifestTable{Name: "users", Rows: 4, Path: "users", PartitionBy: "team_id"}, m.Tables[0])
		assert.Equal(t, "licenses."+string(format), m.Tables[1].Path, "a table without the column is written whole")
		parts, err := os.ReadDir(filepath.Join(out, "users"))
		require.NoError(t, err)
		var names []string
		for _, p := range parts {
			names = append(names, p.Name())
		}
		null := "team_id=NULL"
		if format == warehouse.ExportParquet {
			null = "team_id=__HIVE_DEFAULT_PARTITION__" // DuckDB's own name for the NULL partition
		}
		assert.ElementsMatch(t, []string{"team_id=T1", "team_id=T2", null}, names, format)
		if format != warehouse.ExportParquet {
			body, err := os.ReadFile(filepath.Join(out, "users", "team_id=T2", "data_0."+string(format)))
			require.NoError(t, err)
			assert.Contains(t, string(body), "U3")
			assert.NotContains(t, string(body), "T2", "the partition column is the folder's name, not a column")
		}
		reader := map[warehouse.ExportFormat]string{"parquet": "read_parquet", "csv": "read_csv", "json": "read_json"}[format]
		assert.Equal(t, 4, readBack(t, "SELECT count(*) FROM "+reader+"('"+filepath.Join(out, "users", "*", "*."+string(format))+"', hive_partitioning = true)"), format)
	}
}

func TestCheckExportRefusesBeforeTouchingAnything(t *testing.T) {
	t.Parallel()
	_, path := exported(t)
	home := filepath.Join(t.TempDir(), "home")
	require.NoError(t, os.MkdirAll(home, 0o755))
	full := filepath.Join(t.TempDir(), "full")
	require.NoError(t, os.MkdirAll(full, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(full, "budget.xlsx"), []byte("mine"), 0o644))
	fresh := filepath.Join(t.TempDir(), "fresh", "export")
	cases := []struct {
		name   string
		change func(*warehouse.ExportOptions)
		want   string
	}{
		{"no out", func(o *warehouse.ExportOptions) { o.Out = "" }, "--out DIR is required"},
		{"an unknown format", func(o *warehouse.ExportOptions) { o.Format = "xml" }, `--format "xml": use parquet, csv, json`},
		{"a partition column that is not a name", func(o *warehouse.ExportOptions) { o.PartitionBy = "team_id; DROP" }, `--partition-by "team_id; DROP" is not a column name`},
		{"an unknown table", func(o *warehouse.ExportOptions) { o.Tables = []string{"users", "nope"} }, `--tables: no table or view "nope"; choose from`},
		{"the root", func(o *warehouse.ExportOptions) { o.Out = "/" }, "is the root folder"},
		{"the home folder", func(o *warehouse.ExportOptions) { o.Out = home }, "is your home folder or holds it"},
		{"the current folder", func(o *warehouse.ExportOptions) { o.Out = "." }, "is the current folder or holds it"},
		{"the warehouse's folder", func(o *warehouse.ExportOptions) { o.Out = filepath.Dir(path) }, "is the warehouse " + path + " or holds it"},
		{"the warehouse file", func(o *warehouse.ExportOptions) { o.Out = path }, "is the warehouse"},
		{"a folder with files", func(o *warehouse.ExportOptions) { o.Out = full }, "is not empty: pass --overwrite"},
		{"a folder no export wrote", func(o *warehouse.ExportOptions) { o.Out, o.Overwrite = full, true }, "it holds no manifest.json of an export"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := exportOptions(fresh, warehouse.ExportParquet)
			o.Home, o.Warehouse = home, path
			tc.change(&o)
			err := warehouse.CheckExport(o)
			var refusal *warehouse.ExportRefusal
			require.True(t, errors.As(err, &refusal), "%v", err)
			assert.ErrorContains(t, err, tc.want)
			assert.NoDirExists(t, filepath.Dir(fresh))
			assert.FileExists(t, filepath.Join(full, "budget.xlsx"))
		})
	}
	require.NoError(t, warehouse.CheckExport(exportOptions(fresh, warehouse.ExportParquet)))
	assert.NoDirExists(t, filepath.Dir(fresh), "a check creates nothing")
}

func TestExportChecksItsOptionsItself(t *testing.T) {
	t.Parallel()
	db, path := exported(t)
	_, err := warehouse.Export(ctx, db, exportOptions(filepath.Dir(path), warehouse.ExportParquet))
	var refusal *warehouse.ExportRefusal
	require.True(t, errors.As(err, &refusal), "%v", err)
	assert.ErrorContains(t, err, "is the warehouse "+path+" or holds it", "the open warehouse's path is guarded without being told")
}

func TestExportBeforeAnySync(t *testing.T) {
	t.Parallel()
	db, _ := openTemp(t)
	base := t.TempDir()
	_, err := warehouse.Export(ctx, db, exportOptions(filepath.Join(base, "x", "export"), warehouse.ExportParquet))
	assert.ErrorIs(t, err, warehouse.ErrNoSync)
	assert.NoDirExists(t, filepath.Join(base, "x"))
}

func TestFailedExportLeavesThePreviousOne(t *testing.T) {
	t.Parallel()
	db, _ := exported(t)
	base := t.TempDir()
	out := filepath.Join(base, "export")
	_, err := warehouse.Export(ctx, db, exportOptions(out, warehouse.ExportCSV, "users"))
	require.NoError(t, err)
	before, err := os.ReadFile(filepath.Join(out, "users.csv"))
	require.NoError(t, err)

	o := exportOptions(out, warehouse.ExportCSV, "sync_runs", "users")
	o.Overwrite = true
	o.CSV = func(w io.Writer, rows *warehouse.Rows) error {
		if strings.Contains(strings.Join(columnNames(rows), ","), "user_id") {
			return errors.New("disk full")
		}
		return csvWriter(w, rows)
	}
	_, err = warehouse.Export(ctx, db, o)
	assert.EqualError(t, err, "exporting users: disk full")
	after, err := os.ReadFile(filepath.Join(out, "users.csv"))
	require.NoError(t, err)
	assert.Equal(t, before, after, "the previous export is whole")
	assert.NoFileExists(t, filepath.Join(out, "sync_runs.csv"))
	entries, err := os.ReadDir(base)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary folder is left")

	o.Out = filepath.Join(base, "a", "b", "export")
	_, err = warehouse.Export(ctx, db, o)
	require.Error(t, err)
	assert.NoDirExists(t, filepath.Join(base, "a"), "the folders created for a failed export are removed")

	o.CSV = csvWriter
	o.Out = out
	m, err := warehouse.Export(ctx, db, o)
	require.NoError(t, err, "an earlier export is replaced")
	assert.Len(t, m.Tables, 2)
}

func columnNames(rows *warehouse.Rows) []string {
	var names []string
	for _, c := range rows.Columns() {
		names = append(names, c.Name)
	}
	return names
}
