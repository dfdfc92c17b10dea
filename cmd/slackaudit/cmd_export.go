package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"slackaudit/queries"
	"slackaudit/warehouse"
)

type exportFlags struct {
	db          string
	out         string
	format      string
	tables      string
	partitionBy string
	overwrite   bool
}

// exportFormats are the file formats export writes.
var exportFormats = []string{"parquet", "csv", "json"}

func init() {
	register(&command{
		name:  "export",
		usage: "--out DIR [--format parquet|csv|json] [--tables a,b] [--partition-by team_id] [--overwrite] [--db PATH]",
		short: "write the warehouse's tables to files for other tools, all or nothing",
		long: `
Writes the latest snapshot's tables (every contract table unless --tables
names some; views such as license_summary may be named too) into DIR, one
file per table, plus manifest.json naming the sync, the tables and their row
counts. Files are written into a temporary folder next to DIR and renamed
into place at the end, so a scheduled run never leaves half an export: DIR
holds the previous complete export or the new one. Missing parent folders
are created.

DIR must be new or empty. --overwrite replaces only an earlier export: a
folder whose manifest.json slackaudit wrote and that holds nothing the
manifest does not list. DIR is never the warehouse or a folder holding it,
the current folder, the home folder, / or a folder above them.

  parquet  Apache Parquet, zstd-compressed (DuckDB's writer)
  csv      with a header row; cells a spreadsheet would run as a formula
           (starting with =, +, -, @) are prefixed with a quote
  json     one JSON object per line

--partition-by team_id writes each table that has that column as a folder of
files per value (team_id=T123/…), as Hive, Spark and DuckDB read them; other
tables are written whole.

Exit codes suit cron: 0 written, 1 failed (DIR untouched), 2 usage error
(including a DIR export refuses to write; nothing is touched).

Examples:
  slackaudit export --out /srv/exports/slack
  slackaudit export --out /tmp/audit --format csv --tables licenses,license_summary
  slackaudit export --out s3-sync/slack --partition-by team_id --overwrite`,
		flags: func(fs *flag.FlagSet) any {
			f := &exportFlags{}
			fs.StringVar(&f.db, "db", warehouse.DefaultPath, "warehouse file")
			fs.StringVar(&f.out, "out", "", "folder to write (required)")
			fs.StringVar(&f.format, "format", "parquet", "parquet, csv or json")
			fs.StringVar(&f.tables, "tables", "", "tables or views to export, comma separated (default: every contract table)")
			fs.StringVar(&f.partitionBy, "partition-by", "", "write tables with this column as one folder per value (e.g. team_id)")
			fs.BoolVar(&f.overwrite, "overwrite", false, "replace DIR if it holds an earlier export (and nothing else)")
			return f
		},
		maxArgs: 0,
		run: func(ctx context.Context, e *env, opts any, _ []string) error {
			f := opts.(*exportFlags)
			if f.out == "" {
				return usagef("--out DIR is required")
			}
			if !slices.Contains(exportFormats, f.format) {
				return usagef("--format %q: use %s", f.format, strings.Join(exportFormats, ", "))
			}
			if f.partitionBy != "" && !isIdentifier(f.partitionBy) {
				return usagef("--partition-by %q is not a column name", f.partitionBy)
			}
			tables, err := exportTables(f.tables)
			if err != nil {
				return err
			}
			if err := checkOut(f.out, outCheck{db: f.db, home: e.home(), overwrite: f.overwrite}); err != nil {
				return err
			}
			db, err := e.openWarehouse(ctx, f.db, warehouse.Options{ReadOnly: true, AllowFiles: []string{filepath.Dir(filepath.Clean(f.out))}})
			if err != nil {
				return err
			}
			defer db.Close()
			m, err := export(ctx, db, f.out, f.format, tables, f.partitionBy)
			if err != nil {
				return err
			}
			var rows int64
			for _, t := range m.Tables {
				rows += t.Rows
			}
			fmt.Fprintf(e.stdout, "Exported %d tables (%s rows) from sync %d as %s to %s\n", len(m.Tables), thousands(rows), m.RunID, f.format, f.out)
			for _, t := range m.Tables {
				fmt.Fprintf(e.stdout, "  %-20s %12s rows  %s\n", t.Name, thousands(t.Rows), t.Path)
			}
			return nil
		},
	})
}

func isIdentifier(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// exportTables validates --tables; the default is every contract table.
func exportTables(list string) ([]string, error) {
	valid := warehouse.TableNames()
	for _, v := range warehouse.Views {
		valid = append(valid, v.Name)
	}
	if list == "" {
		return warehouse.TableNames(), nil
	}
	var out []string
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if !slices.Contains(valid, t) {
			return nil, usagef("--tables: no table or view %q; choose from %s", t, strings.Join(valid, ", "))
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// manifest describes an export. Generator marks it as slackaudit's, so a
// later --overwrite knows the folder is an export (manifests written before
// the marker have none).
type manifest struct {
	Generator  string          `json:"generator,omitempty"`
	RunID      int64           `json:"run_id"`
	AsOf       time.Time       `json:"as_of"`
	ExportedAt time.Time       `json:"exported_at"`
	Format     string          `json:"format"`
	Tables     []manifestTable `json:"tables"`
}

type manifestTable struct {
	Name        string `json:"name"`
	Rows        int64  `json:"rows"`
	Path        string `json:"path"`
	PartitionBy string `json:"partition_by,omitempty"`
}

// export writes the tables into a temporary folder beside out and renames it
// into place.
func export(ctx context.Context, db *warehouse.DB, out, format string, tables []string, partitionBy string) (*manifest, error) {
	m := &manifest{Generator: manifestGenerator, Format: format, ExportedAt: time.Now().UTC()}
	err := db.SQL().QueryRowContext(ctx, "SELECT run_id, as_of FROM latest_sync").Scan(&m.RunID, &m.AsOf)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, warehouse.ErrNoSync
	case err != nil:
		return nil, fmt.Errorf("reading the latest sync (latest_sync): %w", err)
	}
	m.AsOf = m.AsOf.UTC()
	out = filepath.Clean(out)
	tmp, undo, err := makeTemp(out)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			undo()
		}
	}()
	for _, t := range tables {
		mt, err := exportTable(ctx, db, tmp, format, t, partitionBy)
		if err != nil {
			return nil, fmt.Errorf("exporting %s: %w", t, err)
		}
		m.Tables = append(m.Tables, mt)
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(tmp, "manifest.json"), append(b, '\n'), 0o644); err != nil {
		return nil, err
	}
	if err := swapIn(tmp, out); err != nil {
		return nil, err
	}
	ok = true
	return m, nil
}

