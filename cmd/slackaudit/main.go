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
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse"
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
	tune func(*slackapi.Config)
	// red removes secrets from everything printed, logged or stored; run
	// creates it when nil, and a command reading a token adds the token.
	red *slackapi.Redactor
	// log writes through red to stderr; run sets it up from --verbose.
	log *slog.Logger
	// commands are the commands run dispatches to; nil means the
	// registered ones. Tests add their own here instead of registering.
	commands []*command
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
	if e.red == nil {
		e.red = &slackapi.Redactor{}
	}
	if code, done := e.help(args); done {
		return code
	}
	c := e.lookup(args[0])
	if c == nil {
		fmt.Fprintf(e.stderr, "slackaudit: unknown command %q\n\n", e.red.String(args[0]))
		e.printMainHelp(e.stderr)
		return exitUsage
	}
	inv, code := e.parse(c, args[1:])
	if inv == nil {
		return code
	}
	level := slog.LevelWarn
	if inv.verbose {
		level = slog.LevelDebug
	}
	e.log = slog.New(slog.NewTextHandler(e.red.Writer(e.stderr), &slog.HandlerOptions{Level: level}))
	err := checkFlags(inv.fs)
	if err == nil {
		err = e.call(ctx, c, inv.opts, inv.rest)
	}
	return e.report(ctx, c, err)
}

// help answers "slackaudit", "slackaudit help [command]" and --help; done
// is false for anything else.
func (e *env) help(args []string) (code int, done bool) {
	if len(args) > 0 && args[0] != "help" && args[0] != "-h" && args[0] != "--help" && args[0] != "-help" {
		return 0, false
	}
	if len(args) > 1 {
		if c := e.lookup(args[1]); c != nil {
			printCommandHelp(e.stdout, c, nil)
			return exitOK, true
		}
	}
	e.printMainHelp(e.stdout)
	if len(args) == 0 {
		return exitUsage, true
	}
	return exitOK, true
}

// invocation is a command line parsed for one command.
type invocation struct {
	fs      *flag.FlagSet
	opts    any
	rest    []string
	verbose bool
}

// parse reads c's flags and arguments. A nil invocation means the command
// must not run: code is the exit code (help printed, or a usage error).
func (e *env) parse(c *command, args []string) (*invocation, int) {
	inv := &invocation{fs: flag.NewFlagSet(c.name, flag.ContinueOnError)}
	inv.fs.SetOutput(io.Discard)
	if c.flags != nil {
		inv.opts = c.flags(inv.fs)
	}
	verbose := inv.fs.Bool("verbose", false, "log retries, rate-limit waits and other progress notes to stderr")
	rest, err := parseInterspersed(inv.fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printCommandHelp(e.stdout, c, inv.fs)
		return nil, exitOK
	}
	if err == nil && (len(rest) < c.minArgs || (c.maxArgs >= 0 && len(rest) > c.maxArgs)) {
		err = errors.New("wrong number of arguments")
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "slackaudit %s: %s\n\n", c.name, e.red.Error(err))
		printCommandHelp(e.stderr, c, inv.fs)
		return nil, exitUsage
	}
	inv.rest, inv.verbose = rest, *verbose
	return inv, 0
}

// call runs the command, turning a panic into an *internalError so a bug
// is reported as a failure (exit 1), never as a usage error (exit 2, which
// is also what the Go runtime exits with on a crash).
func (e *env) call(ctx context.Context, c *command, opts any, args []string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &internalError{value: p, stack: debug.Stack()}
		}
	}()
	return c.run(ctx, e, opts, args)
}

// internalError is a panic recovered from a command.
type internalError struct {
	value any
	stack []byte
}

func (ie *internalError) Error() string { return fmt.Sprintf("internal error: %v", ie.value) }

// report prints a command's error, redacted, and returns the exit code.
func (e *env) report(ctx context.Context, c *command, err error) int {
	if err == nil {
		return exitOK
	}
	msg := e.red.Error(err)
	var ie *internalError
	var ue usageError
	switch {
	case errors.As(err, &ie):
		fmt.Fprintf(e.stderr, "slackaudit %s: %s\nThis is a bug in slackaudit; please report it with the lines below.\n%s",
			c.name, msg, e.red.String(string(ie.stack)))
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "slackaudit %s: %s\nRun 'slackaudit %s --help' for usage.\n", c.name, msg, c.name)
		return exitUsage
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintf(e.stderr, "slackaudit %s: interrupted\n", c.name)
	default:
		fmt.Fprintf(e.stderr, "slackaudit %s: %s\n", c.name, msg)
	}
	return exitFailure
}

// checkFlags validates, before the command runs and before any network
// call, the flags that commands share by name: every --db through
// warehouse.CheckPath and every --api-url through slackapi.ValidateAPIURL.
func checkFlags(fs *flag.FlagSet) error {
	if f := fs.Lookup("db"); f != nil {
		if err := warehouse.CheckPath(f.Value.String()); err != nil {
			return usagef("--db: %v", err)
		}
	}
	if f := fs.Lookup("scim-url"); f != nil && f.Value.String() != "" {
		if err := slackapi.ValidateAPIURL(f.Value.String()); err != nil {
			return usagef("--scim-url: %v", err)
		}
	}
	if f := fs.Lookup("api-url"); f != nil {
		if err := slackapi.ValidateAPIURL(f.Value.String()); err != nil {
			return usagef("--api-url: %v", err)
		}
	}
	return nil
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

func (e *env) lookup(name string) *command {
	for _, c := range e.registry() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// registry is the commands run dispatches to.
func (e *env) registry() []*command {
	if e.commands != nil {
		return e.commands
	}
	return commands
}

func (e *env) printMainHelp(w io.Writer) {
	fmt.Fprint(w, `slackaudit finds the Slack seats you pay for that nobody uses.

Usage:
  slackaudit <command> [flags] [arguments]

Commands:
`)
	for _, c := range e.registry() {
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

// redact removes every secret the command knows of from s.
func (e *env) redact(s string) string { return e.red.String(s) }

// openWarehouse opens the warehouse at path with the command's redactor, so
// nothing it stores about a run or an action keeps a secret.
func (e *env) openWarehouse(ctx context.Context, path string, opts warehouse.Options) (*warehouse.DB, error) {
	opts.Redact = e.red.String
	return warehouse.Open(ctx, path, opts)
}
