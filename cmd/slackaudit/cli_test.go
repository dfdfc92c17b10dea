package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// commandNames are the commands slackaudit has, as the main help lists them.
var commandNames = []string{"act", "completion", "demo", "export", "notify", "query", "report", "shell", "sync"}

func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	c := newCLI(t, nil)
	for _, sh := range []string{"bash", "zsh", "fish"} {
		r := c.run("completion", sh)
		require.Equal(t, exitOK, r.code, "%s: %s", sh, r.stderr)
		assert.Greater(t, len(r.stdout), 1000, sh)
		assert.Contains(t, r.stdout, "slackaudit", sh)
		// Each script asks the binary what to offer: the commands, flags
		// and arguments come from the tree itself.
		assert.Contains(t, r.stdout, "__complete", sh)
	}
	r := c.run("completion", "tcsh")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `completion "tcsh": say bash, zsh or fish`)
	r = c.run("completion")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "wrong number of arguments")
	r = c.run("completion", "bash", "--db", "x.duckdb")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--db does not apply to completion")
}

// TestCompletionAnswers runs the requests the scripts make as the user
// presses Tab: the commands, a command's flags, act's actions.
func TestCompletionAnswers(t *testing.T) {
	t.Parallel()
	c := newCLI(t, nil)
	offered := func(args ...string) []string {
		r := c.run(append([]string{"__complete"}, args...)...)
		require.Equal(t, exitOK, r.code, r.stderr)
		var words []string
		for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			if !strings.HasPrefix(line, ":") { // the last line is the directive
				words = append(words, strings.SplitN(line, "\t", 2)[0])
			}
		}
		return words
	}
	assert.Subset(t, offered(""), commandNames)
	assert.Equal(t, []string{"sync"}, offered("sy"))
	assert.Subset(t, offered("act", ""), []string{"usergroup", "workspace", "deactivate", "reactivate"})
	assert.Subset(t, offered("sync", "--"), []string{"--db", "--skip", "--price", "--verbose", "--api-url"})
	demo := offered("demo", "--")
	assert.Contains(t, demo, "--members")
	assert.NotContains(t, demo, "--users", "the deprecated name is not offered")
	assert.Equal(t, []string{"bash", "fish", "zsh"}, sortedCopy(offered("completion", "")))
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func TestMainHelpListsEveryCommand(t *testing.T) {
	t.Parallel()
	r := newCLI(t, nil).run("help")
	require.Equal(t, exitOK, r.code)
	for _, name := range commandNames {
		assert.Regexp(t, `\n  `+name+` +\S`, r.stdout, name)
	}
	r = newCLI(t, nil).run("help", "export")
	require.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "Usage: slackaudit export --out DIR")
	r = newCLI(t, nil).run("-help")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "Commands:")
}

func TestDemoUsersIsADeprecatedNameForMembers(t *testing.T) {
	t.Parallel()
	c := newCLI(t, nil)
	r := c.run("demo", "--users", "1", "--db", tempDB(t))
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--users has been deprecated, use --members instead")
	assert.Contains(t, r.stderr, "--members must be between 2 and 1000000", "--users sets --members")

	r = c.run("demo", "--help")
	require.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "--members")
	assert.NotContains(t, r.stdout, "--users")
	assert.Regexp(t, `\(default\s+"slackaudit-demo\.duckdb"\)`, r.stdout, "demo's warehouse is its own")
}

// TestFlagNamesMeanOneThing walks the tree: a flag name has one type and one
// help text in every command, --db is declared once, and the commands that
// use no warehouse leave it out of their help.
func TestFlagNamesMeanOneThing(t *testing.T) {
	t.Parallel()
	root := newRootCmd(&env{stdout: os.Stdout, stderr: os.Stderr})
	type meaning struct{ typ, usage string }
	seen := map[string]meaning{}
	where := map[string]string{}
	for _, c := range root.Commands() {
		assert.Nil(t, c.LocalNonPersistentFlags().Lookup("db"), "%s declares its own --db", c.Name())
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Deprecated != "" {
				return
			}
			m := meaning{f.Value.Type(), f.Usage}
			if old, ok := seen[f.Name]; ok {
				assert.Equal(t, old, m, "--%s means one thing in %s and another in %s", f.Name, where[f.Name], c.Name())
				return
			}
			seen[f.Name], where[f.Name] = m, c.Name()
		})
		_, usesDB := c.Annotations[annWarehouse]
		help := strings.Builder{}
		printCommandHelp(&help, c)
		assert.Equal(t, usesDB, strings.Contains(help.String(), "--db"), "%s's help and --db", c.Name())
	}
	assert.Contains(t, seen, "users")
	assert.Equal(t, "list", seen["users"].typ, "--users is a list of people")
}

