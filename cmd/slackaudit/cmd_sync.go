package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"slackaudit/extract/slackapi"
	"slackaudit/pipeline"
	"slackaudit/queries/report"
	"slackaudit/transform"
	"slackaudit/warehouse"
)

// connFlags are the flags every command that talks to Slack shares.
type connFlags struct {
	apiURL    string
	team      string
	tokenFile string
}

func (c *connFlags) register(fs *pflag.FlagSet) {
	apiURLFlag(fs, &c.apiURL)
	teamFlag(fs, &c.team)
	tokenFileFlag(fs, &c.tokenFile)
}

// token reads the Slack token from --token-file or SLACK_TOKEN and adds it
// to the command's redactor.
func (c *connFlags) token(e *env) (string, error) {
	var tok string
	if c.tokenFile != "" {
		b, err := readTokenFile(e, c.tokenFile)
		if err != nil {
			return "", err
		}
		tok = strings.TrimSpace(string(b))
		if tok == "" {
			return "", fmt.Errorf("--token-file %s is empty: put the Slack app's user token (xoxp-…) in it", c.tokenFile)
		}
	} else {
		tok = strings.TrimSpace(e.getenv("SLACK_TOKEN"))
		if tok == "" {
			return "", usagef("no Slack token: set SLACK_TOKEN or pass --token-file FILE (see the README's \"1. Create the Slack app\")")
		}
	}
	e.red.Add(tok)
	if strings.ContainsAny(tok, " \t\r\n") {
		return "", errors.New("the Slack token contains spaces or line breaks: the token file should hold just the token")
	}
	return tok, nil
}

// maxTokenFile is the most a token file may hold; Slack tokens are under
// 300 bytes.
const maxTokenFile = 64 << 10

// readTokenFile reads --token-file. It refuses anything but a regular file
// (a folder, a fifo that would block, a device that never ends), and warns,
// as ssh does for keys, when other users can open the file.
func readTokenFile(e *env, path string) ([]byte, error) {
	// O_NONBLOCK: opening a fifo must not wait for a writer.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("reading --token-file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("reading --token-file: %w", err)
	}
	if !st.Mode().IsRegular() {
		kind := "a folder"
		if !st.IsDir() {
			kind = "not a regular file (" + st.Mode().Type().String() + ")"
		}
		return nil, usagef("--token-file %s is %s: put the token alone in a file only you can read (chmod 600)", path, kind)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		fmt.Fprintf(e.stderr, "slackaudit: warning: --token-file %s is open to other users (permissions %04o): run chmod 600 %s\n", path, perm, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading --token-file: %w", err)
	}
	if len(b) > maxTokenFile {
		return nil, usagef("--token-file %s is larger than 64 KiB, too large to hold a token: it should hold just the token", path)
	}
	return b, nil
}

type syncFlags struct {
	conn          connFlags
	mode          string
	since         string
	inactiveAfter string
	prices        []string
	pricesFile    string
	currency      string
	cycle         string
	skip          []string
	allowShrink   bool
}

// register adds the flags that shape a sync.
func (f *syncFlags) register(fs *pflag.FlagSet) {
	f.conn.register(fs)
	fs.StringVar(&f.mode, "mode", "", "connection `MODE`: pro, business_plus, grid_workspace or grid_org (default: detected from the token and plan)")
	fs.StringVar(&f.since, "since", "90d", "how far back to read daily member analytics (Enterprise Grid): a number of days (90d) or a date (2026-09-01); sign-in logs are always read in full")
	fs.StringVar(&f.inactiveAfter, "inactive-after", "28d", "a paid seat unused this long is inactive: Slack's Fair Billing window (28d since 2023; the older rule was 14d)")
	pairsFlag(fs, &f.prices, "price", "seat price per month for a plan, `PLAN=AMOUNT`, e.g. --price business_plus=12.50,enterprise=20; plans: "+strings.Join(transform.Plans(), ", "))
	fs.StringVar(&f.pricesFile, "prices", "", "read seat prices from `FILE`: lines of PLAN=AMOUNT, currency=EUR, cycle=annual")
	fs.StringVar(&f.currency, "currency", "", "currency of the prices (default USD, or the prices file's)")
	listFlag(fs, &f.skip, "skip", "data sets not to read this time (e.g. access_logs for a very long sign-in log)")
	fs.StringVar(&f.cycle, "billing-cycle", transform.CycleMonthly, "which list prices to default to: monthly or annual billing")
	fs.BoolVar(&f.allowShrink, "allow-shrink", false, "land the sync even if a billing account's member count fell by more than half since the last successful sync (refused by default: a member list Slack cut short looks the same)")
}

