package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"slackaudit/queries"
	"slackaudit/warehouse"
)

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

type queryFlags struct {
	db     string
	format string
	named  string
	params listFlag
	list   bool
	rawCSV bool
}

func init() {
	register(&command{
		name:  "query",
		usage: `[--db PATH] [--format table|csv|json|markdown] ("SQL" | - | --named NAME [--param k=v ...])`,
		short: "run one SQL statement, or a named query, read-only against the warehouse",
		long: `
Runs one statement against the warehouse, opened read-only, and writes the
result to stdout. "-" reads the statement from stdin. --named runs one of the
named queries that ship with slackaudit; its parameters are bound, never
pasted into the SQL.

Formats: table (default), box, csv, json, jsonl, markdown, line. In csv,
as in export, a cell a spreadsheet would run as a formula (starting with
=, +, -, @, tab or carriage return; plain negative numbers aside) gets a
leading quote; --raw-csv writes every cell as it is.

Examples:
  slackaudit query "SELECT team_id, count(*) FROM users WHERE NOT deleted GROUP BY ALL"
  slackaudit query --format csv "SELECT * FROM users" > users.csv
  echo "SELECT * FROM sync_runs" | slackaudit query -
  slackaudit query --named seats_by_type --format markdown
  slackaudit query --list`,
		flags: func(fs *flag.FlagSet) any {
			f := &queryFlags{}
			fs.StringVar(&f.db, "db", warehouse.DefaultPath, "warehouse file")
			fs.StringVar(&f.format, "format", "table", "output format: table, box, csv, json, jsonl, markdown or line")
			fs.StringVar(&f.named, "named", "", "run this named query instead of SQL (see --list)")
			fs.Var(&f.params, "param", "a named query's parameter as name=value (repeatable)")
			fs.BoolVar(&f.list, "list", false, "list the named queries with their parameters")
			fs.BoolVar(&f.rawCSV, "raw-csv", false, "csv: write cells exactly, without neutralising spreadsheet formulas")
			return f
		},
		maxArgs: 1,
		run: func(ctx context.Context, e *env, opts any, args []string) error {
			f := opts.(*queryFlags)
			format, err := queries.ParseFormat(f.format)
			if err != nil {
				return usageError{err.Error()}
			}
			var (
				text   string
				params []any
			)
			switch {
			case f.list:
				printNamedQueries(e.stdout)
				return nil
			case f.named != "":
				if len(args) > 0 {
					return usagef("give either SQL or --named, not both")
				}
				n, err := queries.Lookup(f.named)
				if err != nil {
					return usageError{err.Error()}
				}
				given, err := queries.ParseParams(f.params)
				if err != nil {
					return usageError{err.Error()}
				}
				if params, err = n.Args(given); err != nil {
					return usageError{err.Error()}
				}
				text = n.SQL
			case len(f.params) > 0:
				return usagef("--param applies to --named queries only")
			case len(args) == 0:
				return usagef("give the SQL to run, \"-\" to read it from stdin, or --named NAME")
			case args[0] == "-":
				b, err := io.ReadAll(e.stdin)
				if err != nil {
					return fmt.Errorf("reading SQL from stdin: %w", err)
				}
				text = string(b)
			default:
				text = args[0]
			}
			if strings.TrimSpace(text) == "" {
				return usagef("the SQL is empty")
			}
			db, err := warehouse.Open(ctx, f.db, warehouse.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer db.Close()
			rows, err := db.Stream(ctx, text, params...)
			if err != nil {
				return queryError(err)
			}
			_, err = queries.WriteStream(e.stdout, rows, queries.Options{Format: format, RawCSV: f.rawCSV})
			return err
		},
	})
}

// queryError adds what to do to DuckDB's message for common mistakes.
func queryError(err error) error {
	if warehouse.IsReadOnlyError(err) {
		return fmt.Errorf("%w\nslackaudit query opens the warehouse read-only; change data with a sync, or use the shell with --write", err)
	}
	return err
}

func printNamedQueries(w io.Writer) {
	for _, n := range queries.All() {
		fmt.Fprintf(w, "%s\n    %s\n", n.Name, n.Description)
		for _, p := range n.Params {
			def := "required"
			if p.Default != "" {
				def = "default " + p.Default
			}
			fmt.Fprintf(w, "    --param %s=%s (%s): %s\n", p.Name, p.Type, def, p.Description)
		}
	}
}
