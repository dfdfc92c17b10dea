// Package shell is slackaudit's interactive SQL shell over the warehouse: a
// line editor with history and completion from the warehouse catalog,
// dot-commands that explain Slack's data, streaming result formats, Ctrl-C
// that cancels the running statement, and a script mode for pipes.
//
// The shell does not talk to Slack: the command that starts it injects
// Config.Sync, which .sync calls with the warehouse closed.
package shell

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/chzyer/readline"

	"slackaudit/queries"
	"slackaudit/warehouse"
)

// SyncFunc runs a sync into the warehouse at dbPath, which the shell has
// closed so the sync can take the write lock. progress, when not nil, is a
// terminal for live progress. It returns the summary to print.
type SyncFunc func(ctx context.Context, dbPath string, progress io.Writer) (summary string, err error)

// Config says what a shell session opens and where it reads and writes.
type Config struct {
	// DBPath is the warehouse file; warehouse.DefaultPath when empty.
	DBPath string
	// Write opens the warehouse read-write; otherwise it is read-only and
	// writes fail with a hint to restart with --write. Either way
	// statements change nothing but the warehouse: no file, setting or
	// extension (see warehouse.Options).
	Write bool
	// AllowFiles are the folders whose files statements may read and
	// write (--allow-files); none when empty.
	AllowFiles []string
	// Interactive runs the line editor with prompts and history (stdin is a
	// terminal); otherwise Stdin is run as a script.
	Interactive bool
	// Bail stops a script at its first error (the default in the CLI);
	// .bail changes it.
	Bail bool
	// Stdin, Stdout and Stderr are the session's streams. An interactive
	// session edits lines on the process's terminal.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// HistoryPath is where interactive sessions keep their history; empty
	// for none. Scripts never write history.
	HistoryPath string
	// Width, when set, treats Stdout as a terminal that wide (0: no limit):
	// tables are fitted to it and duckbox is the default mode. nil detects
	// whether Stdout is a terminal and asks it. Files and pipes are never
	// fitted, unless .maxwidth says so.
	Width func() int
	// Tables are the tables the warehouse holds (pipeline.Tables()), which
	// opening it for writing needs; a read-only shell needs none.
	Tables []*arrow.Schema
	// Sync is what .sync runs; nil makes .sync explain it is unavailable.
	Sync SyncFunc
	// SyncHelp is shown by .sync when Sync is nil, or appended to its
	// errors: how to provide a token.
	SyncHelp string
	// Interrupts are Ctrl-C while an interactive session runs a statement
	// or dot-command: each value received cancels the one running. The
	// caller owns the process's signals; nil: nothing interrupts.
	Interrupts <-chan struct{}
}

// Shell is one session: an open warehouse, the settings the dot-commands
// change, and the statement being typed.
type Shell struct {
	cfg    Config
	stdout io.Writer
	stderr io.Writer

	db   *warehouse.DB
	conn *sql.Conn          // catalog lookups
	sess *warehouse.Session // statements: one streaming connection, so SET and temporary tables last
	path string
	cat  *catalog // nil until needed, and again after DDL

	split *Splitter // the interactive statement being typed

	// settings
	mode       queries.Format
	headers    bool
	nullValue  string
	maxRows    int
	maxRowsSet bool
	maxWidth   int   // .maxwidth: fit tables to this width on every output; 0: the terminal's
	widths     []int // .width
	timer      bool
	echo       bool
	bail       bool
	outFile    *os.File
	onceFile   *os.File
	stdoutTerm bool

	quit  bool
	depth int // .read nesting
}

// defaultTerminalRows is how many rows a result shows on a terminal unless
// .maxrows says otherwise; files and pipes get every row.
const defaultTerminalRows = 100

// flushInterval is how often results reach the terminal or pipe while rows
// are still arriving.
const flushInterval = 100 * time.Millisecond

// Run opens the warehouse and runs the session until .quit, end of input or
// ctx ends. In script mode, the first failing statement's error (with its
// line) is returned, or, with Bail off, an error counting the failures.
func Run(ctx context.Context, cfg Config) error {
	s := New(cfg)
	if err := s.open(ctx, cfg.DBPath); err != nil {
		return err
	}
	defer s.Close()
	if cfg.Interactive {
		return s.repl(ctx)
	}
	return s.script(ctx, cfg.Stdin, "", func() bool { return s.bail })
}

