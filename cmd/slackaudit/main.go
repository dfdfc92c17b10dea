// Command slackaudit finds the Slack seats a company pays for and nobody
// uses: it syncs a paid Slack organisation into a DuckDB file, reports on it,
// and acts on what it finds.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"slackaudit/extract"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now})
	stop()
	os.Exit(code)
}

// env is what a command may touch of the outside world; tests supply their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time // the clock a sync's as_of comes from
	// tune adjusts every Slack client's configuration; tests use it to turn
	// the client's own pacing off against a synthetic org without limits.
	tune    func(*extract.Config)
	secrets []string // values to redact from anything printed
}

// command is one slackaudit subcommand.
type command struct {
	name    string
	usage   string // after "slackaudit <name> "
	short   string
	long    string // paragraphs and examples
	flags   func(fs *flag.FlagSet) any
	run     func(ctx context.Context, e *env, opts any, args []string) error
	minArgs int
	maxArgs int // -1: any
}

var commands []*command

func register(c *command) { commands = append(commands, c) }

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			if c := lookup(args[1]); c != nil {
				printCommandHelp(e.stdout, c, nil)
				return exitOK
			}
		}
		printMainHelp(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(e.stderr, "slackaudit: unknown command %q\n\n", args[0])
		printMainHelp(e.stderr)
		return exitUsage
	}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var opts any
	if c.flags != nil {
		opts = c.flags(fs)
	}
	verbose := fs.Bool("verbose", false, "log retries, rate-limit waits and other progress notes to stderr")
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandHelp(e.stdout, c, fs)
			return exitOK
		}
		fmt.Fprintf(e.stderr, "slackaudit %s: %v\n\n", c.name, err)
		printCommandHelp(e.stderr, c, fs)
		return exitUsage
	}
	if len(rest) < c.minArgs || (c.maxArgs >= 0 && len(rest) > c.maxArgs) {
		fmt.Fprintf(e.stderr, "slackaudit %s: wrong number of arguments\n\n", c.name)
		printCommandHelp(e.stderr, c, fs)
		return exitUsage
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(&redactor{w: e.stderr, env: e}, &slog.HandlerOptions{Level: level})))
	err = c.run(ctx, e, opts, rest)
	if err == nil {
		return exitOK
	}
	msg := e.redact(err.Error())
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.stderr, "slackaudit %s: %s\nRun 'slackaudit %s --help' for usage.\n", c.name, msg, c.name)
		return exitUsage
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		fmt.Fprintf(e.stderr, "slackaudit %s: interrupted\n", c.name)
		return exitFailure
	}
	fmt.Fprintf(e.stderr, "slackaudit %s: %s\n", c.name, msg)
	return exitFailure
}

// parseInterspersed parses flags wherever they appear among the arguments,
// so `slackaudit query "SELECT 1" --format csv` works; "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if consumed := len(args) - len(left); consumed > 0 && args[consumed-1] == "--" {
			return append(rest, left...), nil
		}
		if len(left) == 0 {
			return rest, nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func printMainHelp(w io.Writer) {
	fmt.Fprint(w, `slackaudit finds the Slack seats you pay for that nobody uses.

Usage:
  slackaudit <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, `
Run 'slackaudit <command> --help' for a command's flags and examples.
Exit codes: 0 success, 1 failure, 2 usage error.
`)
}

func printCommandHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: slackaudit %s %s\n\n%s\n", c.name, c.usage, c.short)
	if c.long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.long))
	}
	if fs == nil {
		fs = flag.NewFlagSet(c.name, flag.ContinueOnError)
		if c.flags != nil {
			c.flags(fs)
		}
		fs.Bool("verbose", false, "log retries, rate-limit waits and other progress notes to stderr")
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// redact replaces every secret the command learned (tokens) in s.
func (e *env) redact(s string) string {
	for _, sec := range e.secrets {
		if len(sec) >= 8 {
			s = strings.ReplaceAll(s, sec, "[redacted token]")
		}
	}
	return s
}

// redactor is a writer that redacts secrets from log lines.
type redactor struct {
	w   io.Writer
	env *env
}

func (r *redactor) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, r.env.redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
