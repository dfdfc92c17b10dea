package shell

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"slackaudit/queries"
	"slackaudit/warehouse"
)

// queryKeywords start statements whose result is data to show, even when it
// is a single column called Count or Success.
var queryKeywords = map[string]bool{"SELECT": true, "WITH": true, "FROM": true, "VALUES": true, "TABLE": true,
	"SHOW": true, "DESCRIBE": true, "SUMMARIZE": true, "PRAGMA": true, "EXPLAIN": true, "CALL": true, "PIVOT": true,
	"UNPIVOT": true, "(": true}

// firstKeyword is the statement's first token, upper-cased.
func firstKeyword(text string) string {
	toks, _, _ := tokenize(text)
	if len(toks) == 0 {
		return ""
	}
	return toks[0].upper()
}

// execSQL runs one statement on the session's connection and streams its
// result to the current output.
func (s *Shell) execSQL(ctx context.Context, text string, args ...any) error {
	if s.conn == nil {
		return errors.New("no warehouse is open: use .open PATH")
	}
	kw := firstKeyword(text)
	if !queryKeywords[kw] {
		defer func() { s.cat = nil }() // DDL, ATTACH, USE…: completion re-reads the catalog
	}
	w, terminal, done := s.target()
	defer done()

	start := time.Now()
	stop := s.indicator()
	rows, err := s.sess.Stream(ctx, text, args...)
	stop()
	if err != nil {
		return s.sqlError(ctx, err)
	}
	queried := time.Since(start)
	cols := rows.Columns()
	if !queryKeywords[kw] && len(cols) == 1 && (cols[0].Name == "Count" || cols[0].Name == "Success") {
		// INSERT, CREATE, SET…: DuckDB's status result is not data.
		var n int64
		for rows.Next() {
			var v any
			if rows.Scan(&v) == nil {
				if x, ok := v.(int64); ok {
					n += x
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.sqlError(ctx, err)
		}
		if cols[0].Name == "Count" && s.cfg.Interactive {
			fmt.Fprintf(s.stderr, "%s %s changed\n", queries.Thousands(n), plural(n, "row", "rows"))
		}
		s.printTimer(start, queried)
		return nil
	}
	if kw == "EXPLAIN" && len(cols) == 2 && cols[1].Name == "explain_value" && s.mode != queries.CSV && s.mode != queries.JSON && s.mode != queries.JSONL {
		// The plan is drawn already: print it as DuckDB's own shell does.
		defer rows.Close()
		for rows.Next() {
			var key, plan any
			if err := rows.Scan(&key, &plan); err != nil {
				return s.sqlError(ctx, err)
			}
			fmt.Fprintln(w, strings.TrimRight(fmt.Sprint(plan), "\n"))
		}
		return s.sqlError(ctx, rows.Err())
	}
	opts := s.writeOptions(terminal)
	st, err := queries.WriteStream(w, rows, opts)
	if err != nil {
		return s.sqlError(ctx, err)
	}
	if st.Hidden > 0 && !opts.Format.Human() {
		// csv and json stay parseable: the note goes to stderr.
		fmt.Fprintln(s.stderr, queries.HiddenNote(st, opts))
	}
	s.printTimer(start, queried)
	return nil
}

func (s *Shell) printTimer(start time.Time, queried time.Duration) {
	if !s.timer {
		return
	}
	total := time.Since(start)
	fmt.Fprintf(s.stderr, "Run time: %.3f s (query %.3f s, output %.3f s)\n",
		total.Seconds(), queried.Seconds(), (total - queried).Seconds())
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// errCancelled is what a statement stopped by Ctrl-C reports.
var errCancelled = errors.New("cancelled")

// sqlError turns a failed statement's error into what the user should see:
// DuckDB's message (with its LINE and caret), a hint for writes to a
// read-only warehouse or for what the session's lock-down refused, or
// "cancelled".
func (s *Shell) sqlError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return errCancelled
	}
	if warehouse.IsReadOnlyError(err) {
		return fmt.Errorf("%w\nThe warehouse is open read-only. To change it, restart the shell with --write: slackaudit shell --write --db %s", err, s.path)
	}
	if r, ok := warehouse.AsRefused(err); ok {
		hint := s.refusalHint(r)
		return fmt.Errorf("%w\n%s", err, strings.ToUpper(hint[:1])+hint[1:])
	}
	return err
}

// refusalHint says how to allow what the shell refused, when it can be
// allowed; after DuckDB's own message it first says what is off.
func (s *Shell) refusalHint(r *warehouse.RefusedError) string {
	off := ""
	if r.Err != nil {
		k := r.Kind.String()
		off = strings.ToUpper(k[:1]) + k[1:] + " in slackaudit's shell; "
	}
	switch r.Kind {
	case warehouse.RefusedFiles:
		if len(s.cfg.AllowFiles) > 0 {
			return "Files are allowed only in " + strings.Join(s.cfg.AllowFiles, ", ") + "; start the shell with --allow-files DIR for another folder."
		}
		return off + "start the shell with --allow-files DIR to read and write the files in DIR (.output and .once files too; .read works without it)."
	case warehouse.RefusedSettings:
		return off + "SET search_path, SET VARIABLE and the dot-commands (.mode, .timer, .maxrows…) still work."
	case warehouse.RefusedExtensions:
		return off + "parquet, json and icu are built in."
	case warehouse.RefusedPrepared:
		return off + "run the statement itself; .run NAME k=v binds a named query's parameters."
	case warehouse.RefusedInternal:
		return "The next slackaudit sync (or a shell with --write) removes what an earlier version left in the warehouse."
	}
	return off + "slackaudit's shell does not run this statement."
}

// indicator shows, on an interactive terminal, that a statement is still
// running and how to stop it, once it has run for a second. stop clears it.
func (s *Shell) indicator() (stop func()) {
	if !s.cfg.Interactive {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		start := time.Now()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		shown := false
		for {
			select {
			case <-done:
				if shown {
					fmt.Fprint(s.stderr, "\r\033[K")
				}
				return
			case <-t.C:
				shown = true
				fmt.Fprintf(s.stderr, "\r\033[Krunning %ds… (Ctrl-C cancels)", int(time.Since(start).Seconds()))
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// lineRE finds DuckDB's "LINE n:" position marker.
var lineRE = regexp.MustCompile(`(?m)^LINE (\d+):`)

// located is an error in a script, at a line.
type located struct {
	file string // "" for stdin
	line int
	err  error
}

func (l *located) Error() string {
	if l.file == "" {
		return fmt.Sprintf("line %d: %v", l.line, l.err)
	}
	return fmt.Sprintf("%s:%d: %v", l.file, l.line, l.err)
}

func (l *located) Unwrap() error { return l.err }

// locate places err at the script line it happened on: the statement's first
// line, moved down to DuckDB's LINE marker when the message has one.
func locate(file string, st Statement, err error) error {
	var l *located
	if errors.As(err, &l) {
		return err // from a nested .read: already placed
	}
	line := st.Line
	if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
		if n, e := strconv.Atoi(m[1]); e == nil && n >= 1 {
			line += n - 1
		}
	}
	return &located{file: file, line: line, err: err}
}

// report prints an error the way an interactive session shows it.
func (s *Shell) report(err error) {
	if errors.Is(err, errCancelled) {
		fmt.Fprintln(s.stderr, "Cancelled.")
		return
	}
	msg := strings.TrimRight(err.Error(), "\n")
	fmt.Fprintf(s.stderr, "Error: %s\n", msg)
}
