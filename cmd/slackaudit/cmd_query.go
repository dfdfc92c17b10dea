package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"slackaudit/queries"
	"slackaudit/queries/shell"
	"slackaudit/warehouse"
)

type queryFlags struct {
	format     string
	named      string
	params     []string
	list       bool
	rawCSV     bool
	allowFiles []string
}

// queryLong and queryExamples are query's help.
const (
	queryLong = `
Runs one statement against the warehouse, opened read-only, and writes the
result to stdout. "-" reads the statement from stdin. --named runs one of the
named queries that ship with slackaudit; its parameters are bound, never
pasted into the SQL.

Read-only is enforced by DuckDB itself: the statement cannot change the
warehouse, read or write any file, attach a database, install or load an
extension, or change a setting. --allow-files DIR (repeatable) lets it read
and write the files in DIR, e.g. to join a CSV export or COPY a result.

Formats: duckbox (the default on a terminal), table (the default
otherwise), box, markdown, line, list, csv, json, jsonl. On a terminal,
duckbox, table, box and markdown fit its width (COLUMNS, or the terminal's):
long values are cut with "…", and when the columns still do not fit, the
first and last stay and a "…" column stands for the rest; output to a pipe
or file is never cut. Human formats group numbers in thousands. In csv,
as in export, a cell a spreadsheet would run as a formula (starting with
=, +, -, @, tab or carriage return; plain negative numbers aside) gets a
leading quote; --raw-csv writes every cell as it is.`
	queryExamples = `  slackaudit query "SELECT team_id, count(*) FROM users WHERE NOT deleted GROUP BY ALL"
  slackaudit query --format csv "SELECT * FROM users" > users.csv
  echo "SELECT * FROM sync_runs" | slackaudit query -
  slackaudit query --named seats_by_type --format markdown
  slackaudit query --named recent_actions --param days=7,dry_runs=true
  slackaudit query --allow-files ./hr "SELECT u.* FROM users u JOIN './hr/staff.csv' s USING (email)"
  slackaudit query --list`
)

func newQueryCmd(e *env, g *persistent) *cobra.Command {
	f := &queryFlags{}
	c := &cobra.Command{
		Use:         `query [--db PATH] [--format duckbox|table|csv|json|markdown|…] [--allow-files DIR] ("SQL" | - | --named NAME [--param k=v ...])`,
		Short:       "run one SQL statement, or a named query, read-only against the warehouse",
		Long:        queryLong,
		Example:     queryExamples,
		Args:        rangeArgs(0, 1),
		Annotations: map[string]string{annWarehouse: warehouse.DefaultPath},
		RunE:        func(cmd *cobra.Command, args []string) error { return f.run(cmd.Context(), e, g.db, args) },
	}
	fs := c.Flags()
	formatFlag(fs, &f.format, "")
	fs.StringVar(&f.named, "named", "", "run this named query instead of SQL (see --list)")
	paramFlag(fs, &f.params)
	fs.BoolVar(&f.list, "list", false, "list the named queries with their parameters")
	fs.BoolVar(&f.rawCSV, "raw-csv", false, "csv: write cells exactly, without neutralising spreadsheet formulas")
	allowFilesFlag(fs, &f.allowFiles)
	return c
}

// run runs the statement, or the named query, and writes its result.
func (f *queryFlags) run(ctx context.Context, e *env, dbPath string, args []string) error {
	width := shell.TerminalWidth(e.stdout, e.getenv)
	if f.format == "" {
		f.format = string(queries.Table)
		if isTTY(e.stdout) {
			f.format = string(queries.Duckbox)
		}
	}
	format, err := queries.ParseFormat(f.format)
	if err != nil {
		return usageError{err.Error()}
	}
	if f.list {
		printNamedQueries(e.stdout)
		return nil
	}
	text, params, err := f.statement(e, args)
	if err != nil {
		return err
	}
	allow, err := allowedFolders(f.allowFiles)
	if err != nil {
		return err
	}
	db, err := warehouse.Open(ctx, dbPath, warehouse.Options{ReadOnly: true, AllowFiles: allow})
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Stream(ctx, text, params...)
	if err != nil {
		return queryError(err, allow)
	}
	_, err = queries.WriteStream(e.stdout, rows, queries.Options{Format: format, RawCSV: f.rawCSV, MaxWidth: width})
	return queryError(err, allow)
}

