package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeExamplesParse reads every slackaudit command line in the
// README's sh and cron blocks and in its inline code, and parses each
// against the command tree: the command exists, its flags are known and
// take their values, it has the number of arguments it takes, and a first
// argument the command names (act's actions) is one it has.
func TestReadmeExamplesParse(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	lines := readmeCommandLines(string(b))
	require.Greater(t, len(lines), 30, "the README's examples were found")
	t.Logf("%d command lines", len(lines))
	for _, line := range lines {
		for _, args := range slackauditInvocations(t, line) {
			root := newRootCmd(&env{stdout: os.Stdout, stderr: os.Stderr})
			c, rest, err := root.Find(args)
			if !assert.NoError(t, err, line) || !assert.NotSame(t, root, c, "%s: no command", line) {
				continue
			}
			if !assert.NoError(t, c.ParseFlags(rest), line) {
				continue
			}
			pos := c.Flags().Args()
			assert.NoError(t, c.ValidateArgs(pos), line)
			if len(c.ValidArgs) > 0 && len(pos) > 0 {
				assert.Contains(t, c.ValidArgs, pos[0], line)
			}
		}
	}
}

// inlineCommand is a command line in inline code; a bare command name
// ("`slackaudit act` reclaims the seats") is prose, not an example.
var inlineCommand = regexp.MustCompile("`((?:go run -tags duckdb_arrow ./cmd/)?slackaudit [a-z]+ [^`]+)`")

// readmeCommandLines returns the lines of the README's sh and cron blocks
// (a line ending in a backslash joined to the next) and its inline code
// that runs slackaudit, leaving out synopses ("[--db PATH]").
func readmeCommandLines(readme string) []string {
	var out []string
	in := false
	pending := ""
	for _, l := range strings.Split(readme, "\n") {
		switch {
		case strings.HasPrefix(l, "```sh"), strings.HasPrefix(l, "```cron"):
			in = true
			continue
		case strings.HasPrefix(l, "```"):
			in = false
			continue
		}
		if !in {
			for _, m := range inlineCommand.FindAllStringSubmatch(l, -1) {
				out = append(out, m[1])
			}
			continue
		}
		if s, ok := strings.CutSuffix(l, `\`); ok {
			pending += s
			continue
		}
		l, pending = pending+l, ""
		if strings.Contains(l, "slackaudit ") && !strings.Contains(l, "[--") {
			out = append(out, l)
		}
	}
	return out
}

// slackauditInvocations splits a shell line into words (quotes kept
// together, a comment dropped) and returns the arguments of each slackaudit
// it runs, up to the next pipe, redirection or &&.
func slackauditInvocations(t *testing.T, line string) [][]string {
	words := shellWords(t, line)
	var out [][]string
	for i := 0; i < len(words); i++ {
		if words[i] != "slackaudit" && !strings.HasSuffix(words[i], "/cmd/slackaudit") {
			continue
		}
		end := slices.IndexFunc(words[i+1:], func(w string) bool {
			return w == "|" || w == "&&" || w == ">" || w == "<" || w == "#"
		})
		if end < 0 {
			end = len(words) - i - 1
		}
		out = append(out, words[i+1:i+1+end])
		i += end
	}
	return out
}

// shellWords splits a line as sh does for these examples: words at spaces,
// single and double quotes grouping, # starting a comment.
func shellWords(t *testing.T, line string) []string {
	var words []string
	var cur strings.Builder
	quote, inWord := rune(0), false
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words, inWord = append(words, cur.String()), false
				cur.Reset()
			}
		case r == '#' && !inWord:
			return append(words, "#")
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	require.Zero(t, quote, "unbalanced quote in %q", line)
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
