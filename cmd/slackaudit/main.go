// Command slackaudit finds the Slack seats a company pays for and nobody
// uses: it syncs a paid Slack organisation into a DuckDB file, reports on it,
// and acts on what it finds.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"slackaudit/actions"
	"slackaudit/extract/slackapi"
	"slackaudit/warehouse"
)

// defaultMemoryLimit is the soft limit on the Go heap when GOMEMLIMIT is
// unset: the garbage collector works harder as the heap nears it instead of
// letting it grow to twice what is live, which keeps a million-member sync
// (or demo) within about 1.5 GB. GOMEMLIMIT (e.g. 2GiB, or off) overrides it.
const defaultMemoryLimit = 1 << 30

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	// The one place signals are taken: run turns them into cancellation.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	os.Exit(run(context.Background(), os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv, now: time.Now, signals: signals, actClock: actions.RealClock{}, version: buildVersion(debug.ReadBuildInfo()),
		self: invocation(os.Args[0])}))
}

// buildVersion is slackaudit's version as the build recorded it: the
// module version, or for a build from a checkout ("(devel)") the commit it
// was built from; "" when the build recorded neither.
func buildVersion(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi == nil {
		return ""
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && s.Value != "" {
			return s.Value
		}
	}
	return bi.Main.Version
}

// env is what a command may touch of the outside world; tests supply their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time // the clock a sync's as_of comes from
	// signals are the process's SIGINT and SIGTERM; nil when nothing
	// signals (tests). See [env.watchSignals].
	signals <-chan os.Signal
	// http makes every Slack request; nil for slackapi's own client.
	http *http.Client
	// actClock paces notifications and stamps actions_log (the wall clock
	// when nil); notifyEvery is the pause between two messages to one
	// channel (Slack's one a second when zero). Tests shorten them.
	actClock    actions.Clock
	notifyEvery time.Duration
	// tune adjusts every Slack client's configuration; tests use it to turn
	// the client's own pacing off against a synthetic org without limits.
	tune func(*slackapi.Config)
	// red removes secrets from everything printed, logged or stored; run
	// creates it when nil, and a command reading a token adds the token.
	red *slackapi.Redactor
	// log writes through red to stderr; run sets it up from --verbose.
	log *slog.Logger
	// self is how the user runs slackaudit, for commands printed to type
	// next: "slackaudit" when empty (see [invocation]).
	self string
	// shellInterrupts, while the interactive shell runs, receives Ctrl-C
	// instead of it ending the command (see [env.takeInterrupts]).
	shellInterrupts *interrupts
	// version is slackaudit's version, recorded in export manifests; ""
	// when unknown.
	version string
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// flagError is a command line cobra could not parse, or with the wrong
// number of arguments: exit code 2, with the command's help.
type flagError struct{ err error }

func (f flagError) Error() string { return f.err.Error() }

// unknownCommandError names a command slackaudit does not have.
type unknownCommandError struct{ name string }

func (u unknownCommandError) Error() string { return fmt.Sprintf("unknown command %q", u.name) }

// errNoCommand is "slackaudit" alone: the command list, exit code 2.
var errNoCommand = errors.New("no command")

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// run runs the command line args and returns the exit code.
func run(ctx context.Context, args []string, e *env) int {
	if e.red == nil {
		e.red = &slackapi.Redactor{}
	}
	return e.execute(ctx, newRootCmd(e), args)
}

// execute runs args through the command tree root: every command's panic
// becomes an *internalError, and every error is reported once, redacted.
func (e *env) execute(ctx context.Context, root *cobra.Command, args []string) int {
	ctx, stop := e.watchSignals(ctx)
	defer stop()
	recoverPanics(root)
	root.SetArgs(append([]string{}, normaliseHelp(args)...)) // never nil: cobra would read os.Args
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	c, err := root.ExecuteContextC(ctx)
	return e.report(ctx, c, err)
}

// normaliseHelp reads -help as --help, as slackaudit always has.
func normaliseHelp(args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if a == "-help" {
			a = "--help"
		}
		out = append(out, a)
	}
	return out
}

// recoverPanics makes every command's panic an *internalError, so a bug is
// reported as a failure (exit 1), never as a usage error (exit 2, which is
// also what the Go runtime exits with on a crash).
func recoverPanics(c *cobra.Command) {
	if runE := c.RunE; runE != nil {
		c.RunE = func(cmd *cobra.Command, args []string) (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = &internalError{value: p, stack: debug.Stack()}
				}
			}()
			return runE(cmd, args)
		}
	}
	for _, sub := range c.Commands() {
		recoverPanics(sub)
	}
}

// internalError is a panic recovered from a command.
type internalError struct {
	value any
	stack []byte
}

func (ie *internalError) Error() string { return fmt.Sprintf("internal error: %v", ie.value) }

// report prints a command's error, redacted, and returns the exit code.
func (e *env) report(ctx context.Context, c *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	name := commandName(c)
	who := "slackaudit " + name
	if !c.HasParent() {
		who = "slackaudit"
	}
	msg := e.red.Error(err)
	var ie *internalError
	var ue usageError
	var fe flagError
	var uc unknownCommandError
	switch {
	case errors.Is(err, errNoCommand):
		return exitUsage
	case errors.As(err, &uc):
		fmt.Fprintf(e.stderr, "slackaudit: %s\n\n", msg)
		printMainHelp(e.stderr, c.Root())
		return exitUsage
	case errors.As(err, &fe):
		fmt.Fprintf(e.stderr, "%s: %s\n\n", who, msg)
		printHelp(e.stderr, c)
		return exitUsage
	case errors.As(err, &ie):
		fmt.Fprintf(e.stderr, "%s: %s\nThis is a bug in slackaudit; please report it with the lines below.\n%s",
			who, msg, e.red.String(string(ie.stack)))
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "%s: %s\nRun '%s --help' for usage.\n", who, msg, who)
		return exitUsage
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintf(e.stderr, "%s: interrupted\n", who)
	default:
		fmt.Fprintf(e.stderr, "%s: %s\n", who, msg)
	}
	return exitFailure
}

// commandName is c's path below the root: "sync", "completion".
func commandName(c *cobra.Command) string {
	if !c.HasParent() {
		return c.Name()
	}
	return strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ")
}

// redact removes every secret the command knows of from s.
func (e *env) redact(s string) string { return e.red.String(s) }

// openWarehouse opens the warehouse at path with the command's redactor, so
// nothing it stores about a run or an action keeps a secret.
func (e *env) openWarehouse(ctx context.Context, path string, opts warehouse.Options) (*warehouse.DB, error) {
	opts.Redact = e.red.String
	return warehouse.Open(ctx, path, opts)
}
