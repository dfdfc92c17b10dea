package main

import (
	"os"
	"strings"

	"github.com/spf13/pflag"

	"slackaudit/extract/slackapi"
)

// A list flag takes its items repeated (--skip a --skip b), comma separated
// (--skip a,b) or both; spaces around an item are dropped, and so are empty
// items. Every flag that takes several values is one.
type listValue struct {
	items *[]string
	// whole, when set, takes a value that satisfies it as one item even if
	// it holds commas: a folder whose name has a comma.
	whole func(string) bool
}

func (l listValue) Set(v string) error {
	if l.whole != nil && l.whole(v) {
		*l.items = append(*l.items, v)
		return nil
	}
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l.items = append(*l.items, s)
		}
	}
	return nil
}

func (l listValue) String() string { return strings.Join(*l.items, ",") }
func (l listValue) Type() string   { return "list" }

// listFlag adds a list flag to fs.
func listFlag(fs *pflag.FlagSet, p *[]string, name, usage string) {
	fs.Var(listValue{items: p}, name, usage+"; repeatable, or comma separated")
}

// folderListFlag adds a list flag of folders: a value naming an existing
// folder is taken whole, commas and all.
func folderListFlag(fs *pflag.FlagSet, p *[]string, name, usage string) {
	fs.Var(listValue{items: p, whole: isDir}, name, usage+"; repeatable, or comma separated")
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// A pairs flag takes NAME=VALUE pairs, repeated (--param a=1 --param b=2)
// or comma separated (--param a=1,b=2). A value is split at its commas only
// when every part holds '=', so --param note=a,b keeps the value "a,b".
type pairsValue struct{ items *[]string }

func (p pairsValue) Set(v string) error {
	parts := strings.Split(v, ",")
	for _, s := range parts {
		if !strings.Contains(s, "=") {
			*p.items = append(*p.items, v)
			return nil
		}
	}
	for _, s := range parts {
		*p.items = append(*p.items, strings.TrimSpace(s))
	}
	return nil
}

func (p pairsValue) String() string { return strings.Join(*p.items, ",") }
func (p pairsValue) Type() string   { return "pairs" }

// pairsFlag adds a NAME=VALUE pairs flag to fs.
func pairsFlag(fs *pflag.FlagSet, p *[]string, name, usage string) {
	fs.Var(pairsValue{items: p}, name, usage+"; repeatable, or comma separated (a value with a comma: give the pair alone)")
}

// The flags several commands take, declared here once each so that a flag
// name means one thing, with one help text, in every command.

func apiURLFlag(fs *pflag.FlagSet, p *string) {
	fs.StringVar(p, "api-url", slackapi.DefaultAPIURL, "Slack Web API base `URL` (a proxy, GovSlack's https://slack-gov.com/api/, or a test server)")
}

func tokenFileFlag(fs *pflag.FlagSet, p *string) {
	fs.StringVar(p, "token-file", "", "read the Slack token from this `FILE` instead of the SLACK_TOKEN environment variable")
}

func teamFlag(fs *pflag.FlagSet, p *string) {
	fs.StringVar(p, "team", "", "the workspace ID (`TEAM_ID`, T…) to work on: the one sync reads, or the one act's workspace actions "+
		"(and, with an org-level token, user group actions) change; default: the token's own workspace")
}

func formatFlag(fs *pflag.FlagSet, p *string, def string) {
	fs.StringVar(p, "format", def, "output `FORMAT`: one of the formats listed above")
}

func paramFlag(fs *pflag.FlagSet, p *[]string) {
	pairsFlag(fs, p, "param", "a parameter of the named query (--named, --from-query) as `NAME=VALUE`, e.g. days=90")
}

func allowFilesFlag(fs *pflag.FlagSet, p *[]string) {
	folderListFlag(fs, p, "allow-files", "let SQL statements read and write the files in this folder (`DIR`); none by default")
}
