package shell

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/chzyer/readline"
)

// The prompts: the second says the statement goes on until ';'.
const (
	Prompt             = "slackaudit> "
	ContinuationPrompt = "        ...> "
)

// repl runs the interactive session: the line editor, history, and one
// Ctrl-C-cancellable context per statement or dot-command.
func (s *Shell) repl(ctx context.Context) error {
	var hist *history
	var past []string
	if s.cfg.HistoryPath != "" {
		h, entries, err := openHistory(s.cfg.HistoryPath)
		if err != nil {
			fmt.Fprintf(s.stderr, "warning: %v; this session's history will not be kept\n", err)
		} else {
			hist, past = h, entries
		}
	}
	defer hist.close()

	// With stdout redirected to a file, the editor draws on stderr.
	editorOut := s.stdout
	if !s.stdoutTerm {
		editorOut = s.stderr
	}
	rl, err := readline.NewEx(&readline.Config{
		Prompt:                 Prompt,
		HistoryLimit:           historyLimit,
		DisableAutoSaveHistory: true,
		HistorySearchFold:      true,
		AutoComplete:           readlineCompleter{s},
		Stdout:                 editorOut,
		Stderr:                 s.stderr,
	})
	if err != nil {
		return fmt.Errorf("starting the line editor: %w", err)
	}
	defer rl.Close()
	for _, e := range past {
		rl.SaveHistory(e)
	}

	// The session ends when ctx does (SIGTERM): unblock the editor.
	defer context.AfterFunc(ctx, func() { rl.Close() })()

	s.banner(ctx)
	hinted := false
	for !s.quit {
		if s.split.Pending() {
			rl.SetPrompt(ContinuationPrompt)
		} else {
			rl.SetPrompt(Prompt)
		}
		line, err := rl.Readline()
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, readline.ErrInterrupt):
			if s.split.Pending() || strings.TrimSpace(line) != "" {
				s.split.Reset()
			} else if !hinted {
				fmt.Fprintln(s.stderr, "(.quit or Ctrl-D leaves the shell)")
				hinted = true
			}
			continue
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return fmt.Errorf("reading input: %w", err)
		}
		s.interactiveLine(ctx, line, rl, hist)
	}
	return nil
}

// interactiveLine runs what one typed line completes. After an error the
// rest of the line's statements are skipped, as a script with bail would.
func (s *Shell) interactiveLine(ctx context.Context, line string, rl *readline.Instance, hist *history) {
	remember := func(entry string) {
		rl.SaveHistory(entry)
		if err := hist.add(entry); err != nil {
			fmt.Fprintf(s.stderr, "warning: saving history: %v\n", err)
		}
	}
	if s.split.Empty() && isDotLine(line) {
		remember(strings.TrimSpace(line))
		s.split.Skip()
		uctx, stop := s.interruptible(ctx)
		err := s.dot(uctx, line)
		stop()
		if err != nil {
			s.report(err)
		}
		return
	}
	stmts := s.split.Add(line)
	for _, st := range stmts {
		if e, ok := historyEntry(st.Text + ";"); ok {
			remember(e)
		}
	}
	for _, st := range stmts {
		s.echoed(st.Text + ";")
		uctx, stop := s.interruptible(ctx)
		err := s.execSQL(uctx, st.Text)
		stop()
		if err != nil {
			s.report(err)
			return
		}
	}
}

// interruptible returns ctx for one statement or dot-command: Ctrl-C while
// it runs (the terminal is not in raw mode then, so Ctrl-C arrives as
// SIGINT, which the caller passes on as Config.Interrupts) cancels it, and
// nothing else. stop ends the watch.
func (s *Shell) interruptible(ctx context.Context) (_ context.Context, stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	if s.cfg.Interrupts == nil {
		return ctx, cancel
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-s.cfg.Interrupts:
			cancel()
		case <-done:
		}
	}()
	return ctx, func() { close(done); cancel() }
}

// banner says which warehouse is open, how, and what it holds.
func (s *Shell) banner(ctx context.Context) {
	note := ""
	if !s.cfg.Write {
		note = "; start with --write to change it"
	}
	fmt.Fprintf(s.stderr, "slackaudit shell on %s (%s%s)\n", s.path, s.access(), note)
	var run int64
	var asOf time.Time
	var mode sql.NullString
	if err := scanOne(ctx, s.conn, "SELECT run_id, as_of, mode FROM latest_sync", &run, &asOf, &mode); err == nil {
		fmt.Fprintf(s.stderr, "Last sync: run %d, as of %s", run, asOf.UTC().Format("2006-01-02 15:04Z"))
		if mode.String != "" {
			fmt.Fprintf(s.stderr, ", mode %s", mode.String)
		}
		fmt.Fprintln(s.stderr)
	} else if errors.Is(err, sql.ErrNoRows) {
		fmt.Fprintln(s.stderr, "No sync has finished yet: .sync runs one.")
	}
	fmt.Fprintln(s.stderr, "End SQL with ';'. .tables lists the data, .describe TABLE explains it, .help lists commands, Ctrl-D leaves.")
}