// makeTemp creates the temporary folder beside out that an export is
// written into, and the missing folders above out. undo removes them all.
func makeTemp(out string) (tmp string, undo func(), err error) {
	if tmp, err = tempSibling(out, "tmp"); err != nil {
		return "", nil, err
	}
	undoParents, err := makeParents(out)
	if err != nil {
		return "", nil, err
	}
	undo = func() {
		os.RemoveAll(tmp)
		undoParents()
	}
	if err := os.Mkdir(tmp, 0o755); err != nil {
		undo()
		return "", nil, fmt.Errorf("creating a temporary folder beside %s: %w", out, err)
	}
	return tmp, undo, nil
}

func tempSibling(path, kind string) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.%s-%s", filepath.Base(path), kind, hex.EncodeToString(b[:]))), nil
}

// swapIn replaces out with tmp: out is moved aside, tmp renamed into place,
// and the old export removed. Both renames stay on one file system.
func swapIn(tmp, out string) error {
	old := ""
	if _, err := os.Stat(out); err == nil {
		if old, err = tempSibling(out, "old"); err != nil {
			return err
		}
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("moving the previous export aside: %w", err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return fmt.Errorf("moving the export into place: %w", err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

func hasColumn(ctx context.Context, db *warehouse.DB, table, column string) (bool, error) {
	var n int
	err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM duckdb_columns() WHERE table_name = ? AND column_name = ?`, table, column).Scan(&n)
	return n > 0, err
}

func exportTable(ctx context.Context, db *warehouse.DB, dir, format, table, partitionBy string) (manifestTable, error) {
	mt := manifestTable{Name: table}
	if err := db.SQL().QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %q", table)).Scan(&mt.Rows); err != nil {
		return mt, err
	}
	partition := false
	if partitionBy != "" {
		var err error
		if partition, err = hasColumn(ctx, db, table, partitionBy); err != nil {
			return mt, err
		}
	}
	if partition {
		mt.PartitionBy, mt.Path = partitionBy, table
	} else {
		mt.Path = table + "." + format
	}
	target := filepath.Join(dir, mt.Path)
	if format == "parquet" && partition {
		// DuckDB partitions Parquet itself.
		return mt, copyTo(ctx, db, fmt.Sprintf("SELECT * FROM %q", table), target,
			fmt.Sprintf("FORMAT parquet, COMPRESSION zstd, PARTITION_BY (%q)", partitionBy))
	}
	write := func(path, query string) error {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		switch format {
		case "parquet":
			return copyTo(ctx, db, query, path, "FORMAT parquet, COMPRESSION zstd")
		case "json":
			return copyTo(ctx, db, query, path, "FORMAT json")
		}
		return writeSafeCSV(ctx, db, query, path)
	}
	if !partition {
		return mt, write(target, fmt.Sprintf("SELECT * FROM %q", table))
	}
	return mt, eachPartition(ctx, db, table, partitionBy, func(value, where string) error {
		return write(filepath.Join(target, partitionBy+"="+value, "data_0."+format),
			fmt.Sprintf("SELECT * EXCLUDE (%q) FROM %q WHERE %s", partitionBy, table, where))
	})
}

// copyTo writes a query's result with DuckDB's COPY.
func copyTo(ctx context.Context, db *warehouse.DB, query, path, options string) error {
	_, err := db.SQL().ExecContext(ctx, fmt.Sprintf("COPY (%s) TO %s (%s)", query, sqlString(path), options))
	return err
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// writeSafeCSV writes CSV through slackaudit's own streaming writer, which
// neutralises spreadsheet formulas (DuckDB's CSV writer cannot).
func writeSafeCSV(ctx context.Context, db *warehouse.DB, query, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	rows, err := db.Stream(ctx, query)
	if err != nil {
		f.Close()
		return err
	}
	_, err = queries.WriteStream(f, rows, queries.Options{Format: queries.CSV})
	return errors.Join(err, f.Close())
}

// eachPartition calls fn for every value of column in table, with the
// value as a folder name (Hive style: URL-escaped, NULL for nulls) and the
// SQL condition selecting its rows.
func eachPartition(ctx context.Context, db *warehouse.DB, table, column string, fn func(value, where string) error) error {
	rows, err := db.SQL().QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT %q::VARCHAR FROM %q ORDER BY 1 NULLS LAST", column, table))
	if err != nil {
		return err
	}
	var values []*string
	for rows.Next() {
		var v *string
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		values = append(values, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, v := range values {
		value, where := "NULL", fmt.Sprintf("%q IS NULL", column)
		if v != nil {
			value, where = url.PathEscape(*v), fmt.Sprintf("%q::VARCHAR = %s", column, sqlString(*v))
		}
		if err := fn(value, where); err != nil {
			return err
		}
	}
	return nil
}
