package warehouse_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
)

// snapshot is every file under dir with its size, modification time and
// hash, and every folder.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[p] = "folder"
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[p] = fmt.Sprintf("%d %s %s", info.Size(), info.ModTime().Format("15:04:05.000000000"), hex.EncodeToString(sum[:8]))
		return nil
	}))
	return out
}

// escapeFixture is a folder holding a synced warehouse, another DuckDB
// database with a table, a private file and a CSV.
type escapeFixture struct {
	dir, db, other, secret, csv string
}

func newEscapeFixture(t *testing.T) escapeFixture {
	t.Helper()
	dir := t.TempDir()
	f := escapeFixture{dir: dir, db: filepath.Join(dir, "w.duckdb"), other: filepath.Join(dir, "other.duckdb"),
		secret: filepath.Join(dir, "secret.txt"), csv: filepath.Join(dir, "people.csv")}
	db, err := warehouse.Open(ctx, f.db, writable())
	require.NoError(t, err)
	require.NoError(t, syncUsers(t, db, "U1", "U2").Commit(ctx, 1))
	require.NoError(t, db.Close())
	plain, err := sql.Open("duckdb", f.other)
	require.NoError(t, err)
	_, err = plain.Exec("CREATE TABLE keep AS SELECT 42 AS answer")
	require.NoError(t, err)
	require.NoError(t, plain.Close())
	require.NoError(t, os.WriteFile(f.secret, []byte("xoxp-not-for-duckdb\n"), 0o600))
	require.NoError(t, os.WriteFile(f.csv, []byte("email,team\na@example.com,x\n"), 0o600))
	return f
}

// escapes are statements a locked-down session must refuse, with the kind
// of refusal; kind 0 means any error (read-only, or DuckDB's own).
func escapes(f escapeFixture) []struct {
	sql  string
	kind warehouse.Refusal
} {
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	return []struct {
		sql  string
		kind warehouse.Refusal
	}{
		{"COPY users TO " + q(filepath.Join(f.dir, "out.csv")), warehouse.RefusedFiles},
		{"COPY (SELECT 'x') TO " + q(f.db) + " (USE_TMP_FILE false, HEADER false)", warehouse.RefusedFiles},
		{"COPY (SELECT 'x') TO " + q(f.db+".wal") + " (USE_TMP_FILE false)", warehouse.RefusedFiles},
		{"EXPORT DATABASE " + q(filepath.Join(f.dir, "export")), warehouse.RefusedFiles},
		{"EXPORT DATABASE " + q(f.db+".tmp"), warehouse.RefusedFiles},
		{"ATTACH " + q(f.other) + " AS o (READ_WRITE)", warehouse.RefusedFiles},
		{"ATTACH " + q(f.other) + " AS o", warehouse.RefusedFiles},
		{"ATTACH ':memory:' AS m", warehouse.RefusedFiles},
		{"SELECT * FROM read_csv(" + q(f.csv) + ")", warehouse.RefusedFiles},
		{"SELECT * FROM read_csv('/etc/passwd')", warehouse.RefusedFiles},
		{"SELECT * FROM read_text(" + q(f.secret) + ")", warehouse.RefusedFiles},
		{"SELECT * FROM read_blob(" + q(f.db) + ")", warehouse.RefusedFiles},
		{"SELECT * FROM glob(" + q(filepath.Join(f.dir, "*")) + ")", warehouse.RefusedFiles},
		{"FROM " + q(f.csv), warehouse.RefusedFiles},
		{"INSTALL httpfs", warehouse.RefusedExtensions},
		{"LOAD httpfs", warehouse.RefusedExtensions},
		{"LOAD parquet", warehouse.RefusedExtensions},
		{"LOAD " + q(filepath.Join(f.dir, "evil.duckdb_extension")), warehouse.RefusedExtensions},
		{"SET threads = 1", warehouse.RefusedSettings},
		{"SET GLOBAL enable_external_access = true", warehouse.RefusedSettings},
		{"RESET lock_configuration", warehouse.RefusedSettings},
		{"SET memory_limit = '1GB'", warehouse.RefusedSettings},
		{"SET log_query_path = " + q(filepath.Join(f.dir, "queries.log")), warehouse.RefusedSettings},
		{"PRAGMA enable_profiling", warehouse.RefusedSettings},
		{"PRAGMA profiling_output = " + q(filepath.Join(f.dir, "profile.json")), warehouse.RefusedSettings},
		{"PRAGMA threads = 1", warehouse.RefusedSettings},
		{"CALL enable_logging(storage = 'file', storage_path = " + q(filepath.Join(f.dir, "logs")) + ")", warehouse.RefusedSettings},
		{"CALL enable_logging()", warehouse.RefusedSettings},
		{"SELECT * FROM enable_logging(storage = 'stdout')", warehouse.RefusedSettings},
		{"SELECT (SELECT count(*) FROM enable_logging())", warehouse.RefusedSettings},
		{"SELECT * FROM query('SELECT * FROM enable_logging()')", warehouse.RefusedSettings},
		{"CALL enable_profiling()", warehouse.RefusedSettings},
		{"CALL disable_peg_parser()", warehouse.RefusedSettings},
		{"EXPLAIN ANALYZE SELECT * FROM enable_logging()", warehouse.RefusedSettings},
		{"EXPLAIN ANALYZE COPY users TO " + q(filepath.Join(f.dir, "out.csv")), warehouse.RefusedFiles},
		{"/* a comment */ EXPLAIN (ANALYZE, FORMAT json) COPY users TO " + q(filepath.Join(f.dir, "out.csv")), warehouse.RefusedFiles},
		{"PREPARE p AS SELECT * FROM enable_logging()", warehouse.RefusedPrepared},
		{"EXECUTE p", 0}, // p was never prepared
		{"CREATE PERSISTENT SECRET s (TYPE http, BEARER_TOKEN 'x')", 0},
		{"DELETE FROM users", 0},
		{"DROP TABLE users", 0},
	}
}

