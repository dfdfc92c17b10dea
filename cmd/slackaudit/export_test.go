package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// syncedDB is a warehouse holding one sync of a small Business+ org (a
// copy of the template), and a command line with the org's token.
func syncedDB(t *testing.T) (string, *cli) {
	t.Helper()
	f := workspaceFixture(23, 150)
	_, tok := f.serve(t)
	return syncedCopy(t, f), newCLI(t, map[string]string{"SLACK_TOKEN": tok})
}

// fileReader is an empty warehouse that reads the test's files with
// DuckDB's own readers: exported files are read back through it.
func fileReader(t *testing.T) *snapshot {
	t.Helper()
	db, err := warehouse.Open(context.Background(), filepath.Join(t.TempDir(), "reader.duckdb"), warehouse.Options{Tables: pipeline.Tables(), AllowFiles: []string{filepath.Dir(t.TempDir())}})
	require.NoError(t, err)
	s := &snapshot{t: t, db: db}
	t.Cleanup(func() {
		if !s.closed {
			db.Close()
		}
	})
	return s
}

func TestExportParquetReadsBackWithEqualCounts(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	out := filepath.Join(t.TempDir(), "export")
	r := c.run("export", "--db", db, "--out", out)
	require.Equal(t, exitOK, r.code, r.stderr)
	w, files := readSnapshot(t, db), fileReader(t)
	for _, table := range contract().TableNames() {
		file := filepath.Join(out, table+".parquet")
		require.FileExists(t, file)
		assert.Equal(t, w.Int("SELECT count(*) FROM "+table), files.Int("SELECT count(*) FROM read_parquet('"+file+"')"), table)
	}
	assert.Equal(t, "zstd", strings.ToLower(files.String("SELECT any_value(compression) FROM parquet_metadata('"+filepath.Join(out, "users.parquet")+"')")))
	manifest, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	require.NoError(t, err)
	assert.Contains(t, string(manifest), `"run_id": 1`)
	entries, _ := os.ReadDir(filepath.Dir(out))
	assert.Len(t, entries, 1, "no temporary folder is left beside the export")
}

func TestExportCSVNeutralisesFormulasAndReadsBack(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	w, err := warehouse.Open(context.Background(), db, warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	_, err = w.SQL().Exec(`UPDATE users SET real_name = '=HYPERLINK("http://evil.example","x")', title = '+1 555', display_name = '-42'
		WHERE user_id = (SELECT min(user_id) FROM users WHERE NOT is_bot)`)
	require.NoError(t, err)
	require.NoError(t, w.Close())

	out := filepath.Join(t.TempDir(), "csv")
	r := c.run("export", "--db", db, "--out", out, "--format", "csv", "--tables", "users,licenses,license_summary")
	require.Equal(t, exitOK, r.code, r.stderr)
	body, err := os.ReadFile(filepath.Join(out, "users.csv"))
	require.NoError(t, err)
	assert.Contains(t, string(body), `"'=HYPERLINK(""http://evil.example"",""x"")"`)
	assert.Contains(t, string(body), "'+1 555")
	assert.Contains(t, string(body), ",-42,", "a plain negative number is left alone")
	assert.NotContains(t, string(body), ",=HYPERLINK")
	snap, files := readSnapshot(t, db), fileReader(t)
	for _, table := range []string{"users", "licenses", "license_summary"} {
		assert.Equal(t, snap.Int("SELECT count(*) FROM "+table),
			files.Int("SELECT count(*) FROM read_csv('"+filepath.Join(out, table+".csv")+"', header = true)"), table)
	}
}

func TestExportPartitionedByWorkspace(t *testing.T) {
	t.Parallel()
	fx := gridFixture(120, "--since", "7d")
	srv, tok := fx.serve(t)
	db := syncedCopy(t, fx)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	files := fileReader(t)
	for _, format := range []string{"parquet", "csv", "json"} {
		out := filepath.Join(t.TempDir(), format)
		r := c.run("export", "--db", db, "--out", out, "--format", format, "--partition-by", "team_id", "--tables", "users,licenses")
		require.Equal(t, exitOK, r.code, r.stderr)
		for _, team := range srv.Org().Teams {
			assert.DirExists(t, filepath.Join(out, "users", "team_id="+team.ID), format)
		}
		assert.FileExists(t, filepath.Join(out, "licenses."+format), "licenses has no team_id: written whole")
		reader := map[string]string{"parquet": "read_parquet", "csv": "read_csv", "json": "read_json"}[format]
		n := files.Int("SELECT count(*) FROM " + reader + "('" + filepath.Join(out, "users", "*", "*."+format) + "', hive_partitioning = true)")
		assert.Equal(t, queryInt(t, db, "SELECT count(*) FROM users"), n, format)
	}
}

func TestExportRefusesToClobberAndStaysAllOrNothing(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	out := filepath.Join(t.TempDir(), "out")
	require.NoError(t, os.MkdirAll(out, 0o755))
	keep := filepath.Join(out, "keep.txt")
	require.NoError(t, os.WriteFile(keep, []byte("mine"), 0o644))

	r := c.run("export", "--db", db, "--out", out)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "not empty: pass --overwrite")
	r = c.run("export", "--db", db, "--out", out, "--overwrite")
	assert.Equal(t, exitUsage, r.code, "a folder no export wrote is never replaced")
	assert.FileExists(t, keep, "nothing touched")

	r = c.run("export", "--db", db, "--out", out, "--tables", "users,nope")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "license_summary", "the error lists the valid tables")

	require.NoError(t, os.Remove(keep))
	r = c.run("export", "--db", db, "--out", out, "--tables", "users")
	require.Equal(t, exitOK, r.code, "an empty folder is written: %s", r.stderr)
	r = c.run("export", "--db", db, "--out", out, "--overwrite", "--tables", "licenses")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.NoFileExists(t, filepath.Join(out, "users.parquet"), "the old export was replaced")
	assert.FileExists(t, filepath.Join(out, "licenses.parquet"))

	r = c.run("export", "--db", db, "--out", out, "--overwrite", "--format", "xml")
	assert.Equal(t, exitUsage, r.code)
	r = c.run("export", "--db", db)
	assert.Equal(t, exitUsage, r.code)
	assert.FileExists(t, filepath.Join(out, "licenses.parquet"), "a failed run leaves the previous export")

	empty := tempDB(t)
	w, err := warehouse.Open(context.Background(), empty, warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	require.NoError(t, w.Close())
	r = c.run("export", "--db", empty, "--out", filepath.Join(t.TempDir(), "x"))
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "run slackaudit sync first")
}
