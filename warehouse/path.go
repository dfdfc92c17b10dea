package warehouse

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// foreignExtensions are file name endings of formats that are not a DuckDB
// database. DuckDB itself accepts any name, so --db foo.parquet would create
// a DuckDB file called foo.parquet and an export reader would fail on it.
// .duckdb, .ddb and .db (DuckDB's documented endings) are accepted, as is a
// name without an ending; an existing file of any name must be a DuckDB
// file (see CheckPath).
var foreignExtensions = map[string]string{
	".parquet": "Parquet", ".csv": "CSV", ".tsv": "TSV", ".json": "JSON", ".jsonl": "JSON lines", ".ndjson": "JSON lines",
	".xlsx": "Excel", ".xls": "Excel", ".txt": "text", ".sql": "SQL script", ".sqlite": "SQLite", ".sqlite3": "SQLite",
	".db3": "SQLite", ".arrow": "Arrow", ".feather": "Arrow", ".avro": "Avro", ".orc": "ORC", ".wal": "DuckDB write-ahead log",
	".gz": "compressed", ".zst": "compressed", ".zip": "zip",
}

// urlScheme matches a leading "scheme:" of two or more letters (s3:, md:,
// http:, file:); one letter would be a Windows drive.
var urlScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]+:`)

// duckdbMagic is what a DuckDB database file holds at byte 8.
const duckdbMagic = "DUCK"

// CheckPath reports whether path can name a warehouse file, without opening
// or creating anything. It refuses what DuckDB would accept but slackaudit
// cannot keep a warehouse in: an empty path, ":memory:" (nothing is saved),
// a "?" (DuckDB reads options from it), MotherDuck and other URLs, a file
// name of another format (.parquet, .csv, .json, .sqlite, …), a directory,
// anything that is not a regular file, and an existing file that is not a
// DuckDB database. The error says what to pass instead; callers name the
// flag.
func CheckPath(path string) error {
	if strings.TrimSpace(path) == "" {
		return fmt.Errorf("the warehouse path is empty: pass a file such as %s", DefaultPath)
	}
	if err := checkPathName(path); err != nil {
		return err
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		dir := filepath.Dir(path)
		if dst, derr := os.Stat(dir); derr != nil || !dst.IsDir() {
			return fmt.Errorf("%q: the folder %s does not exist: create it first, or pass a file in an existing folder", path, dir)
		}
		return nil
	case err != nil:
		return fmt.Errorf("%q: %w", path, err)
	case st.IsDir():
		return fmt.Errorf("%q is a folder: pass a file inside it, such as %s", path, filepath.Join(path, DefaultPath))
	case !st.Mode().IsRegular():
		return fmt.Errorf("%q is not a regular file (%s): pass a DuckDB file such as %s", path, st.Mode().Type(), DefaultPath)
	}
	return checkMagic(path, st.Size())
}

// checkPathName checks what the name alone says.
func checkPathName(path string) error {
	lower := strings.ToLower(path)
	suggest := suggestion(path)
	switch {
	case strings.HasPrefix(lower, ":memory:"):
		return fmt.Errorf("%q is DuckDB's in-memory database: nothing would be saved; pass a file such as %s", path, DefaultPath)
	case strings.Contains(path, "?"):
		return fmt.Errorf("%q holds a '?', which DuckDB reads as connection options: pass a plain file path such as %s", path, suggest)
	case strings.HasPrefix(lower, "md:") || strings.HasPrefix(lower, "motherduck:"):
		return fmt.Errorf("%q is a MotherDuck database: slackaudit keeps its warehouse in a local file; pass one such as %s", path, DefaultPath)
	case urlScheme.MatchString(path):
		return fmt.Errorf("%q looks like a URL: the warehouse is a local file; pass one such as %s (write ./%s for a file whose name has a colon)", path, DefaultPath, path)
	}
	if kind, ok := foreignExtensions[strings.ToLower(filepath.Ext(path))]; ok {
		return fmt.Errorf("%q is a %s file name, but the warehouse is a DuckDB database: pass a file ending in .duckdb, such as %s (use slackaudit export for %s files)", path, kind, suggest, kind)
	}
	return nil
}

// suggestion is path with a .duckdb ending instead of its own.
func suggestion(path string) string {
	base := filepath.Base(path)
	if i := strings.IndexByte(base, '?'); i >= 0 {
		base = base[:i]
	}
	base = strings.TrimSuffix(base, filepath.Ext(base))
	if base == "" || base == "." || base == string(filepath.Separator) {
		return DefaultPath
	}
	return filepath.Join(filepath.Dir(path), base+".duckdb")
}

// checkMagic refuses an existing, non-empty file that is not a DuckDB
// database, before DuckDB is asked to open it.
func checkMagic(path string, size int64) error {
	if size == 0 {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%q: %w", path, err)
	}
	defer f.Close()
	var head [12]byte
	n, err := io.ReadFull(f, head[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%q: %w", path, err)
	}
	if n < len(head) || string(head[8:12]) != duckdbMagic {
		return fmt.Errorf("%q exists and is not a DuckDB database; nothing was changed: move it aside, or pass another file such as %s", path, suggestion(path))
	}
	return nil
}
