package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"slackaudit/pipeline"
	"slackaudit/queries/shell"
	"slackaudit/warehouse"
)

type shellFlags struct {
	sync       syncFlags
	write      bool
	bail       bool
	allowFiles []string
}

// shellLong and shellExamples are shell's help.
const (
	shellLong = `
On a terminal, opens an interactive SQL shell on the warehouse (read-only
unless --write): emacs-style editing, history kept in
~/.config/slackaudit/history (or $XDG_CONFIG_HOME/slackaudit/history, or
$SLACKAUDIT_HISTORY; "off" keeps none), Ctrl-R to search it, Tab to
complete commands, tables, columns, keywords and named queries. Statements end
with ';' and may span lines. Ctrl-C cancels the running statement or clears
the line; Ctrl-D leaves.

The warehouse must exist: without --write a missing --db is an error and no
file is created; with --write a missing one is created empty.

Dot-commands explain the data and shape the output: .tables, .describe TABLE
(what each Slack field means), .schema, .queries and .run NAME k=v, .mode
duckbox|box|table|line|list|csv|json|jsonl|markdown, .headers, .nullvalue,
.maxrows, .maxwidth, .width, .timer, .print, .echo, .bail, .output FILE,
.once FILE, .read FILE, .open PATH, .sync, .exit; .help lists them all. Any
unambiguous prefix works (.desc users).

On a terminal, results show as DuckDB's duckbox, fitted to the width
(COLUMNS, or the terminal's): long values are cut with "…", and when the
columns still do not fit, the first and last stay and a "…" column stands
for the rest. Files and pipes get every character, as a table by default.

Statements run in a session DuckDB itself locks down: without --write they
cannot change the warehouse, and even with it they change nothing else: no
file is read or written, no database attached, no extension installed or
loaded, no setting changed. --allow-files DIR (repeatable) lets statements
read and write the files in DIR (read_csv, COPY, ATTACH…); without --write,
.output and .once write files there only. .read works without it.

When stdin is not a terminal, the shell runs it as a script: statements and
dot-commands in order, no prompt and no history. The first error is printed
with its line number and the exit code is 1; --bail=false goes on after
errors (as .bail off does) and exits 1 at the end, or at .exit, if any
statement failed.

.sync runs a sync with this command's connection flags and the token in
SLACK_TOKEN or --token-file, closing the warehouse while it runs.`
	shellExamples = `  slackaudit shell
  slackaudit shell --db /var/lib/slackaudit/acme.duckdb
  echo "SELECT seat_type, count(*) FROM licenses GROUP BY ALL;" | slackaudit shell
  slackaudit shell --db acme.duckdb < audit.sql > audit.txt
  printf '.mode csv\n.run seats_by_type\n' | slackaudit shell > seats.csv
  SLACK_TOKEN=xoxp-… slackaudit shell --write    # then .sync, and CREATE TABLE for your own notes`
)

func newShellCmd(e *env, g *persistent) *cobra.Command {
	f := &shellFlags{}
	c := &cobra.Command{
		Use:         "shell [--db PATH] [--write] [--allow-files DIR] [--bail=true|false] [--api-url URL] [--team TEAM_ID] [--token-file FILE] [--mode MODE] [--since 90d]",
		Short:       "explore the warehouse in an interactive SQL shell, or run a SQL script from stdin",
		Long:        shellLong,
		Example:     shellExamples,
		Args:        exactArgs(0),
		Annotations: map[string]string{annWarehouse: warehouse.DefaultPath},
		RunE:        func(cmd *cobra.Command, _ []string) error { return runShell(cmd.Context(), e, g.db, f) },
	}
	fs := c.Flags()
	f.sync.register(fs)
	fs.BoolVar(&f.write, "write", false, "open the warehouse read-write, so statements may change it")
	fs.BoolVar(&f.bail, "bail", true, "in script mode, stop at the first error (false: report each error and go on)")
	allowFilesFlag(fs, &f.allowFiles)
	return c
}

// runShell opens the shell on the warehouse at dbPath with the command's
// flags: interactive on a terminal, a script otherwise.
func runShell(ctx context.Context, e *env, dbPath string, f *shellFlags) error {
	if _, err := f.sync.options(e.now()); err != nil {
		return err
	}
	allow, err := allowedFolders(f.allowFiles)
	if err != nil {
		return err
	}
	cfg := shell.Config{
		DBPath:      dbPath,
		Write:       f.write,
		Tables:      pipeline.Tables(),
		AllowFiles:  allow,
		Interactive: isTTY(e.stdin),
		Bail:        f.bail,
		Stdin:       e.stdin,
		Stdout:      e.stdout,
		Stderr:      e.stderr,
		HistoryPath: shell.HistoryPath(e.getenv),
		Sync:        shellSync(e, &f.sync),
	}
	if isTTY(e.stdout) {
		cfg.Width = func() int { return shell.TerminalWidth(e.stdout, e.getenv) }
	}
	if cfg.Interactive {
		// Ctrl-C cancels only the running statement; SIGTERM still ends
		// the session.
		cfg.Interrupts = e.takeInterrupts()
	}
	return shell.Run(ctx, cfg)
}

// shellSync is what the shell's .sync runs: the same sync as 'slackaudit
// sync' with the shell's flags, the token read when .sync is typed.
func shellSync(e *env, f *syncFlags) shell.SyncFunc {
	return func(ctx context.Context, dbPath string, progress io.Writer) (string, error) {
		o, err := f.options(e.now())
		if err != nil {
			return "", err
		}
		tok, err := f.conn.token(e)
		if err != nil {
			return "", fmt.Errorf("%v; then start the shell again", err)
		}
		client, err := e.newClient(f.conn.apiURL, tok)
		if err != nil {
			return "", err
		}
		db, err := e.openWarehouse(ctx, dbPath, warehouse.Options{Tables: pipeline.Tables()})
		if err != nil {
			return "", err
		}
		defer db.Close()
		o.Client, o.DB, o.Logger, o.Progress = client, db, e.log, newProgress(progress)
		res, err := runSync(ctx, o)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return "", err
			}
			return "", errors.New(e.redact(err.Error()))
		}
		var b bytes.Buffer
		printSyncSummary(&b, res, db.Path())
		return e.redact(b.String()), nil
	}
}

// isTTY reports whether r or w is a terminal.
func isTTY(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
