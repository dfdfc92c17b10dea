// Package warehouse is slackaudit's DuckDB store: it creates the contract
// tables, loads Arrow record batches into staging tables, and swaps a whole
// sync's snapshot in with one transaction, so readers never see half a sync.
//
// Only this package (and what must open the database) imports DuckDB.
package warehouse

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"

	bindings "github.com/duckdb/duckdb-go-bindings"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// DefaultPath is where the warehouse lives when no --db is given.
const DefaultPath = "slackaudit.duckdb"

// Options control how Open opens the database file.
type Options struct {
	// ReadOnly opens the file without taking DuckDB's write lock; the file
	// must exist. Statements that write fail.
	ReadOnly bool
	// Redact, when set, removes secrets from the free text the warehouse
	// stores about a run (see redactText); nil stores text as given.
	Redact func(string) string
}

// DB is an open warehouse.
type DB struct {
	sql      *sql.DB
	path     string
	readOnly bool
	redact   func(string) string

	instOnce sync.Once // the instance handle Stream connects through
	inst     bindings.Database
	instErr  error
}

// Open opens the warehouse at path, creating the file and the contract tables
// when opened for writing. Errors say what is wrong with the file and never
// overwrite it.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" {
		path = DefaultPath
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, fmt.Errorf("opening warehouse %s: it is a directory; pass a file path with --db", path)
	} else if err != nil && opts.ReadOnly {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no warehouse at %s: run slackaudit sync first, or pass --db", path)
		}
		return nil, fmt.Errorf("opening warehouse %s: %w", path, err)
	}
	q := url.Values{}
	if opts.ReadOnly {
		q.Set("access_mode", "read_only")
	}
	dsn := path
	if len(q) > 0 {
		dsn += "?" + q.Encode()
	}
	connector, err := duckdb.NewConnector(dsn, func(execer driver.ExecerContext) error {
		_, err := execer.ExecContext(ctx, "SET TimeZone = 'UTC'", nil)
		return err
	})
	if err != nil {
		return nil, openError(path, err)
	}
	sdb := sql.OpenDB(connector)
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, openError(path, err)
	}
	db := &DB{sql: sdb, path: path, readOnly: opts.ReadOnly, redact: opts.Redact}
	if !opts.ReadOnly {
		if err := db.migrate(ctx); err != nil {
			sdb.Close()
			return nil, err
		}
	}
	return db, nil
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
	err := db.sql.Close()
	if db.inst.Ptr != nil {
		bindings.Close(&db.inst)
	}
	return err
}

// SQL returns the database handle for queries.
func (db *DB) SQL() *sql.DB { return db.sql }

// Path is the database file.
func (db *DB) Path() string { return db.path }

// ReadOnly reports whether the warehouse was opened read-only.
func (db *DB) ReadOnly() bool { return db.readOnly }

// migrate creates the contract tables and adds columns that newer versions of
// slackaudit define, so an older warehouse keeps its data.
func (db *DB) migrate(ctx context.Context) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("preparing warehouse %s: %w", db.path, err)
	}
	if err := migrateTables(ctx, conn); err != nil {
		conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return fmt.Errorf("preparing warehouse %s: %w", db.path, err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("preparing warehouse %s: %w", db.path, err)
	}
	return nil
}

func migrateTables(ctx context.Context, conn *sql.Conn) error {
	existing, err := existingColumns(ctx, conn)
	if err != nil {
		return err
	}
	for _, t := range Tables {
		have, ok := existing[t.Name]
		if !ok {
			if _, err := conn.ExecContext(ctx, t.createSQL(t.Name)); err != nil {
				return fmt.Errorf("creating %s: %w", t.Name, err)
			}
		} else {
			for _, c := range t.Columns {
				if have[c.Name] {
					continue
				}
				q := fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", quoteIdent(t.Name), quoteIdent(c.Name), c.Type)
				if _, err := conn.ExecContext(ctx, q); err != nil {
					return fmt.Errorf("adding %s.%s: %w", t.Name, c.Name, err)
				}
			}
		}
		if !ok || len(have) != len(t.Columns) {
			for _, q := range t.commentSQL(t.Name) {
				if _, err := conn.ExecContext(ctx, q); err != nil {
					return fmt.Errorf("commenting %s: %w", t.Name, err)
				}
			}
		}
	}
	for _, v := range Views {
		if _, err := conn.ExecContext(ctx, v.createSQL()); err != nil {
			return fmt.Errorf("creating view %s: %w", v.Name, err)
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
