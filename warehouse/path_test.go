package warehouse

import (
	"context"
	"os"
	"path/filepath"
	"slackaudit/warehouse/schema"
	"syscall"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckPath(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.duckdb")
	notes := schema.Declare(schema.Table{Name: "notes", Comment: "A test table.", Columns: []schema.Column{schema.String("note", "A note.")}})
	db, err := Open(context.Background(), real, Options{Tables: []*arrow.Schema{notes}})
	require.NoError(t, err)
	require.NoError(t, db.Close())
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		return p
	}
	empty := write("empty.duckdb", "")
	notDuck := write("notes.db", "SQLite format 3\x00 and then some pages")
	short := write("short", "DUCK")
	fifo := filepath.Join(dir, "pipe.duckdb")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))

	for _, ok := range []string{real, empty, filepath.Join(dir, "new.duckdb"), filepath.Join(dir, "new.db"),
		filepath.Join(dir, "new.ddb"), filepath.Join(dir, "warehouse"), "slackaudit.duckdb", `C:\audit.duckdb`} {
		assert.NoError(t, CheckPath(ok), ok)
	}
	cases := []struct{ path, want string }{
		{"", "is empty"},
		{"  ", "is empty"},
		{":memory:", "in-memory database: nothing would be saved"},
		{":memory:x", "in-memory"},
		{"audit.duckdb?allow_unsigned_extensions=true", "'?', which DuckDB reads as connection options"},
		{"audit.duckdb?access_mode=read_only", "such as audit.duckdb"},
		{"md:my_db", "MotherDuck"},
		{"motherduck:my_db", "MotherDuck"},
		{"s3://bucket/audit.duckdb", "looks like a URL"},
		{"https://example.com/audit.duckdb", "looks like a URL"},
		{"file:audit.duckdb", "looks like a URL"},
		{"foo.parquet", `"foo.parquet" is a Parquet file name`},
		{"foo.parquet", "such as foo.duckdb"},
		{"x.csv", "CSV file name"},
		{"X.CSV", "CSV file name"},
		{"data/x.json", "such as data/x.duckdb"},
		{"x.jsonl", "JSON lines"},
		{"x.tsv", "TSV"},
		{"x.xlsx", "Excel"},
		{"x.sqlite", "SQLite"},
		{"audit.duckdb.wal", "write-ahead log"},
		{dir, "is a folder: pass a file inside it"},
		{notDuck, "exists and is not a DuckDB database; nothing was changed"},
		{short, "is not a DuckDB database"},
		{fifo, "is not a regular file"},
		{filepath.Join(dir, "missing", "audit.duckdb"), "does not exist: create it first"},
	}
	for _, c := range cases {
		err := CheckPath(c.path)
		if assert.Error(t, err, c.path) {
			assert.Contains(t, err.Error(), c.want, c.path)
		}
	}
	b, err := os.ReadFile(notDuck)
	require.NoError(t, err)
	assert.Equal(t, "SQLite format 3\x00 and then some pages", string(b), "CheckPath only reads")
	assert.NoFileExists(t, filepath.Join(dir, "new.duckdb"), "CheckPath creates nothing")
}
