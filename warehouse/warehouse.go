// Package warehouse is slackaudit's DuckDB store: it creates the tables it
// is given as Arrow schemas (declared with warehouse/schema; the DDL and
// column comments are generated from them), loads Arrow record batches into
// staging tables, and swaps a whole sync's snapshot in with one
// transaction, so readers never see half a sync.
//
// Only this package (and what must open the database) imports DuckDB.
package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	bindings "github.com/duckdb/duckdb-go-bindings"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// DefaultPath is where the warehouse lives when no --db is given.
const DefaultPath = "slackaudit.duckdb"

// Options control how Open opens the database file. Whatever they say, the
// warehouse is locked down before its first statement (lockdown.go): no
// file outside AllowFiles, no extension, no network, no change of setting.
type Options struct {
	// Tables are the tables of the data sets and derived tables a sync
	// lands, declared with warehouse/schema (pipeline.Tables()). Opening
	// for writing needs them: it creates them with the warehouse's own
	// tables, adds the columns an older file lacks, and recreates the
	// views. A read-only open needs none.
	Tables []*arrow.Schema
	// ReadOnly opens the file without taking DuckDB's write lock; the file
	// must exist. Statements that write fail.
	ReadOnly bool
	// AllowFiles are folders whose files statements may read and write
	// (DuckDB's allowed_directories). Empty: statements touch no file.
	AllowFiles []string
	// Redact, when set, removes secrets from the free text the warehouse
	// stores about a run (see redactText); nil stores text as given.
	Redact func(string) string
}

// DB is an open warehouse. Its database/sql handle and its streaming
// sessions are connections to one locked-down DuckDB instance.
type DB struct {
	sql        *sql.DB
	inst       bindings.Database
	path       string
	readOnly   bool
	allowFiles bool
	leftovers  []string // read-only: what earlier versions left (see Leftovers)
	redact     func(string) string
	cat        *Catalog // the tables it holds: Options.Tables and the warehouse's own
}

// Open opens the warehouse at path, creating the file and the contract tables
// when opened for writing. Errors say what is wrong with the file and never
// overwrite it.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" {
		path = DefaultPath
	}
	if err := checkPath(path, opts.ReadOnly); err != nil {
		return nil, err
	}
	cat, err := openCatalog(opts)
	if err != nil {
		return nil, fmt.Errorf("opening warehouse %s: %w", path, err)
	}
	lock, err := newLockdown(opts)
	if err != nil {
		return nil, err
	}
	db := &DB{path: path, readOnly: opts.ReadOnly, allowFiles: len(opts.AllowFiles) > 0, redact: opts.Redact, cat: cat}
	if err := db.open(ctx, lock); err != nil {
		db.Close()
		return nil, err
	}
	if opts.ReadOnly {
		err = db.findLeftovers(ctx)
	} else {
		err = db.migrate(ctx)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openCatalog is the catalogue Open works with: the tables given, which
// opening for writing needs.
func openCatalog(opts Options) (*Catalog, error) {
	switch {
	case len(opts.Tables) > 0:
		return NewCatalog(opts.Tables)
	case !opts.ReadOnly:
		return nil, errNoTables
	}
	return ownCatalog(), nil
}

// checkPath refuses paths DuckDB would misread or that cannot be a
// warehouse, before DuckDB sees them.
func checkPath(path string, readOnly bool) error {
	if readOnly {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("no warehouse at %s: run slackaudit sync first, or pass --db", path)
		}
	}
	return CheckPath(path)
}