// assertUnlocked checks that the instance is still locked down as it was.
func assertStillLocked(t *testing.T, db *warehouse.DB) {
	t.Helper()
	var locked, external, logging string
	require.NoError(t, db.SQL().QueryRowContext(ctx, `SELECT current_setting('lock_configuration')::VARCHAR,
		current_setting('enable_external_access')::VARCHAR, current_setting('enable_logging')::VARCHAR`).Scan(&locked, &external, &logging))
	assert.Equal(t, []string{"true", "false", "0"}, []string{locked, external, logging})
}

func TestReadOnlySessionRefusesEveryEscape(t *testing.T) {
	f := newEscapeFixture(t)
	before := snapshot(t, f.dir)
	db, err := warehouse.Open(ctx, f.db, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	sess, err := db.Session()
	require.NoError(t, err)
	defer sess.Close()
	for _, e := range escapes(f) {
		rows, err := sess.Stream(ctx, e.sql)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		require.Error(t, err, e.sql)
		if e.kind != 0 {
			r, ok := warehouse.AsRefused(err)
			if assert.True(t, ok, "%s: %v", e.sql, err) {
				assert.Equal(t, e.kind, r.Kind, "%s: %v", e.sql, err)
			}
		}
	}
	_, err = sess.Stream(ctx, "SELECT 1; COPY users TO '"+filepath.Join(f.dir, "out.csv")+"'")
	assert.ErrorIs(t, err, warehouse.ErrMultipleStatements)
	assertStillLocked(t, db)
	require.NoError(t, db.Close())
	assert.Equal(t, before, snapshot(t, f.dir), "nothing on disk changed")
}

func TestReadOnlySessionStillReads(t *testing.T) {
	f := newEscapeFixture(t)
	before := snapshot(t, f.dir)
	db, err := warehouse.Open(ctx, f.db, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	sess, err := db.Session()
	require.NoError(t, err)
	defer sess.Close()
	for _, q := range []string{
		"SELECT count(*) FROM users", "FROM users LIMIT 1", "TABLE sync_runs", "VALUES (1), (2)",
		"WITH x AS (SELECT 1 AS a) SELECT * FROM x", "SHOW TABLES", "DESCRIBE users", "SUMMARIZE users",
		"PRAGMA table_info('users')", "PRAGMA version", "PRAGMA database_size", "CALL pragma_version()",
		"EXPLAIN SELECT count(*) FROM users", "EXPLAIN ANALYZE SELECT count(*) FROM users",
		"PIVOT users ON deleted IN (true, false) USING count(*)", "SELECT current_setting('TimeZone')",
		"CREATE TEMP TABLE notes AS SELECT user_id FROM users", "INSERT INTO notes VALUES ('U3')",
		"UPDATE notes SET user_id = 'U4' WHERE user_id = 'U3'", "DELETE FROM notes WHERE user_id = 'U4'",
		"CREATE TEMP VIEW v AS SELECT * FROM notes", "CREATE TEMP MACRO twice(x) AS x * 2", "SELECT twice(21)",
		"SET VARIABLE n = 2", "SELECT getvariable('n')", "SET search_path = 'main,temp'", "RESET search_path",
		"BEGIN", "SELECT 1", "ROLLBACK", "DROP VIEW v", "CHECKPOINT",
	} {
		rows, err := sess.Stream(ctx, q)
		require.NoError(t, err, q)
		for rows.Next() {
		}
		require.NoError(t, rows.Err(), q)
		rows.Close()
	}
	rows, err := sess.Stream(ctx, "SELECT current_setting('TimeZone')")
	require.NoError(t, err)
	assert.Equal(t, [][]any{{"UTC"}}, collect(t, rows))
	require.NoError(t, db.Close())
	assert.Equal(t, before, snapshot(t, f.dir), "reading changed nothing on disk")
}

func TestWriteSessionChangesOnlyTheWarehouse(t *testing.T) {
	f := newEscapeFixture(t)
	before := snapshot(t, f.dir)
	db, err := warehouse.Open(ctx, f.db, writable())
	require.NoError(t, err)
	defer db.Close()
	sess, err := db.Session()
	require.NoError(t, err)
	defer sess.Close()
	for _, e := range escapes(f) {
		if strings.HasPrefix(e.sql, "DELETE") || strings.HasPrefix(e.sql, "DROP") || strings.Contains(e.sql, "read_blob") {
			continue // a writable session may change (and read) the warehouse
		}
		rows, err := sess.Stream(ctx, e.sql)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		require.Error(t, err, e.sql)
	}
	rows, err := sess.Stream(ctx, "CREATE TABLE my_notes AS SELECT user_id, 'to review' AS note FROM users")
	require.NoError(t, err)
	rows.Close()
	assertStillLocked(t, db)
	require.NoError(t, sess.Close())
	require.NoError(t, db.Close())
	after := snapshot(t, f.dir)
	assert.NotEqual(t, before[f.db], after[f.db], "the warehouse changed")
	delete(before, f.db)
	delete(after, f.db)
	assert.Equal(t, before, after, "nothing else on disk changed")
}

func TestAllowFilesAllowsThatFolderOnly(t *testing.T) {
	f := newEscapeFixture(t)
	allowed := filepath.Join(f.dir, "exchange")
	require.NoError(t, os.Mkdir(allowed, 0o700))
	in := filepath.Join(allowed, "in.csv")
	require.NoError(t, os.WriteFile(in, []byte("user_id,note\nU1,keep\n"), 0o600))
	require.NoError(t, os.Link(f.db, filepath.Join(allowed, "alias.duckdb")))
	before := snapshot(t, f.dir)
	db, err := warehouse.Open(ctx, f.db, warehouse.Options{ReadOnly: true, AllowFiles: []string{allowed}})
	require.NoError(t, err)
	defer db.Close()
	sess, err := db.Session()
	require.NoError(t, err)
	defer sess.Close()
	run := func(q string) error {
		rows, err := sess.Stream(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
		}
		return rows.Err()
	}
	q := func(s string) string { return "'" + s + "'" }
	for _, ok := range []string{
		"SELECT * FROM read_csv(" + q(in) + ")",
		"SELECT u.user_id FROM users u JOIN " + q(in) + " n USING (user_id)",
		"COPY (SELECT user_id FROM users) TO " + q(filepath.Join(allowed, "out.csv")),
		"COPY (SELECT user_id FROM users) TO " + q(filepath.Join(allowed, "out.parquet")) + " (FORMAT parquet)",
		"SELECT count(*) FROM glob(" + q(filepath.Join(allowed, "*")) + ")",
		"EXPORT DATABASE " + q(filepath.Join(allowed, "export")),
		"ATTACH " + q(filepath.Join(allowed, "alias.duckdb")) + " AS alias_ro (READ_ONLY)",
	} {
		err := run(ok)
		if strings.Contains(ok, "alias.duckdb") {
			// A second name for the warehouse itself is one of its own files.
			r, refused := warehouse.AsRefused(err)
			require.True(t, refused, "%s: %v", ok, err)
			assert.Equal(t, warehouse.RefusedFiles, r.Kind)
			continue
		}
		require.NoError(t, err, ok)
	}
	assert.FileExists(t, filepath.Join(allowed, "out.csv"))
	assert.FileExists(t, filepath.Join(allowed, "export", "schema.sql"))
	for _, refused := range []string{
		"SELECT * FROM read_text(" + q(f.secret) + ")",
		"SELECT * FROM read_csv(" + q(filepath.Join(allowed, "..", "people.csv")) + ")",
		"COPY users TO " + q(filepath.Join(f.dir, "out.csv")),
		"COPY (SELECT 'x') TO " + q(f.db) + " (USE_TMP_FILE false, HEADER false)",
		"COPY (SELECT 'x') TO " + q(filepath.Join(allowed, "..", "w.duckdb.wal")) + " (USE_TMP_FILE false)",
		"COPY (SELECT 'x') TO " + q(filepath.Join(allowed, "alias.duckdb")) + " (USE_TMP_FILE false)",
		"COPY (SELECT 'x') TO E'" + f.db + "'",
		"EXPORT DATABASE " + q(f.db+".tmp"),
		"ATTACH " + q(f.other) + " AS o",
		"CALL enable_logging()",
		"SET threads = 1",
	} {
		err := run(refused)
		_, ok := warehouse.AsRefused(err)
		assert.True(t, ok, "%s: %v", refused, err)
	}
	assertStillLocked(t, db)
	require.NoError(t, sess.Close())
	require.NoError(t, db.Close())
	after := snapshot(t, f.dir)
	for p := range after {
		if strings.HasPrefix(p, filepath.Join(allowed, "out")) || strings.HasPrefix(p, filepath.Join(allowed, "export")) {
			delete(after, p)
		}
	}
	assert.Equal(t, before, after, "nothing outside what the statements wrote in the allowed folder changed")
}

func TestOpenRefusesOptionsInThePath(t *testing.T) {
	_, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb?enable_external_access=true"), writable())
	assert.ErrorContains(t, err, "which DuckDB reads as connection options")
}

func TestEveryHandleIsLockedDown(t *testing.T) {
	db, path := openTemp(t)
	secret := filepath.Join(filepath.Dir(path), "secret.txt")
	require.NoError(t, os.WriteFile(secret, []byte("private\n"), 0o600))
	// The database/sql handle, a session, and a sync's connection.
	assertStillLocked(t, db)
	_, err := db.SQL().ExecContext(ctx, "SET threads = 1")
	assert.ErrorContains(t, err, "the configuration has been locked")
	_, err = db.SQL().ExecContext(ctx, "COPY users TO '"+filepath.Join(filepath.Dir(path), "x.csv")+"'")
	assert.ErrorContains(t, err, "file system operations are disabled")
	run, err := db.BeginRun(ctx, warehouse.RunInfo{})
	require.NoError(t, err)
	err = run.Scan(ctx, "SELECT * FROM read_text('"+secret+"')", func(arrow.RecordBatch) error { return nil })
	_, refused := warehouse.AsRefused(err)
	assert.True(t, refused, "a sync's own connection reads no file either: %v", err)
	require.ErrorContains(t, run.Fail(ctx, errors.New("test over")), "test over")
	assert.NoFileExists(t, filepath.Join(filepath.Dir(path), "x.csv"))
}
