package main

import (
	"errors"
	"io"
	"os"

	"github.com/spf13/cobra"

	"slackaudit/pipeline"
	"slackaudit/queries"
	"slackaudit/warehouse"
)

type exportFlags struct {
	out         string
	format      string
	tables      []string
	partitionBy string
	overwrite   bool
}

// exportLong and exportExamples are export's help.
const (
	exportLong = `
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

Formats:
  parquet  Apache Parquet, zstd-compressed (DuckDB's writer); the default
  csv      with a header row; cells a spreadsheet would run as a formula
           (starting with =, +, -, @) are prefixed with a quote
  json     one JSON object per line

--partition-by team_id writes each table that has that column as a folder of
files per value (team_id=T123/…), as Hive, Spark and DuckDB read them; other
tables are written whole.

Exit codes suit cron: 0 written, 1 failed (DIR untouched), 2 usage error
(including a DIR export refuses to write; nothing is touched).`
	exportExamples = `  slackaudit export --out /srv/exports/slack
  slackaudit export --out /tmp/audit --format csv --tables licenses,license_summary
  slackaudit export --out s3-sync/slack --partition-by team_id --overwrite`
)

func newExportCmd(e *env, g *persistent) *cobra.Command {
	f := &exportFlags{}
	c := &cobra.Command{
		Use:         "export --out DIR [--format parquet|csv|json] [--tables a,b] [--partition-by team_id] [--overwrite] [--db PATH]",
		Short:       "write the warehouse's tables to files for other tools, all or nothing",
		Long:        exportLong,
		Example:     exportExamples,
		Args:        exactArgs(0),
		Annotations: map[string]string{annWarehouse: warehouse.DefaultPath},
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			o := f.options(e, g.db)
			if err := exportError(warehouse.CheckExport(o)); err != nil {
				return err
			}
			db, err := e.openWarehouse(ctx, o.Warehouse, warehouse.Options{ReadOnly: true, AllowFiles: o.AllowFiles()})
			if err != nil {
				return err
			}
			defer db.Close()
			m, err := warehouse.Export(ctx, db, o)
			if err != nil {
				return exportError(err)
			}
			return m.WriteSummary(e.stdout, o.Out)
		},
	}
	fs := c.Flags()
	fs.StringVar(&f.out, "out", "", "the `DIR` to write (required)")
	formatFlag(fs, &f.format, string(warehouse.ExportParquet))
	listFlag(fs, &f.tables, "tables", "tables or views to export (default: every contract table)")
	fs.StringVar(&f.partitionBy, "partition-by", "", "write tables with this `COLUMN` as one folder per value (e.g. team_id)")
	fs.BoolVar(&f.overwrite, "overwrite", false, "replace DIR if it holds an earlier export (and nothing else)")
	return c
}

// options are the export the flags ask for, from the warehouse at db.
func (f *exportFlags) options(e *env, db string) warehouse.ExportOptions {
	return warehouse.ExportOptions{Out: f.out, Format: warehouse.ExportFormat(f.format), PartitionBy: f.partitionBy,
		Overwrite: f.overwrite, Warehouse: db, Home: e.home(), CSV: writeCSV, Now: e.now, Tables: f.tables,
		Contract: pipeline.Tables(), Version: e.version}
}

// writeCSV is export's CSV writer: the one query --format csv uses, which
// neutralises spreadsheet formulas.
func writeCSV(w io.Writer, rows *warehouse.Rows) error {
	_, err := queries.WriteStream(w, rows, queries.Options{Format: queries.CSV})
	return err
}

// exportError makes what export refuses before touching anything a usage
// error (exit 2).
func exportError(err error) error {
	var refusal *warehouse.ExportRefusal
	if errors.As(err, &refusal) {
		return usageError{err.Error()}
	}
	return err
}

// home is the user's home folder, from HOME, else the system's record.
func (e *env) home() string {
	if h := e.getenv("HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}