// New returns a shell with default settings and no warehouse open.
func New(cfg Config) *Shell {
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	s := &Shell{cfg: cfg, stdout: cfg.Stdout, stderr: cfg.Stderr, mode: queries.Table, headers: true, bail: cfg.Bail,
		split: NewSplitter()}
	s.stdoutTerm = cfg.Width != nil || isTerminal(cfg.Stdout)
	if s.stdoutTerm {
		s.mode = queries.Duckbox
	}
	return s
}

// Close closes the output file and the warehouse.
func (s *Shell) Close() error {
	var errs []error
	if s.outFile != nil {
		errs = append(errs, s.outFile.Close())
		s.outFile = nil
	}
	if s.onceFile != nil {
		errs = append(errs, s.onceFile.Close())
		s.onceFile = nil
	}
	errs = append(errs, s.closeDB())
	return errors.Join(errs...)
}

// open opens the warehouse at path with the session's access mode and pins
// one connection, so transactions, temporary tables and SET last.
func (s *Shell) open(ctx context.Context, path string) error {
	if path == "" {
		path = warehouse.DefaultPath
	}
	db, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: !s.cfg.Write, AllowFiles: s.cfg.AllowFiles, Tables: s.cfg.Tables})
	if err != nil {
		return err
	}
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		db.Close()
		return fmt.Errorf("opening warehouse %s: %w", path, err)
	}
	sess, err := db.Session()
	if err != nil {
		conn.Close()
		db.Close()
		return fmt.Errorf("opening warehouse %s: %w", path, err)
	}
	s.db, s.conn, s.sess, s.path, s.cat = db, conn, sess, path, nil
	return nil
}

func (s *Shell) closeDB() error {
	if s.db == nil {
		return nil
	}
	err := errors.Join(s.sess.Close(), s.conn.Close(), s.db.Close())
	s.db, s.conn, s.sess, s.cat = nil, nil, nil, nil
	return err
}

// catalogForCompletion returns the catalog, reading it if it is stale. A
// read failure gives an empty catalog: completion must never get in the way.
func (s *Shell) catalogForCompletion() *catalog {
	c, err := s.catalog(context.Background())
	if err != nil {
		return &catalog{keywords: fallbackKeywords}
	}
	return c
}

func (s *Shell) catalog(ctx context.Context) (*catalog, error) {
	if s.cat != nil {
		return s.cat, nil
	}
	if s.conn == nil {
		return nil, errors.New("no warehouse is open: use .open PATH")
	}
	c, err := loadCatalog(ctx, s.conn, s.db.Leftovers())
	if err != nil {
		return nil, err
	}
	s.cat = c
	return c, nil
}

// width is the terminal width for table output, 0 for no limit.
func (s *Shell) width() int {
	if s.cfg.Width != nil {
		return s.cfg.Width()
	}
	if !s.stdoutTerm {
		return 0
	}
	return readline.GetScreenWidth()
}

// target is where the next result goes: the .once file, the .output file,
// or stdout. done closes a .once file.
func (s *Shell) target() (w io.Writer, terminal bool, done func() error) {
	if f := s.onceFile; f != nil {
		s.onceFile = nil
		return f, false, f.Close
	}
	if s.outFile != nil {
		return s.outFile, false, func() error { return nil }
	}
	return s.stdout, s.stdoutTerm, func() error { return nil }
}

// writeOptions are the formatter's options for output to a terminal or not.
func (s *Shell) writeOptions(terminal bool) queries.Options {
	o := queries.Options{
		Format:        s.mode,
		NoHeaders:     !s.headers,
		NullValue:     s.nullValue,
		MaxRows:       s.maxRows,
		Widths:        s.widths,
		FlushInterval: flushInterval,
		LimitHint:     "; .maxrows N changes it, .maxrows 0 shows all",
	}
	if !s.maxRowsSet {
		o.MaxRows = 0
		if terminal && s.cfg.Interactive {
			o.MaxRows = defaultTerminalRows
		}
	}
	switch {
	case s.maxWidth > 0:
		o.MaxWidth = s.maxWidth
	case terminal:
		o.MaxWidth = s.width()
	}
	return o
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
