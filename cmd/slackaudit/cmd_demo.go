package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
	"slackaudit/pipeline"
	"slackaudit/queries"
	"slackaudit/queries/report"
	"slackaudit/queries/shell"
	"slackaudit/warehouse"
)

type demoFlags struct {
	members int
	seed    int64
	plan    string
	serve   bool
	html    string
	prices  []string
}

// demoPlans are the plans the synthetic organisation can have.
var demoPlans = []string{slacktest.PlanPro, slacktest.PlanBusiness, slacktest.PlanEnterprise, slacktest.PlanFree}

// demoTimeScale runs the synthetic org's rate-limit windows 100 times faster
// than Slack's, and the client's waits with them.
const demoTimeScale = 0.01

// demoDB is where the demo's warehouse goes unless --db says otherwise.
const demoDB = "slackaudit-demo.duckdb"

// demoLong and demoExamples are demo's help.
const (
	demoLong = `
Starts a synthetic Slack organisation on 127.0.0.1 — a real HTTP server
speaking Slack's Web API, with paging, rate limits and plan rules — then runs
the real sync against it and prints the licence report. Nothing leaves the
machine and no Slack token is needed. Explore the result afterwards with
'slackaudit query --db PATH'. With --html FILE it also writes the report as a
web page with charts.

Enterprise Grid is priced by contract, so the Grid demo shows no money until
--price gives a seat price: --plan enterprise --price enterprise=15.

With --serve the organisation keeps serving after the report, until Ctrl-C,
and a token for it (with the scopes act and notify need) is written to a
file only you can read: try act, notify and a second sync against it, and
see the change.`
	demoExamples = `  slackaudit demo
  slackaudit demo --members 20000 --seed 7 --db /tmp/demo.duckdb
  slackaudit demo --plan enterprise --price enterprise=15 --html report.html
  slackaudit demo --serve`
)

func newDemoCmd(e *env, g *persistent) *cobra.Command {
	f := &demoFlags{}
	c := &cobra.Command{
		Use:         "demo [--db PATH] [--members N] [--seed S] [--plan CODE] [--price PLAN=AMOUNT] [--html FILE] [--serve]",
		Short:       "sync a synthetic Slack organisation served on loopback and show what slackaudit finds",
		Long:        demoLong,
		Example:     demoExamples,
		Args:        exactArgs(0),
		Annotations: map[string]string{annWarehouse: demoDB},
		RunE:        func(cmd *cobra.Command, _ []string) error { return runDemo(cmd.Context(), e, g, f) },
	}
	fs := c.Flags()
	fs.IntVar(&f.members, "members", 1000, "accounts in the synthetic organisation")
	// --users was the flag's name; it now names target people (act, notify).
	fs.IntVar(&f.members, "users", 1000, "accounts in the synthetic organisation")
	fs.MarkDeprecated("users", "use --members instead")
	fs.Int64Var(&f.seed, "seed", 1, "seed for the synthetic organisation (same seed, same org)")
	fs.BoolVar(&f.serve, "serve", false, "keep the organisation serving after the report, until Ctrl-C, with a token for act and notify in a file")
	fs.StringVar(&f.plan, "plan", slacktest.PlanBusiness, "Slack plan `CODE` of the synthetic org: std (Pro), plus (Business+), enterprise (Grid, 3 workspaces, synced with an org-level token), free")
	fs.StringVar(&f.html, "html", "", "also write the report as a web page with charts to `FILE`")
	pricesFlag(fs, &f.prices)
	return c
}

// runDemo serves the synthetic organisation, syncs it and prints the report.
func runDemo(ctx context.Context, e *env, g *persistent, f *demoFlags) error {
	if f.members < 2 || f.members > 1_000_000 {
		return usagef("--members must be between 2 and 1000000")
	}
	if !slices.Contains(demoPlans, f.plan) {
		return usagef("--plan %q: the synthetic organisation's plan is one of %s", f.plan, strings.Join(demoPlans, ", "))
	}
	prices, err := demoPrices(f.prices)
	if err != nil {
		return err
	}
	now := e.now().UTC().Truncate(time.Hour)
	org, tok := demoOrg(f, now)
	e.red.Add(tok.Value)
	srv := slacktest.NewServer(org, slacktest.WithTimeScale(demoTimeScale), slacktest.WithToken(tok))
	defer srv.Close()
	fmt.Fprintf(e.stdout, "Synthetic Slack organisation %q (%s, %d accounts, seed %d) serving at %s\n\n",
		org.Name, slackapi.ParsePlan(org.Plan).Title(), len(org.Users), f.seed, srv.URL())
	client, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: tok.Value, TimeScale: demoTimeScale, HTTPClient: e.http, Logger: e.log})
	if err != nil {
		return err
	}
	db, err := e.openWarehouse(ctx, g.db, warehouse.Options{Tables: pipeline.Tables()})
	if err != nil {
		return err
	}
	defer db.Close()
	if f.html != "" {
		if err := db.CheckOutput(f.html); err != nil {
			return usagef("--html: %v", err)
		}
	}
	res, err := runSync(ctx, pipeline.Options{Client: client, DB: db, AsOf: now, Logger: e.log, Progress: newProgress(e.progress()), Prices: prices})
	if err != nil {
		return err
	}
	if err := demoReport(ctx, e, f, db, res); err != nil {
		return err
	}
	if !f.serve {
		return nil
	}
	db.Close() // act and sync in other processes write to it
	return serveDemo(ctx, e, srv, tok.Value, db.Path())
}