// options turns the flags into a sync's options; the caller adds the
// client, the warehouse and what else it wires in.
func (f *syncFlags) options(now time.Time) (pipeline.Options, error) {
	o := pipeline.Options{Team: f.conn.team, AllowShrink: f.allowShrink}
	if f.mode != "" {
		m, err := pipeline.ParseMode(f.mode)
		if err != nil {
			return o, usagef("--%v", err) // --mode "x": use one of …
		}
		o.Mode = m
	}
	w, err := parseSince(f.since, now)
	if err != nil {
		return o, err
	}
	o.Window = w
	days, ok := strings.CutSuffix(f.inactiveAfter, "d")
	n, err := strconv.Atoi(days)
	if !ok || err != nil || n < 1 || n > 365 {
		return o, usagef("--inactive-after %q: give a number of days, like 28d (Slack's Fair Billing rule) or 14d (the older rule)", f.inactiveAfter)
	}
	o.InactiveAfter = time.Duration(n) * 24 * time.Hour
	if len(f.skip) > 0 {
		o.Skip = map[string]bool{}
		for _, name := range f.skip {
			o.Skip[name] = true
		}
	}
	if o.Prices, err = transform.DefaultPrices(f.cycle); err != nil {
		return o, usagef("--billing-cycle: %v", err)
	}
	if f.pricesFile != "" {
		file, err := os.Open(f.pricesFile)
		if err != nil {
			return o, fmt.Errorf("reading --prices: %w", err)
		}
		defer file.Close()
		if err := o.Prices.ReadFile(file, f.pricesFile); err != nil {
			return o, usagef("--prices: %v", err)
		}
	}
	for _, kv := range f.prices {
		if err := setPrice(&o.Prices, kv); err != nil {
			return o, usagef("--price: %v", err)
		}
	}
	if f.currency != "" {
		if o.Prices.Currency, err = currencyCode("--currency", f.currency); err != nil {
			return o, err
		}
	}
	return o, nil
}

