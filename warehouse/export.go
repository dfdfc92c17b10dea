package warehouse

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// ExportFormat is a file format [Export] writes.
type ExportFormat string

const (
	// ExportParquet is Apache Parquet, zstd-compressed (DuckDB's writer).
	ExportParquet ExportFormat = "parquet"
	// ExportCSV is CSV with a header row, written by ExportOptions.CSV.
	ExportCSV ExportFormat = "csv"
	// ExportJSON is one JSON object per line (DuckDB's writer).
	ExportJSON ExportFormat = "json"
)

// exportFormats are the formats Export writes, in the order messages list
// them.
var exportFormats = []ExportFormat{ExportParquet, ExportCSV, ExportJSON}

// ExportOptions says what [Export] writes where.
type ExportOptions struct {
	// Out is the folder to write: new or empty, or with Overwrite an earlier
	// export. Missing parent folders are created.
	Out    string
	Format ExportFormat
	// Tables are the tables or views to export; none means every table of
	// the contract.
	Tables []string
	// Contract are the data sets' and derived tables' schemas
	// (pipeline.Tables()): with the warehouse's own tables, what Tables may
	// name and what none means. Required.
	Contract []*arrow.Schema
	// PartitionBy writes each table that has this column as one folder of
	// files per value (Hive style); other tables are written whole.
	PartitionBy string
	Overwrite   bool
	// Warehouse is the warehouse file as the user named it: Out must not be
	// it or hold it. Export uses the open warehouse's path when empty.
	Warehouse string
	// Home is the user's home folder, which Out must not be or hold; "" if
	// unknown.
	Home string
	// CSV writes a result as CSV: slackaudit's writer, which neutralises
	// spreadsheet formulas (DuckDB's cannot). Required for ExportCSV.
	CSV func(io.Writer, *Rows) error
	// Now is the clock for the manifest's exported_at; nil means time.Now.
	Now func() time.Time
}

// AllowFiles are the folders Export writes in: open the warehouse with
// Options.AllowFiles set to them.
func (o ExportOptions) AllowFiles() []string { return []string{filepath.Dir(filepath.Clean(o.Out))} }

// Manifest describes an export; Export writes it as manifest.json.
// Generator marks it as slackaudit's, so a later Overwrite knows the folder
// is an export (manifests written before the marker have none).
type Manifest struct {
	Generator  string          `json:"generator,omitempty"`
	RunID      int64           `json:"run_id"`
	AsOf       time.Time       `json:"as_of"`
	ExportedAt time.Time       `json:"exported_at"`
	Format     ExportFormat    `json:"format"`
	Tables     []ManifestTable `json:"tables"`
}

// ManifestTable is one exported table: its rows and where they are.
type ManifestTable struct {
	Name        string `json:"name"`
	Rows        int64  `json:"rows"`
	Path        string `json:"path"`
	PartitionBy string `json:"partition_by,omitempty"`
}

// CheckExport checks the options and whether Out may be written, touching
// nothing. What it refuses is an *[ExportRefusal]; other errors are a
// folder it could not inspect.
func CheckExport(o ExportOptions) error {
	if o.Out == "" {
		return refusef("--out DIR is required")
	}
	if !slices.Contains(exportFormats, o.Format) {
		names := make([]string, len(exportFormats))
		for i, f := range exportFormats {
			names[i] = string(f)
		}
		return refusef("--format %q: use %s", o.Format, strings.Join(names, ", "))
	}
	if o.PartitionBy != "" && !isIdentifier(o.PartitionBy) {
		return refusef("--partition-by %q is not a column name", o.PartitionBy)
	}
	if _, err := exportTables(o); err != nil {
		return err
	}
	if o.Format == ExportCSV && o.CSV == nil {
		return errors.New("export: csv needs ExportOptions.CSV")
	}
	return checkOut(o)
}

// Export writes the latest snapshot's tables into a temporary folder beside
// o.Out and renames it into place, so Out holds the previous complete
// export or the new one, never half of one. It runs [CheckExport] first.
// db must allow files in o.AllowFiles(). Before the first sync it returns
// [ErrNoSync].
func Export(ctx context.Context, db *DB, o ExportOptions) (*Manifest, error) {
	if o.Warehouse == "" {
		o.Warehouse = db.Path()
	}
	if err := CheckExport(o); err != nil {
		return nil, err
	}
	tables, _ := exportTables(o)
	if o.Now == nil {
		o.Now = time.Now
	}
	m := &Manifest{Generator: manifestGenerator, Format: o.Format, ExportedAt: o.Now().UTC()}
	if err := m.readSync(ctx, db); err != nil {
		return nil, err
	}
	out := filepath.Clean(o.Out)
	tmp, undo, err := makeTemp(out)
	if err != nil {
		return nil, err
	}
	if err := m.write(ctx, db, tmp, tables, o); err != nil {
		undo()
		return nil, err
	}
	if err := swapIn(tmp, out); err != nil {
		undo()
		return nil, err
	}
	return m, nil
}

// readSync fills in the sync the export is of.
func (m *Manifest) readSync(ctx context.Context, db *DB) error {
	err := db.SQL().QueryRowContext(ctx, "SELECT run_id, as_of FROM latest_sync").Scan(&m.RunID, &m.AsOf)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ErrNoSync
	case err != nil:
		return fmt.Errorf("reading the latest sync (latest_sync): %w", err)
	}
	m.AsOf = m.AsOf.UTC()
	return nil
}

