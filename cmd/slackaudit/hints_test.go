package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// readmeMention is how the code points a user to a README section: the
// README's "Heading", or README.md#anchor.
var readmeMention = regexp.MustCompile(`README's "([^"]+)"|README(?:\.md)?#([a-z0-9-]+)`)

// TestReadmeSectionsTheCodeNamesExist: every README heading or anchor that
// a message or help text of the program names is one the README has.
func TestReadmeSectionsTheCodeNamesExist(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	headings, anchors := map[string]bool{}, map[string]bool{}
	for _, line := range strings.Split(string(readme), "\n") {
		if h, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " "); ok && strings.HasPrefix(line, "#") {
			headings[h] = true
			anchors[githubAnchor(h)] = true
		}
	}
	require.True(t, headings["1. Create the Slack app"], "the README's headings were read")
	mentions := 0
	for _, lit := range programStrings(t, "../..") {
		for _, m := range readmeMention.FindAllStringSubmatch(lit.text, -1) {
			mentions++
			if m[1] != "" {
				assert.True(t, headings[m[1]], "%s names the README's %q, which has no such heading", lit.where, m[1])
			} else {
				assert.True(t, anchors[m[2]], "%s links README.md#%s, which has no such heading", lit.where, m[2])
			}
		}
	}
	assert.Positive(t, mentions, "the code's README mentions were found")
}

// githubAnchor is the anchor GitHub gives a heading.
func githubAnchor(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}

type stringLit struct{ where, text string }

// programStrings are the string literals of the module's Go files other
// than tests.
func programStrings(t *testing.T, root string) []stringLit {
	t.Helper()
	var out []stringLit
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					out = append(out, stringLit{fset.Position(lit.Pos()).String(), s})
				}
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	return out
}

func TestGithubAnchor(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "1-create-the-slack-app", githubAnchor("1. Create the Slack app"))
	assert.Equal(t, "running-it-from-cron", githubAnchor("Running it from cron"))
}

// TestActWithoutTargetsAsksNothingOfSlack: act workspace remove without
// targets is a usage error before any plan or workspace is looked up.
func TestActWithoutTargetsAsksNothingOfSlack(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 3, Users: 20, Plan: slacktest.PlanEnterprise})
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok, "SLACKAUDIT_PERMISSION": "act"})
	r := c.run("act", "workspace", "remove", "--team", "T0NOSUCH", "--api-url", srv.URL(), "--db", tempDB(t))
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "say whom to act on")
	assert.Empty(t, srv.CallCounts(), "no Slack method was called")
}

// TestShellDoesNotCreateAMissingWarehouse: shell's help says what it does
// with a missing --db, and it does so.
func TestShellDoesNotCreateAMissingWarehouse(t *testing.T) {
	t.Parallel()
	c := newCLI(t, nil)
	r := c.run("shell", "--help")
	require.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "without --write a missing --db is an error and no\nfile is created")
	db := tempDB(t)
	r = c.runStdin("SELECT 1;\n", "shell", "--db", db)
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "no warehouse at "+db)
	assert.NoFileExists(t, db)
	r = c.runStdin("SELECT 1;\n", "shell", "--db", db, "--write")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.FileExists(t, db)
}
