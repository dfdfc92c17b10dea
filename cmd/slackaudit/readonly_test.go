package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// diskState is every file under a folder with its size, modification time
// and hash, and every folder.
func diskState(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[p] = "folder"
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[p] = fmt.Sprintf("%d %d %s", info.Size(), info.ModTime().UnixNano(), hex.EncodeToString(sum[:8]))
		return nil
	}))
	return out
}

// escapeFolder holds a synced warehouse, another DuckDB database, a private
// file and a CSV: what a statement must not write, attach or read.
type escapeFolder struct {
	dir, db, other, secret, csv string
	srv                         *slacktest.Server
	c                           *cli
}

func newEscapeFolder(t *testing.T) escapeFolder {
	t.Helper()
	fx := actFixture(slacktest.Config{Seed: 41, Users: 40})
	srv, tok := fx.serve(t)
	dir := t.TempDir()
	f := escapeFolder{dir: dir, db: filepath.Join(dir, "audit.duckdb"), other: filepath.Join(dir, "other.duckdb"),
		secret: filepath.Join(dir, "secret.txt"), csv: filepath.Join(dir, "people.csv"), srv: srv,
		c: newCLI(t, map[string]string{"SLACK_TOKEN": tok})}
	syncedInto(t, f.db, fx)
	other, err := warehouse.Open(context.Background(), f.other, warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	_, err = other.SQL().Exec("CREATE TABLE keep AS SELECT 42 AS answer")
	require.NoError(t, err)
	require.NoError(t, other.Close())
	require.NoError(t, os.WriteFile(f.secret, []byte("not for SQL\n"), 0o600))
	require.NoError(t, os.WriteFile(f.csv, []byte("email,team\na@example.com,x\n"), 0o600))
	return f
}

// refusal is what an escape attempt is refused as.
type refusal int

const (
	refusedFiles refusal = iota
	refusedSettings
	refusedExtensions
	refusedPrepared
	refusedWrite
	refusedSeveral
)

type escape struct {
	name string
	sql  string
	as   refusal
}

func escapeAttempts(f escapeFolder) []escape {
	q := func(s string) string { return "'" + s + "'" }
	out := filepath.Join(f.dir, "out.csv")
	return []escape{
		{"COPY TO a file", "COPY users TO " + q(out), refusedFiles},
		{"COPY TO the warehouse", "COPY (SELECT 'x') TO " + q(f.db) + " (USE_TMP_FILE false, HEADER false)", refusedFiles},
		{"EXPORT DATABASE", "EXPORT DATABASE " + q(filepath.Join(f.dir, "export")), refusedFiles},
		{"ATTACH", "ATTACH " + q(f.other) + " AS o", refusedFiles},
		{"ATTACH READ_WRITE", "ATTACH " + q(f.other) + " AS o (READ_WRITE)", refusedFiles},
		{"read_csv", "SELECT * FROM read_csv(" + q(f.csv) + ")", refusedFiles},
		{"read_text", "SELECT * FROM read_text(" + q(f.secret) + ")", refusedFiles},
		{"glob", "SELECT * FROM glob(" + q(filepath.Join(f.dir, "*")) + ")", refusedFiles},
		{"INSTALL", "INSTALL httpfs", refusedExtensions},
		{"LOAD", "LOAD httpfs", refusedExtensions},
		{"SET", "SET threads = 1", refusedSettings},
		{"SET external access", "SET GLOBAL enable_external_access = true", refusedSettings},
		{"PRAGMA", "PRAGMA enable_profiling", refusedSettings},
		{"CALL", "CALL enable_logging(storage = 'file', storage_path = " + q(filepath.Join(f.dir, "logs")) + ")", refusedSettings},
		{"PREPARE", "PREPARE p AS SELECT 1", refusedPrepared},
		{"DELETE", "DELETE FROM users", refusedWrite},
		{"DROP", "DROP TABLE users", refusedWrite},
		{"several statements", "SELECT 1; COPY users TO " + q(out), refusedSeveral},
	}
}

// hints are what each entry point says after a refusal, by kind.
var hints = map[string]map[refusal]string{
	"query": {
		refusedFiles:      "add --allow-files DIR to read and write the files in DIR",
		refusedSettings:   "slackaudit query runs read-only, with DuckDB's settings locked",
		refusedExtensions: "slackaudit query runs read-only, with DuckDB's settings locked and no extensions to add",
		refusedPrepared:   "run the statement itself",
		refusedWrite:      "slackaudit query opens the warehouse read-only",
		refusedSeveral:    "slackaudit query runs one statement",
	},
	"shell": {
		refusedFiles:      "start the shell with --allow-files DIR to read and write the files in DIR",
		refusedSettings:   "SET search_path, SET VARIABLE and the dot-commands",
		refusedExtensions: "installing and loading DuckDB extensions is off",
		refusedPrepared:   ".run NAME k=v binds a named query's parameters",
		refusedWrite:      "restart the shell with --write",
		refusedSeveral:    "start the shell with --allow-files DIR",
	},
	"act": {
		refusedFiles:      "--from-sql runs read-only against the warehouse",
		refusedSettings:   "--from-sql runs read-only against the warehouse",
		refusedExtensions: "--from-sql runs read-only against the warehouse",
		refusedPrepared:   "--from-sql runs read-only against the warehouse",
		refusedWrite:      "--from-sql runs read-only against the warehouse",
		refusedSeveral:    "--from-sql takes one SELECT statement",
	},
}

// assertHint checks that stderr says hint, whichever letter starts its
// sentence.
func assertHint(t *testing.T, stderr, hint, entry string) {
	t.Helper()
	assert.Contains(t, strings.ToLower(stderr), strings.ToLower(hint), "%s: %s", entry, stderr)
}

// assertOtherIntact checks the other database still holds its table.
func assertOtherIntact(t *testing.T, f escapeFolder) {
	t.Helper()
	other, err := warehouse.Open(context.Background(), f.other, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer other.Close()
	var n int
	require.NoError(t, other.SQL().QueryRow("SELECT answer FROM keep").Scan(&n))
	assert.Equal(t, 42, n)
}

func TestReadOnlyEntryPointsRefuseEveryEscape(t *testing.T) {
	t.Parallel()
	f := newEscapeFolder(t)
	before := diskState(t, f.dir)
	for _, e := range escapeAttempts(f) {
		t.Run(e.name, func(t *testing.T) {
			r := f.c.run("query", "--db", f.db, e.sql)
			assert.Equal(t, exitFailure, r.code, "query: %s", r.stderr)
			assertHint(t, r.stderr, hints["query"][e.as], "query")

			script := e.sql + ";\nSELECT 'after: ' || current_setting('enable_logging')::VARCHAR || ' ' || current_setting('enable_external_access')::VARCHAR AS state;\n"
			r = f.c.runStdin(script, "shell", "--db", f.db, "--bail=false")
			assert.Equal(t, exitFailure, r.code, "shell: %s", r.stderr)
			assertHint(t, r.stderr, hints["shell"][e.as], "shell")
			assert.Contains(t, r.stdout, "after: 0 false", "shell: the session's settings are unchanged")

			r = f.c.act(f.srv, "act", "deactivate", "--db", f.db, "--from-sql", e.sql)
			assert.Equal(t, exitFailure, r.code, "act: %s", r.stderr)
			assertHint(t, r.stderr, hints["act"][e.as], "act")

			assert.Equal(t, before, diskState(t, f.dir), "nothing on disk changed")
		})
	}
	assertOtherIntact(t, f)
}

func TestShellWriteChangesTheWarehouseAndNothingElse(t *testing.T) {
	t.Parallel()
	f := newEscapeFolder(t)
	users := queryInt(t, f.db, "SELECT count(*) FROM users")
	before := diskState(t, f.dir)
	for _, e := range escapeAttempts(f) {
		if e.as == refusedWrite {
			continue
		}
		t.Run(e.name, func(t *testing.T) {
			r := f.c.runStdin(e.sql+";\n", "shell", "--db", f.db, "--write")
			assert.Equal(t, exitFailure, r.code, r.stderr)
			assertHint(t, r.stderr, hints["shell"][e.as], "shell --write")
		})
	}
	after := diskState(t, f.dir)
	delete(before, f.db)
	delete(after, f.db)
	assert.Equal(t, before, after, "nothing but the warehouse changed")
	assertOtherIntact(t, f)
	assert.Equal(t, users, queryInt(t, f.db, "SELECT count(*) FROM users"), "the refused statements changed no data")

	r := f.c.runStdin("CREATE TABLE review AS SELECT user_id FROM users LIMIT 3;\n", "shell", "--db", f.db, "--write")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 3, queryInt(t, f.db, "SELECT count(*) FROM review"), "--write changes the warehouse")
}

func TestAllowFilesOpensOneFolder(t *testing.T) {
	t.Parallel()
	f := newEscapeFolder(t)
	exchange := filepath.Join(f.dir, "exchange")
	require.NoError(t, os.Mkdir(exchange, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(exchange, "staff.csv"), []byte("email\nnobody@example.com\n"), 0o600))
	before := diskState(t, f.dir)

	r := f.c.run("query", "--db", f.db, "--allow-files", exchange, "--format", "csv",
		"SELECT count(*) AS n FROM users u JOIN '"+filepath.Join(exchange, "staff.csv")+"' s USING (email)")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "n\n0\n", r.stdout)
	r = f.c.run("query", "--db", f.db, "--allow-files", exchange, "COPY (SELECT user_id FROM users) TO '"+filepath.Join(exchange, "ids.csv")+"'")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.FileExists(t, filepath.Join(exchange, "ids.csv"))

	r = f.c.run("query", "--db", f.db, "--allow-files", exchange, "SELECT * FROM read_text('"+f.secret+"')")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "slackaudit query reads and writes files only in "+exchange)
	r = f.c.run("query", "--db", f.db, "--allow-files", exchange, "COPY (SELECT 'x') TO '"+f.db+"' (USE_TMP_FILE false)")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "refused writing or attaching the warehouse's own files")

	r = f.c.runStdin("COPY (SELECT 1 AS one) TO '"+filepath.Join(exchange, "one.csv")+"';\nSELECT * FROM read_text('"+f.csv+"');\n",
		"shell", "--db", f.db, "--allow-files", exchange)
	assert.Equal(t, exitFailure, r.code)
	assert.FileExists(t, filepath.Join(exchange, "one.csv"))
	assert.Contains(t, r.stderr, "Files are allowed only in "+exchange)

	after := diskState(t, f.dir)
	for _, name := range []string{"ids.csv", "one.csv"} {
		delete(after, filepath.Join(exchange, name))
	}
	assert.Equal(t, before, after, "nothing outside the allowed folder changed")

	r = f.c.run("query", "--db", f.db, "--allow-files", filepath.Join(f.dir, "missing"), "SELECT 1")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--allow-files "+filepath.Join(f.dir, "missing")+": no such folder")
	r = f.c.run("shell", "--db", f.db, "--allow-files", f.csv)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "not a folder")
}