// write exports the tables into dir, then the manifest.
func (m *Manifest) write(ctx context.Context, db *DB, dir string, tables []string, o ExportOptions) error {
	for _, t := range tables {
		mt, err := exportTable(ctx, db, dir, t, o)
		if err != nil {
			return fmt.Errorf("exporting %s: %w", t, err)
		}
		m.Tables = append(m.Tables, mt)
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	return os.WriteFile(filepath.Join(dir, "manifest.json"), append(b, '\n'), 0o644)
}

// exportTables checks the tables asked for; none means every table of the
// contract.
func exportTables(o ExportOptions) ([]string, error) {
	if len(o.Contract) == 0 {
		return nil, errors.New("export: the tables to export from need ExportOptions.Contract")
	}
	cat, err := NewCatalog(o.Contract)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if len(o.Tables) == 0 {
		return cat.TableNames(), nil
	}
	valid := append(cat.TableNames(), cat.ViewNames()...)
	var out []string
	for _, t := range o.Tables {
		if !slices.Contains(valid, t) {
			return nil, refusef("--tables: no table or view %q; choose from %s", t, strings.Join(valid, ", "))
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

func isIdentifier(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
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

func hasColumn(ctx context.Context, db *DB, table, column string) (bool, error) {
	var n int
	err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM duckdb_columns() WHERE table_name = ? AND column_name = ?`, table, column).Scan(&n)
	return n > 0, err
}

// exportTable writes one table into dir: one file, or with PartitionBy (when
// the table has that column) a folder of partitions.
func exportTable(ctx context.Context, db *DB, dir, table string, o ExportOptions) (ManifestTable, error) {
	mt := ManifestTable{Name: table}
	if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(table)).Scan(&mt.Rows); err != nil {
		return mt, err
	}
	partition := false
	if o.PartitionBy != "" {
		var err error
		if partition, err = hasColumn(ctx, db, table, o.PartitionBy); err != nil {
			return mt, err
		}
	}
	if !partition {
		mt.Path = table + "." + string(o.Format)
		return mt, writeFile(ctx, db, o, filepath.Join(dir, mt.Path), "SELECT * FROM "+quoteIdent(table))
	}
	mt.PartitionBy, mt.Path = o.PartitionBy, table
	return mt, writePartitions(ctx, db, o, filepath.Join(dir, mt.Path), table)
}

// writePartitions writes table as one folder per value of o.PartitionBy
// under target.
func writePartitions(ctx context.Context, db *DB, o ExportOptions, target, table string) error {
	column := quoteIdent(o.PartitionBy)
	if o.Format == ExportParquet {
		// DuckDB partitions Parquet itself.
		return copyTo(ctx, db, "SELECT * FROM "+quoteIdent(table), target,
			fmt.Sprintf("FORMAT parquet, COMPRESSION zstd, PARTITION_BY (%s)", column))
	}
	return eachPartition(ctx, db, table, o.PartitionBy, func(value, where string) error {
		return writeFile(ctx, db, o, filepath.Join(target, o.PartitionBy+"="+value, "data_0."+string(o.Format)),
			fmt.Sprintf("SELECT * EXCLUDE (%s) FROM %s WHERE %s", column, quoteIdent(table), where))
	})
}

// writeFile writes a query's result to path in o.Format.
func writeFile(ctx context.Context, db *DB, o ExportOptions, path, query string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	switch o.Format {
	case ExportParquet:
		return copyTo(ctx, db, query, path, "FORMAT parquet, COMPRESSION zstd")
	case ExportJSON:
		return copyTo(ctx, db, query, path, "FORMAT json")
	}
	return writeCSV(ctx, db, query, path, o.CSV)
}

// copyTo writes a query's result with DuckDB's COPY.
func copyTo(ctx context.Context, db *DB, query, path, options string) error {
	_, err := db.SQL().ExecContext(ctx, fmt.Sprintf("COPY (%s) TO %s (%s)", query, quoteString(path), options))
	return err
}

// writeCSV streams a query's result through the injected CSV writer.
func writeCSV(ctx context.Context, db *DB, query, path string, write func(io.Writer, *Rows) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	rows, err := db.Stream(ctx, query)
	if err != nil {
		f.Close()
		return err
	}
	err = write(f, rows)
	return errors.Join(err, rows.Close(), f.Close())
}

// eachPartition calls fn for every value of column in table, with the
// value as a folder name (Hive style: URL-escaped, NULL for nulls) and the
// SQL condition selecting its rows.
func eachPartition(ctx context.Context, db *DB, table, column string, fn func(value, where string) error) error {
	values, err := partitionValues(ctx, db, table, column)
	if err != nil {
		return err
	}
	for _, v := range values {
		value, where := "NULL", quoteIdent(column)+" IS NULL"
		if v != nil {
			value, where = url.PathEscape(*v), fmt.Sprintf("%s::VARCHAR = %s", quoteIdent(column), quoteString(*v))
		}
		if err := fn(value, where); err != nil {
			return err
		}
	}
	return nil
}

// partitionValues lists column's distinct values in table as text, NULL
// (nil) last.
func partitionValues(ctx context.Context, db *DB, table, column string) ([]*string, error) {
	rows, err := db.SQL().QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT %s::VARCHAR FROM %s ORDER BY 1 NULLS LAST", quoteIdent(column), quoteIdent(table)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var values []*string
	for rows.Next() {
		var v *string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		values = append(values, v)
	}
	return values, rows.Err()
}