// statement is the SQL to run and its bound parameters: a named query's,
// the argument, or stdin.
func (f *queryFlags) statement(e *env, args []string) (string, []any, error) {
	var text string
	switch {
	case f.named != "":
		if len(args) > 0 {
			return "", nil, usagef("give either SQL or --named, not both")
		}
		n, err := queries.Lookup(f.named)
		if err != nil {
			return "", nil, usageError{err.Error()}
		}
		given, err := queries.ParseParams(f.params)
		if err != nil {
			return "", nil, usageError{err.Error()}
		}
		params, err := n.Args(given)
		if err != nil {
			return "", nil, usageError{err.Error()}
		}
		return n.SQL, params, nil
	case len(f.params) > 0:
		return "", nil, usagef("--param applies to --named queries only")
	case len(args) == 0:
		return "", nil, usagef("give the SQL to run, \"-\" to read it from stdin, or --named NAME")
	case args[0] == "-":
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return "", nil, fmt.Errorf("reading SQL from stdin: %w", err)
		}
		text = string(b)
	default:
		text = args[0]
	}
	if strings.TrimSpace(text) == "" {
		return "", nil, usagef("the SQL is empty")
	}
	return text, nil, nil
}

// allowedFolders checks the --allow-files folders: each must be an existing
// folder.
func allowedFolders(dirs []string) ([]string, error) {
	for _, d := range dirs {
		st, err := os.Stat(d)
		switch {
		case err != nil && errors.Is(err, os.ErrNotExist):
			return nil, usagef("--allow-files %s: no such folder", d)
		case err != nil:
			return nil, usagef("--allow-files %s: %v", d, err)
		case !st.IsDir():
			return nil, usagef("--allow-files %s: not a folder; give the folder that holds the files", d)
		}
	}
	return dirs, nil
}

// queryError adds what to do to DuckDB's message for common mistakes and
// for what the read-only session refused.
func queryError(err error, allowed []string) error {
	if err == nil {
		return nil
	}
	if warehouse.IsReadOnlyError(err) {
		return fmt.Errorf("%w\nslackaudit query opens the warehouse read-only; change data with a sync, or use the shell with --write", err)
	}
	if errors.Is(err, warehouse.ErrMultipleStatements) {
		return fmt.Errorf("%w\nslackaudit query runs one statement; run a script with slackaudit shell < script.sql", err)
	}
	r, ok := warehouse.AsRefused(err)
	if !ok {
		return err
	}
	off := ""
	if r.Err != nil {
		off = r.Kind.String() + " in slackaudit query; "
	}
	switch r.Kind {
	case warehouse.RefusedFiles:
		if len(allowed) > 0 {
			return fmt.Errorf("%w\nslackaudit query reads and writes files only in %s; add --allow-files DIR for another folder", err, strings.Join(allowed, ", "))
		}
		return fmt.Errorf("%w\n%sadd --allow-files DIR to read and write the files in DIR", err, off)
	case warehouse.RefusedPrepared:
		return fmt.Errorf("%w\n%srun the statement itself; --named NAME --param k=v binds a named query's parameters", err, off)
	case warehouse.RefusedInternal:
		return fmt.Errorf("%w\nthe next slackaudit sync (or shell --write) removes what an earlier version left in the warehouse", err)
	}
	return fmt.Errorf("%w\n%sslackaudit query runs read-only, with DuckDB's settings locked and no extensions to add", err, off)
}

func printNamedQueries(w io.Writer) {
	group := ""
	for _, n := range queries.All() {
		if n.Group != group {
			group = n.Group
			fmt.Fprintf(w, "\n%s\n\n", queries.GroupTitle(group))
		}
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