// open creates the instance, locks it down, and opens the database/sql
// handle on the same instance.
func (db *DB) open(ctx context.Context, lock lockdown) error {
	settings := openSettings(db.readOnly)
	inst, err := openInstance(db.path, settings)
	if err != nil {
		return openError(db.path, err)
	}
	db.inst = inst
	// The connector finds the same instance in duckdb-go's cache: its
	// settings are the same.
	connector, err := duckdb.NewConnector(settingsDSN(db.path, settings), nil)
	if err != nil {
		return openError(db.path, err)
	}
	db.sql = sql.OpenDB(connector)
	if err := lock.apply(db.inst, db.path); err != nil {
		return fmt.Errorf("opening warehouse %s: %w", db.path, err)
	}
	var locked string
	if err := db.sql.QueryRowContext(ctx, "SELECT current_setting('lock_configuration')::VARCHAR").Scan(&locked); err != nil {
		return openError(db.path, err)
	}
	if locked != "true" {
		return fmt.Errorf("opening warehouse %s: its DuckDB connections are not locked down; nothing was run", db.path)
	}
	return nil
}

// openError turns DuckDB's open failures into errors that say what to do.
func openError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock"):
		return fmt.Errorf("warehouse %s is in use by another slackaudit or DuckDB process; wait for it to finish or pass another --db (%s)", path, lastLine(msg))
	case strings.Contains(msg, "not a valid DuckDB database file") ||
		strings.Contains(msg, "Corrupt") || strings.Contains(msg, "corrupt") ||
		strings.Contains(msg, "unknown DuckDB version") || strings.Contains(msg, "database file with version"):
		return fmt.Errorf("%s is not a readable DuckDB warehouse (damaged, or written by another program); nothing was changed: move it aside or pass another --db (%s)", path, lastLine(msg))
	case strings.Contains(msg, "database does not exist"):
		return fmt.Errorf("no warehouse at %s: run slackaudit sync first, or pass --db", path)
	}
	return fmt.Errorf("opening warehouse %s: %w", path, err)
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "\n"); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimPrefix(s, "database/sql/driver: could not connect to database: ")
}

// Close closes the database.
func (db *DB) Close() error {
	var err error
	if db.sql != nil {
		err = db.sql.Close()
	}
	bindings.Close(&db.inst)
	return err
}

// Catalog is the tables and views the warehouse was opened with: those of
// Options.Tables and its own.
func (db *DB) Catalog() *Catalog { return db.cat }

// SQL returns the database handle for queries.
func (db *DB) SQL() *sql.DB { return db.sql }

// Path is the database file.
func (db *DB) Path() string { return db.path }

// ReadOnly reports whether the warehouse was opened read-only.
func (db *DB) ReadOnly() bool { return db.readOnly }

// migrate creates the contract tables and adds columns that newer versions of
// slackaudit define, so an older warehouse keeps its data, and removes what
// older versions left behind.
func (db *DB) migrate(ctx context.Context) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("preparing warehouse %s: %w", db.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("preparing warehouse %s: %w", db.path, err)
	}
	err = dropLeftovers(ctx, conn, db.cat)
	if err == nil {
		err = migrateTables(ctx, conn, db.cat)
	}
	if err != nil {
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
			err = errors.Join(err, fmt.Errorf("undoing the changes (ROLLBACK): %w", rerr))
		}
		return fmt.Errorf("preparing warehouse %s: %w", db.path, err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("preparing warehouse %s: %w", db.path, err)
	}
	return nil
}

// leftoverQuery finds what earlier versions of slackaudit left in the file:
// views over arrow_scan (each sync left one, _arrow_in, holding memory
// addresses of a process long gone: reading it crashes any DuckDB client),
// and staging tables of a sync that was killed. It returns the kind of
// object (VIEW or TABLE) and its name.
//
// A staging table is the staging copy of a table of cat, or, with cat nil
// (a read-only open, which removes nothing and only hides it), of any
// table the file holds.
func leftoverQuery(cat *Catalog) string {
	stages := `SELECT '` + stagePrefix + `' || table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main'`
	if cat != nil {
		var names []string
		for _, t := range cat.TableNames() {
			names = append(names, quoteString(stagePrefix+t))
		}
		stages = strings.Join(names, ", ")
	}
	return `SELECT 'VIEW', view_name FROM duckdb_views()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
		  AND (view_name = '_arrow_in' OR lower(sql) LIKE '%arrow\_scan%' ESCAPE '\')
		UNION ALL
		SELECT 'TABLE', table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main' AND table_name IN (` + stages + `)
		ORDER BY 2`
}

