package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse"
)

// persistent are the flags every command takes: --db and --verbose.
type persistent struct {
	db      string
	verbose bool
}

// annWarehouse, in a command's annotations, says it reads or writes the
// warehouse --db names, and its value is the command's default path.
// Commands without it refuse --db and leave it out of their help.
const annWarehouse = "slackaudit:warehouse"

// The help texts of the persistent flags.
const (
	helpDB      = "the warehouse `PATH`: a DuckDB file, created by the commands that write it"
	helpVerbose = "log retries, rate-limit waits and other progress notes to stderr"
)

// newRootCmd builds the command tree; e is what its commands touch of the
// outside world.
func newRootCmd(e *env) *cobra.Command {
	g := &persistent{}
	root := &cobra.Command{
		Use:               "slackaudit",
		Short:             "finds the Slack seats you pay for that nobody uses",
		SilenceErrors:     true,
		SilenceUsage:      true,
		Args:              unknownCommand,
		RunE:              func(c *cobra.Command, _ []string) error { printMainHelp(c.OutOrStdout(), c); return errNoCommand },
		PersistentPreRunE: func(c *cobra.Command, _ []string) error { return e.prepare(c, g) },
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.PersistentFlags().StringVar(&g.db, "db", warehouse.DefaultPath, helpDB)
	root.PersistentFlags().BoolVar(&g.verbose, "verbose", false, helpVerbose)
	root.SetHelpFunc(func(c *cobra.Command, _ []string) { printHelp(c.OutOrStdout(), c) })
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return flagError{err} })
	root.AddCommand(newActCmd(e, g), newDemoCmd(e, g), newExportCmd(e, g), newNotifyCmd(e, g), newQueryCmd(e, g),
		newReportCmd(e, g), newShellCmd(e, g), newSyncCmd(e, g), newCompletionCmd(root))
	for _, c := range root.Commands() {
		// pflag writes a deprecated flag's notice to the flag set's output.
		c.Flags().SetOutput(e.stderr)
	}
	return root
}

// unknownCommand is the root's argument check: any argument is a command
// slackaudit does not have.
func unknownCommand(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return unknownCommandError{args[0]}
	}
	return nil
}

// exactArgs and rangeArgs check a command's number of arguments.
func exactArgs(n int) cobra.PositionalArgs { return rangeArgs(n, n) }

func rangeArgs(lo, hi int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < lo || len(args) > hi {
			return flagError{fmt.Errorf("wrong number of arguments")}
		}
		return nil
	}
}

// prepare runs before every command: it sets up the log from --verbose,
// and checks, before any network call, the flags commands share by name:
// --db through warehouse.CheckPath, --api-url and --scim-url through
// slackapi.ValidateAPIURL.
func (e *env) prepare(c *cobra.Command, g *persistent) error {
	level := slog.LevelWarn
	if g.verbose {
		level = slog.LevelDebug
	}
	e.log = slog.New(slog.NewTextHandler(e.red.Writer(e.stderr), &slog.HandlerOptions{Level: level}))
	def, usesDB := c.Annotations[annWarehouse]
	switch {
	case !usesDB && c.Flags().Changed("db"):
		return usagef("--db does not apply to %s", commandName(c))
	case !usesDB:
	case !c.Flags().Changed("db"):
		g.db = def
		fallthrough
	default:
		if err := warehouse.CheckPath(g.db); err != nil {
			return usagef("--db: %v", err)
		}
	}
	for _, name := range []string{"scim-url", "api-url"} {
		f := c.Flags().Lookup(name)
		if f == nil || (name == "scim-url" && f.Value.String() == "") {
			continue
		}
		if err := slackapi.ValidateAPIURL(f.Value.String()); err != nil {
			return usagef("--%s: %v", name, err)
		}
	}
	return nil
}

// printMainHelp lists the commands.
func printMainHelp(w io.Writer, root *cobra.Command) {
	fmt.Fprint(w, `slackaudit finds the Slack seats you pay for that nobody uses.

Usage:
  slackaudit <command> [flags] [arguments]

Commands:
`)
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			fmt.Fprintf(w, "  %-10s %s\n", c.Name(), c.Short)
		}
	}
	fmt.Fprint(w, `
Run 'slackaudit <command> --help' for a command's flags and examples.
Exit codes: 0 success, 1 failure, 2 usage error.
`)
}

// printHelp is every command's --help: the root's lists the commands.
func printHelp(w io.Writer, c *cobra.Command) {
	if !c.HasParent() {
		printMainHelp(w, c)
		return
	}
	printCommandHelp(w, c)
}

// printCommandHelp prints a command's usage line, summary, description,
// examples and flags.
func printCommandHelp(w io.Writer, c *cobra.Command) {
	usage := strings.TrimPrefix(c.Use, c.Name())
	fmt.Fprintf(w, "Usage: slackaudit %s%s\n\n%s\n", commandName(c), usage, c.Short)
	if c.Long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.Long))
	}
	if c.Example != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", strings.TrimRight(c.Example, "\n"))
	}
	if flags := flagUsages(c); flags != "" {
		fmt.Fprintf(w, "\nFlags:\n%s", flags)
	}
}

// flagUsages lists c's flags, its own and the persistent ones, in one
// alphabetical list; --db shows the command's own default, and commands
// that use no warehouse leave it out.
func flagUsages(c *cobra.Command) string {
	fs := pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
	def, usesDB := c.Annotations[annWarehouse]
	add := func(f *pflag.Flag) {
		switch {
		case f.Hidden || f.Deprecated != "" || f.Name == "help" || fs.Lookup(f.Name) != nil:
		case f.Name == "db" && !usesDB:
		case f.Name == "db":
			shown := *f
			shown.DefValue = def
			fs.AddFlag(&shown)
		default:
			fs.AddFlag(f)
		}
	}
	c.NonInheritedFlags().VisitAll(add)
	c.InheritedFlags().VisitAll(add)
	return fs.FlagUsagesWrapped(110)
}