// parseSince reads --since: "90d" or a date.
func parseSince(s string, now time.Time) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 1 || days > 400 {
			return 0, usagef("--since %q: give a number of days from 1 to 400, like 90d, or a date, like 2026-09-01", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || !t.Before(now) || now.Sub(t) > 400*24*time.Hour {
		return 0, usagef("--since %q: give a date in the last 400 days, like 2026-09-01, or a number of days, like 90d", s)
	}
	return now.Sub(t), nil
}

// syncLong and syncExamples are sync's help.
const (
	syncLong = `
Reads the workspace's members, Slack's billing flags, the plan, sign-ins and,
on Enterprise Grid with an org-level token, every workspace, the org's people
and daily member analytics; computes each person's last use and usage
frequency; and lands it all in the warehouse as one snapshot. A sync that
fails or is interrupted leaves the previous snapshot whole and records why in
sync_runs. Data sets the plan or token cannot read are skipped and listed,
with what would unlock them, at the end and in source_status.

Modes (detected unless --mode is given; a --mode that contradicts Slack is an
error): pro and business_plus (a workspace token), grid_workspace (a token
installed on one workspace of an Enterprise Grid org), grid_org (an org-level
token installed on the whole Enterprise Grid organisation).

The token comes from SLACK_TOKEN, or from --token-file. It is never printed,
logged or stored.`
	syncExamples = `  SLACK_TOKEN=xoxp-… slackaudit sync
  slackaudit sync --token-file ~/.config/slackaudit/token --db /var/lib/slackaudit/acme.duckdb
  slackaudit sync --api-url https://slack-gov.com/api/
  slackaudit sync --mode grid_org --since 180d   # an org-level token: every workspace
  slackaudit sync --skip access_logs,app_events --price business_plus=12.50`
)

func newSyncCmd(e *env, g *persistent) *cobra.Command {
	f := &syncFlags{}
	c := &cobra.Command{
		Use:         "sync [--db PATH] [--api-url URL] [--team TEAM_ID] [--token-file FILE] [--mode MODE] [--since 90d] [--inactive-after 28d] [--price PLAN=AMOUNT]",
		Short:       "read the Slack organisation into the warehouse as a new snapshot",
		Long:        syncLong,
		Example:     syncExamples,
		Args:        exactArgs(0),
		Annotations: map[string]string{annWarehouse: warehouse.DefaultPath},
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			now := e.now()
			o, err := f.options(now)
			if err != nil {
				return err
			}
			tok, err := f.conn.token(e)
			if err != nil {
				return err
			}
			client, err := e.newClient(f.conn.apiURL, tok)
			if err != nil {
				return err
			}
			db, err := e.openWarehouse(ctx, g.db, warehouse.Options{Tables: pipeline.Tables()})
			if err != nil {
				return err
			}
			defer db.Close()
			o.Client, o.DB, o.AsOf = client, db, now
			o.Logger, o.Progress = e.log, newProgress(e.progress())
			res, err := runSync(ctx, o)
			if err != nil {
				return err
			}
			res.WriteSummary(e.red.Writer(e.stdout), db.Path(), g.verbose, report.WriteGaps)
			return nil
		},
	}
	f.register(c.Flags())
	return c
}

// newClient returns a Slack client for the command line's --api-url and token.
// The URL is checked before the client exists, so no call is made to one
// that cannot be right; a token about to travel unencrypted is warned about.
func (e *env) newClient(apiURL, token string) (*slackapi.Client, error) {
	if err := slackapi.ValidateAPIURL(apiURL); err != nil {
		return nil, usagef("--api-url: %v", err)
	}
	if slackapi.IsCleartext(apiURL) {
		fmt.Fprintf(e.stderr, "slackaudit: warning: --api-url %s is plain http to another machine: the token travels unencrypted\n", e.red.String(apiURL))
	}
	cfg := slackapi.Config{APIURL: apiURL, Token: token, HTTPClient: e.http, Logger: e.log}
	if e.tune != nil {
		e.tune(&cfg)
	}
	c, err := slackapi.New(cfg)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return c, nil
}

// progress is where a sync's live progress goes: stderr through the
// redactor when it is a terminal, else nowhere.
func (e *env) progress() io.Writer {
	if w := terminal(e.stderr); w != nil {
		return e.red.Writer(w)
	}
	return nil
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

// runSync runs a sync and turns what goes wrong into the command line's
// terms: a panic is an internal error (exit 1, with the stack), an option
// that cannot be right a usage error (exit 2).
func runSync(ctx context.Context, o pipeline.Options) (*pipeline.Result, error) {
	res, err := pipeline.Run(ctx, o)
	return res, syncError(err)
}

// syncError is err from pipeline.Run as the command reports it.
func syncError(err error) error {
	var pe *pipeline.PanicError
	var oe *pipeline.OptionError
	switch {
	case errors.As(err, &pe):
		return &internalError{value: pe.Value, stack: pe.Stack}
	case errors.As(err, &oe):
		return usageError{oe.Msg}
	}
	return err
}

// newProgress is a sync's progress line on w (a terminal), or nowhere when
// w is nil.
func newProgress(w io.Writer) *pipeline.TerminalProgress { return pipeline.NewTerminalProgress(w) }

// printSyncSummary prints what a sync did (the shell's .sync and demo; sync
// adds the floor line with --verbose).
func printSyncSummary(w io.Writer, r *pipeline.Result, path string) {
	r.WriteSummary(w, path, false, report.WriteGaps)
}