// demoReport prints the sync's summary, the report and how to explore it,
// and writes the HTML report when --html asks for it. What was not synced
// is listed once, with the sync's summary.
func demoReport(ctx context.Context, e *env, f *demoFlags, db *warehouse.DB, res *pipeline.Result) error {
	printSyncSummary(e.red.Writer(e.stdout), res, db.Path())
	fmt.Fprintln(e.stdout)
	r, err := readReport(ctx, db.SQL(), 10)
	if err != nil {
		return err
	}
	text := *r
	text.Gaps = nil // the summary above listed them
	if err := report.RenderText(e.stdout, &text, queries.Table, shell.TerminalWidth(e.stdout, e.getenv)); err != nil {
		return err
	}
	if f.html != "" {
		if err := writeFileAtomic(f.html, func(w io.Writer) error { return report.RenderHTML(w, r) }); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "HTML report: %s\n", f.html)
	}
	self := e.program()
	fmt.Fprintf(e.stdout, "Explore it:\n  %[2]s query --db %[1]s --named inactive_paid_seats\n  %[2]s shell --db %[1]s\n", db.Path(), self)
	return nil
}

// demoOrg is the synthetic organisation the flags ask for, and a token for
// the sync (and, with --serve, for act and notify).
func demoOrg(f *demoFlags, now time.Time) (*slacktest.Org, slacktest.Token) {
	cfg := slacktest.Config{Seed: f.seed, Users: f.members, Plan: f.plan, Now: now, AppsPerWorkspace: 45}
	if f.plan == slacktest.PlanEnterprise {
		cfg.Workspaces = 3
	}
	org := slacktest.NewOrg(cfg)
	tok := org.AdminToken()
	if f.plan == slacktest.PlanEnterprise {
		// An org-level token: every workspace, org users, daily analytics.
		tok = org.OrgToken(append(slacktest.AdminScopes(), "admin.teams:read", "admin.users:read", "admin.analytics:read", "admin.apps:read")...)
	}
	if f.serve {
		// The same identity, with the write scopes act and notify use.
		if f.plan == slacktest.PlanEnterprise {
			tok = org.OrgToken(append(tok.Scopes, "admin.users:write", "usergroups:write")...)
		} else {
			tok = org.UserToken(tok.UserID, append(tok.Scopes, "usergroups:write", "chat:write")...)
		}
	}
	return org, tok
}

// serveDemo keeps the synthetic organisation serving until ctx ends, with
// its token in a file only the user can read, removed on the way out.
func serveDemo(ctx context.Context, e *env, srv *slacktest.Server, token, dbPath string) error {
	dir, err := os.MkdirTemp("", "slackaudit-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "token")
	if err := os.WriteFile(file, []byte(token+"\n"), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, `
The synthetic organisation keeps serving at %[1]s until Ctrl-C.
Its token is in %[2]s. In another terminal:
  export SLACKAUDIT_PERMISSION=act
  %[4]s act deactivate --api-url %[1]s --token-file %[2]s --db %[3]s --from-query inactive_paid_seats --param days=90 --max 500
  %[4]s act deactivate --api-url %[1]s --token-file %[2]s --db %[3]s --from-query inactive_paid_seats --param days=90 --max 500 --yes
  %[4]s sync --api-url %[1]s --token-file %[2]s --db %[3]s
  %[4]s query --db %[3]s --named recent_actions
`, srv.URL(), file, dbPath, e.program())
	<-ctx.Done()
	fmt.Fprintln(e.stdout, "Stopped serving.")
	return nil
}

// goRun is how a user who started slackaudit with go run runs it again.
const goRun = "go run -tags duckdb_arrow ./cmd/slackaudit"

// invocation is how to run slackaudit again, from the program's path
// (os.Args[0]): go run builds it into a temporary go-build folder, as
// …/go-build123/b001/exe/slackaudit, and a user who ran it so has no
// slackaudit binary.
func invocation(arg0 string) string {
	dir := filepath.Dir(arg0)
	if filepath.Base(dir) == "exe" && strings.HasPrefix(filepath.Base(filepath.Dir(filepath.Dir(dir))), "go-build") {
		return goRun
	}
	return "slackaudit"
}

// program is how the user runs slackaudit, for the commands the demo
// suggests.
func (e *env) program() string {
	if e.self == "" {
		return "slackaudit"
	}
	return e.self
}