func TestListFlagsTakeRepeatsAndCommas(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "exports, 2026")
	require.NoError(t, os.Mkdir(dir, 0o700))
	var list, folders, pairs []string
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	listFlag(fs, &list, "skip", "data sets")
	folderListFlag(fs, &folders, "allow-files", "folders")
	pairsFlag(fs, &pairs, "param", "parameters")
	require.NoError(t, fs.Parse([]string{
		"--skip", "access_logs, app_events", "--skip", "user_groups", "--skip", ",",
		"--allow-files", dir, "--allow-files", "a,b",
		"--param", "days=90,dry_runs=true", "--param", "note=a,b", "--param", "x=1, y=2",
	}))
	assert.Equal(t, []string{"access_logs", "app_events", "user_groups"}, list)
	assert.Equal(t, []string{dir, "a", "b"}, folders, "an existing folder is one item, commas and all")
	assert.Equal(t, []string{"days=90", "dry_runs=true", "note=a,b", "x=1", "y=2"}, pairs,
		"a part without '=' keeps the value whole")
}

func TestListFlagsThroughTheCommands(t *testing.T) {
	t.Parallel()
	c := newCLI(t, map[string]string{"SLACK_TOKEN": "xoxp-never-sent-0000"})
	// Both spellings of a list reach the command: act names the second
	// and third email in its check of --email against the action.
	for _, args := range [][]string{
		{"act", "deactivate", "--users", "U1", "--email", "a@example.com,b@example.com"},
		{"act", "deactivate", "--users", "U1", "--email", "a@example.com", "--email", "b@example.com"},
	} {
		r := c.run(append(args, "--db", tempDB(t))...)
		assert.Equal(t, exitUsage, r.code, args)
		assert.Contains(t, r.stderr, "--email and --channels apply to act workspace invite only", args)
	}
	r := c.run("query", "--db", tempDB(t), "--named", "recent_actions", "--param", "days=7,nope=1")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `no parameter "nope"`, "both pairs of one --param reach the query")
}

func TestSignalsCancelTheCommand(t *testing.T) {
	t.Parallel()
	sigs := make(chan os.Signal, 1)
	e := &env{signals: sigs}
	ctx, stop := e.watchSignals(context.Background())
	defer stop()
	sigs <- os.Interrupt
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGINT did not cancel the command")
	}
	sigs <- syscall.SIGTERM // taken after the first, and harmless
}

func TestSignalsWhileTheShellTakesCtrlC(t *testing.T) {
	t.Parallel()
	sigs := make(chan os.Signal, 1)
	e := &env{signals: sigs}
	ctx, stop := e.watchSignals(context.Background())
	defer stop()
	intr := e.takeInterrupts()
	// A statement waits for Ctrl-C: it gets it, and the session goes on.
	// Until it waits, Ctrl-C is dropped: press it until it arrives.
	got := make(chan struct{})
	go func() { <-intr; close(got) }()
	deadline := time.After(10 * time.Second)
	for arrived := false; !arrived; {
		sigs <- os.Interrupt
		select {
		case <-got:
			arrived = true
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			t.Fatal("Ctrl-C did not reach the running statement")
		}
	}
	assert.NoError(t, ctx.Err(), "Ctrl-C does not end the session")
	// SIGTERM ends it.
	sigs <- syscall.SIGTERM
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGTERM did not end the session")
	}
}

// TestEveryCommandIsBuiltFresh: two trees share no flag values, so
// commands run in parallel do not see each other's flags.
func TestEveryCommandIsBuiltFresh(t *testing.T) {
	t.Parallel()
	a, b := newRootCmd(&env{stderr: os.Stderr}), newRootCmd(&env{stderr: os.Stderr})
	find := func(root *cobra.Command, name string) *cobra.Command {
		c, _, err := root.Find([]string{name})
		require.NoError(t, err)
		return c
	}
	require.NoError(t, find(a, "sync").Flags().Set("skip", "access_logs"))
	assert.Equal(t, "", find(b, "sync").Flags().Lookup("skip").Value.String())
	require.NoError(t, a.PersistentFlags().Set("db", "a.duckdb"))
	assert.Equal(t, "slackaudit.duckdb", b.PersistentFlags().Lookup("db").Value.String())
}

// TestEveryCommandsHelpAndUnknownFlag: every command's --help prints its
// usage line and examples, and an unknown flag is a usage error (exit 2)
// naming the flag and the command.
func TestEveryCommandsHelpAndUnknownFlag(t *testing.T) {
	t.Parallel()
	c := newCLI(t, nil)
	for _, name := range commandNames {
		r := c.run(name, "--help")
		assert.Equal(t, exitOK, r.code, name)
		assert.Contains(t, r.stdout, "Usage: slackaudit "+name, name)
		assert.Contains(t, r.stdout, "\nExamples:\n", name)
		assert.Empty(t, r.stderr, name)

		r = c.run(name, "--no-such-flag")
		assert.Equal(t, exitUsage, r.code, name)
		assert.Contains(t, r.stderr, "slackaudit "+name+": unknown flag: --no-such-flag", name)
	}
	r := c.run("act", "frobnicate", "--users", "U1")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `act "frobnicate": say usergroup, workspace, deactivate or reactivate`)
}
