package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"slackaudit/extract"
	"slackaudit/warehouse"
)

// connFlags are the flags every command that talks to Slack shares.
type connFlags struct {
	db        string
	apiURL    string
	team      string
	tokenFile string
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.db, "db", warehouse.DefaultPath, "warehouse file (DuckDB); created if missing")
	fs.StringVar(&c.apiURL, "api-url", extract.DefaultAPIURL, "Slack Web API base URL (a proxy, GovSlack's https://slack-gov.com/api/, or a test server)")
	fs.StringVar(&c.team, "team", "", "workspace ID (T…) to sync; default: the token's own workspace")
	fs.StringVar(&c.tokenFile, "token-file", "", "read the Slack token from this file instead of the SLACK_TOKEN environment variable")
}

// token reads the Slack token from --token-file or SLACK_TOKEN and remembers
// it for redaction.
func (c *connFlags) token(e *env) (string, error) {
	var tok string
	if c.tokenFile != "" {
		b, err := os.ReadFile(c.tokenFile)
		if err != nil {
			return "", fmt.Errorf("reading --token-file: %w", err)
		}
		tok = strings.TrimSpace(string(b))
		if tok == "" {
			return "", fmt.Errorf("--token-file %s is empty: put the Slack app's user token (xoxp-…) in it", c.tokenFile)
		}
	} else {
		tok = strings.TrimSpace(e.getenv("SLACK_TOKEN"))
		if tok == "" {
			return "", usagef("no Slack token: set SLACK_TOKEN or pass --token-file FILE (see the README's \"Creating the Slack app\")")
		}
	}
	if strings.ContainsAny(tok, " \t\r\n") {
		return "", errors.New("the Slack token contains spaces or line breaks: the token file should hold just the token")
	}
	e.secrets = append(e.secrets, tok)
	return tok, nil
}

type syncFlags struct {
	conn connFlags
}

func init() {
	register(&command{
		name:  "sync",
		usage: "[--db PATH] [--api-url URL] [--team TEAM_ID] [--token-file FILE]",
		short: "read the Slack organisation into the warehouse as a new snapshot",
		long: `
Reads the workspace's members, Slack's billing flags and the plan, and lands
them in the warehouse as one snapshot. A sync that fails or is interrupted
leaves the previous snapshot whole and records why in sync_runs.

The token comes from SLACK_TOKEN, or from --token-file. It is never printed,
logged or stored.

Examples:
  SLACK_TOKEN=xoxp-… slackaudit sync
  slackaudit sync --token-file ~/.config/slackaudit/token --db /var/lib/slackaudit/acme.duckdb
  slackaudit sync --api-url https://slack-gov.com/api/`,
		flags: func(fs *flag.FlagSet) any {
			f := &syncFlags{}
			f.conn.register(fs)
			return f
		},
		run: func(ctx context.Context, e *env, opts any, _ []string) error {
			f := opts.(*syncFlags)
			tok, err := f.conn.token(e)
			if err != nil {
				return err
			}
			client, err := extract.New(extract.Config{APIURL: f.conn.apiURL, Token: tok})
			if err != nil {
				return usagef("%v", err)
			}
			db, err := warehouse.Open(ctx, f.conn.db, warehouse.Options{})
			if err != nil {
				return err
			}
			defer db.Close()
			res, err := syncOrg(ctx, db, client, syncOptions{teamID: f.conn.team, progress: terminal(e.stderr)})
			if err != nil {
				return err
			}
			printSyncSummary(e.stdout, res, db.Path())
			return nil
		},
		maxArgs: 0,
	})
}

// terminal returns w if it is a terminal, for progress output, else nil.
func terminal(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return w
}

func printSyncSummary(w io.Writer, r *syncResult, path string) {
	ws := r.workspace
	fmt.Fprintf(w, "Synced %s (%s, %s) as of %s — run %d in %s\n", ws.Name, ws.TeamID, extract.PlanTitle(ws.PlanCode),
		r.asOf.Format("2006-01-02 15:04:05Z"), r.runID, r.elapsed.Round(time.Millisecond))
	nameW, numW := 0, 0
	for _, t := range r.tables {
		nameW, numW = max(nameW, len(t.table)), max(numW, len(thousands(t.rows)))
	}
	for _, t := range r.tables {
		fmt.Fprintf(w, "  %-*s %*s rows\n", nameW, t.table, numW, thousands(t.rows))
	}
	fmt.Fprintf(w, "API calls: %d (%s)\n", r.calls, r.byMethod)
	for _, s := range r.status {
		if s.Status != "ok" {
			fmt.Fprintf(w, "Not synced: %s — %s\n", s.Source, s.Reason)
		}
	}
	fmt.Fprintf(w, "Warehouse: %s\n", path)
}