func TestShellReadAndOpenKeepTheLockDown(t *testing.T) {
	t.Parallel()
	f := newEscapeFolder(t)
	script := filepath.Join(f.dir, "script.sql")
	require.NoError(t, os.WriteFile(script, []byte("SELECT 'from the script' AS s;\n"), 0o600))
	outFile := filepath.Join(f.dir, "result.txt")
	before := diskState(t, f.dir)
	r := f.c.runStdin(".read "+script+"\n.output "+outFile+"\nSELECT 'into the file' AS s;\n.output\n"+
		".open "+f.other+"\nSELECT answer FROM keep;\nCOPY keep TO '"+filepath.Join(f.dir, "keep.csv")+"';\nFROM read_text('"+f.secret+"');\nSELECT 'still locked' AS s;\n",
		"shell", "--db", f.db, "--bail=false")
	assert.Equal(t, exitFailure, r.code, r.stderr)
	assert.Contains(t, r.stdout, "from the script", ".read reads through the shell")
	assert.Contains(t, r.stdout, "42", ".open opened the other database")
	assert.Contains(t, r.stdout, "still locked")
	assert.Contains(t, r.stderr, "Reading and writing files is off in slackaudit's shell; start the shell with --allow-files DIR",
		"the reopened session is locked too, and DuckDB's refusal gets the hint")
	assert.Contains(t, r.stderr, ".output "+outFile+": this read-only shell writes no files; start it with --allow-files DIR",
		".output needs --allow-files as statements do")
	assert.NoFileExists(t, outFile)
	assert.Equal(t, before, diskState(t, f.dir), "nothing on disk changed")
	assertOtherIntact(t, f)
	assert.NotContains(t, strings.ToLower(r.stdout), "xoxp")
}
