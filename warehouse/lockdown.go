package warehouse

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	bindings "github.com/duckdb/duckdb-go-bindings"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Every handle on a warehouse shares one DuckDB instance (duckdb-go caches
// instances by path), and the instance is locked down before the first
// statement runs: external access off (no file, network or extension
// access beyond Options.AllowFiles), no extension installed or loaded
// automatically, and the configuration locked so no statement can undo any
// of it. A read-only warehouse without AllowFiles also switches off DuckDB's
// local file system, because DuckDB always lets a session address the open
// database's own files (the file, its write-ahead log and spill folder) by
// exact path, even with external access off.

// openSettings are the options every handle is created with. DuckDB refuses
// to share an instance between handles whose options differ, so the
// database/sql connector and the streaming handle get exactly these.
func openSettings(readOnly bool) [][2]string {
	mode := "read_write"
	if readOnly {
		mode = "read_only"
	}
	return [][2]string{
		{"access_mode", mode},
		{"autoinstall_known_extensions", "false"},
		{"autoload_known_extensions", "false"},
		{"allow_community_extensions", "false"},
		{"allow_unsigned_extensions", "false"},
		{"allow_persistent_secrets", "false"},
	}
}

// settingsDSN is the duckdb-go data source name for path with settings.
func settingsDSN(path string, settings [][2]string) string {
	q := url.Values{}
	for _, kv := range settings {
		q.Set(kv[0], kv[1])
	}
	return path + "?" + q.Encode()
}

// openInstance creates (or finds in duckdb-go's cache) the DuckDB instance
// for path with settings.
func openInstance(path string, settings [][2]string) (bindings.Database, error) {
	var cfg bindings.Config
	var inst bindings.Database
	if bindings.CreateConfig(&cfg) == bindings.StateError {
		return inst, errors.New("creating a DuckDB configuration")
	}
	defer bindings.DestroyConfig(&cfg)
	for _, kv := range append([][2]string{{"duckdb_api", "go"}}, settings...) {
		if bindings.SetConfig(cfg, kv[0], kv[1]) == bindings.StateError {
			return inst, fmt.Errorf("setting DuckDB option %s=%s", kv[0], kv[1])
		}
	}
	var msg string
	if bindings.GetOrCreateFromCache(duckdb.GetInstanceCache(), path, &inst, cfg, &msg) == bindings.StateError {
		bindings.Close(&inst)
		return inst, errors.New(msg)
	}
	return inst, nil
}

// lockdown is what a handle's instance must be set to.
type lockdown struct {
	allowDirs []string // absolute folders statements may read and write
	noLocalFS bool     // DuckDB's local file system off entirely
}

func newLockdown(opts Options) (lockdown, error) {
	l := lockdown{noLocalFS: opts.ReadOnly && len(opts.AllowFiles) == 0}
	for _, d := range opts.AllowFiles {
		dirs, err := allowedForms(d)
		if err != nil {
			return l, err
		}
		for _, d := range dirs {
			if !slices.Contains(l.allowDirs, d) {
				l.allowDirs = append(l.allowDirs, d)
			}
		}
	}
	return l, nil
}

// allowedForms returns the absolute, cleaned folder and, when it differs,
// the folder its symbolic links lead to: DuckDB compares paths as text.
func allowedForms(dir string) ([]string, error) {
	if strings.TrimSpace(dir) == "" {
		return nil, errors.New("an empty folder cannot be allowed for files")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("allowing files in %s: %w", dir, err)
	}
	out := []string{abs}
	if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
		out = append(out, real)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("allowing files in %s: %w", dir, err)
	}
	return out, nil
}

// statements are the SET statements that lock an instance down, in the
// order DuckDB requires: allowed folders before external access goes off,
// the lock last. They run as SQL right after the instance is created,
// before any other statement, because DuckDB's configuration API takes
// neither allowed_directories (a list) nor TimeZone (an ICU setting).
func (l lockdown) statements() []string {
	dirs := make([]string, len(l.allowDirs))
	for i, d := range l.allowDirs {
		dirs[i] = quoteString(d)
	}
	stmts := []string{
		"SET GLOBAL TimeZone = 'UTC'",
		"SET GLOBAL allowed_directories = [" + strings.Join(dirs, ", ") + "]",
		"SET GLOBAL enable_external_access = false",
	}
	if l.noLocalFS {
		stmts = append(stmts, "SET GLOBAL disabled_filesystems = 'LocalFileSystem'")
	}
	return append(stmts, "SET GLOBAL lock_configuration = true")
}

// apply locks the instance of the warehouse at path down. An instance
// another handle of this process locked already is accepted only when it
// was locked the same way.
func (l lockdown) apply(inst bindings.Database, path string) error {
	var conn bindings.Connection
	if bindings.Connect(inst, &conn) == bindings.StateError {
		return errors.New("connecting to lock the warehouse down")
	}
	defer bindings.Disconnect(&conn)
	locked, err := queryString(conn, "SELECT current_setting('lock_configuration')::VARCHAR")
	if err != nil {
		return fmt.Errorf("reading the lock-down: %w", err)
	}
	if locked != "true" {
		for _, q := range l.statements() {
			if err := execString(conn, q); err != nil {
				return fmt.Errorf("locking the warehouse down (%s): %w", q, err)
			}
		}
	}
	return l.check(conn, path)
}

// check verifies the instance is locked down as l says.
func (l lockdown) check(conn bindings.Connection, path string) error {
	got, err := queryString(conn, `SELECT current_setting('lock_configuration')::VARCHAR || ' ' ||
		current_setting('enable_external_access')::VARCHAR || ' ' || current_setting('allowed_directories')::VARCHAR`)
	if err != nil {
		return fmt.Errorf("reading the lock-down: %w", err)
	}
	if !strings.HasPrefix(got, "true false ") {
		return fmt.Errorf("the warehouse's DuckDB instance is not locked down (lock_configuration, enable_external_access: %s)", got)
	}
	for _, d := range l.allowDirs {
		if !strings.Contains(got, strings.TrimSuffix(d, string(filepath.Separator))+string(filepath.Separator)) {
			return fmt.Errorf("the warehouse is already open in this process without access to %s; close it first", d)
		}
	}
	// DuckDB does not report disabled_filesystems back: ask the file
	// system for the warehouse itself, which DuckDB lets any session name.
	err = execString(conn, "SELECT count(*) FROM glob("+quoteString(path)+")")
	off := err != nil && strings.Contains(err.Error(), "LocalFileSystem has been disabled")
	if err != nil && !off {
		return fmt.Errorf("checking the lock-down: %w", err)
	}
	if off != l.noLocalFS {
		return fmt.Errorf("the warehouse is already open in this process with other file access (local files off: %v); close it first", off)
	}
	return nil
}

// execString runs one statement of slackaudit's own on conn.
func execString(conn bindings.Connection, q string) error {
	var res bindings.Result
	defer bindings.DestroyResult(&res)
	if bindings.Query(conn, q, &res) == bindings.StateError {
		return errors.New(bindings.ResultError(&res))
	}
	return nil
}

// queryString runs a query of slackaudit's own that returns one text value.
func queryString(conn bindings.Connection, q string) (string, error) {
	s := &Session{conn: conn}
	rows, err := s.stream(context.Background(), q, nil)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	if !rows.Next() {
		return "", errors.Join(errors.New("no result"), rows.Err())
	}
	var v any
	if err := rows.Scan(&v); err != nil {
		return "", err
	}
	text, _ := v.(string)
	return text, nil
}