// queryLeftovers lists the leftovers of earlier versions as [kind, name].
func queryLeftovers(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, cat *Catalog) ([][2]string, error) {
	rows, err := q.QueryContext(ctx, leftoverQuery(cat))
	if err != nil {
		return nil, fmt.Errorf("looking for leftovers of earlier versions: %w", err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var l [2]string
		if err := rows.Scan(&l[0], &l[1]); err != nil {
			return nil, fmt.Errorf("looking for leftovers of earlier versions: %w", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("looking for leftovers of earlier versions: %w", err)
	}
	return out, nil
}

// dropLeftovers removes the leftovers of earlier versions.
func dropLeftovers(ctx context.Context, conn *sql.Conn, cat *Catalog) error {
	found, err := queryLeftovers(ctx, conn, cat)
	if err != nil {
		return err
	}
	for _, l := range found {
		q := fmt.Sprintf("DROP %s IF EXISTS %s", l[0], quoteIdent(l[1]))
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("removing a leftover of an earlier version (%s): %w", q, err)
		}
	}
	return nil
}

func (db *DB) findLeftovers(ctx context.Context) error {
	found, err := queryLeftovers(ctx, db.sql, nil)
	if err != nil {
		return fmt.Errorf("opening warehouse %s: %w", db.path, err)
	}
	for _, l := range found {
		db.leftovers = append(db.leftovers, l[1])
	}
	return nil
}

// Leftovers names what an earlier version of slackaudit left in a warehouse
// opened read-only (a view that crashes DuckDB when read, staging tables).
// Opening the warehouse for writing (a sync) removes them.
func (db *DB) Leftovers() []string { return db.leftovers }

// migrateTables creates the catalogue's tables the file lacks, adds the
// columns an older version's tables lack (and comments them), and
// recreates the views.
func migrateTables(ctx context.Context, conn *sql.Conn, cat *Catalog) error {
	existing, err := existingColumns(ctx, conn)
	if err != nil {
		return err
	}
	for _, t := range cat.tables {
		if err := migrateTable(ctx, conn, t, existing[t.Name]); err != nil {
			return err
		}
	}
	for _, v := range cat.views {
		if _, err := conn.ExecContext(ctx, viewSQL(v)); err != nil {
			return fmt.Errorf("creating view %s: %w", v.Name, err)
		}
	}
	return nil
}

// migrateTable creates t, or adds the columns its copy in the file lacks
// (have: nil when the file has no such table).
func migrateTable(ctx context.Context, conn *sql.Conn, t table, have map[string]bool) error {
	if have == nil {
		if _, err := conn.ExecContext(ctx, t.createSQL(t.Name)); err != nil {
			return fmt.Errorf("creating %s: %w", t.Name, err)
		}
	}
	for i, c := range t.Columns {
		if have == nil || have[c.Name] {
			continue
		}
		q := fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", quoteIdent(t.Name), quoteIdent(c.Name), t.types[i])
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("adding %s.%s: %w", t.Name, c.Name, err)
		}
	}
	if have != nil && len(have) == len(t.Columns) {
		return nil
	}
	for _, q := range t.commentSQL(t.Name) {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("commenting %s: %w", t.Name, err)
		}
	}
	return nil
}

func existingColumns(ctx context.Context, conn *sql.Conn) (map[string]map[string]bool, error) {
	rows, err := conn.QueryContext(ctx, `SELECT table_name, column_name FROM duckdb_columns()
		WHERE schema_name = 'main' AND database_name = current_database()`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]bool{}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, err
		}
		if out[t] == nil {
			out[t] = map[string]bool{}
		}
		out[t][c] = true
	}
	return out, rows.Err()
}

// IsReadOnlyError reports whether err is DuckDB refusing a write because the
// warehouse was opened read-only.
func IsReadOnlyError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "read-only mode")
}
