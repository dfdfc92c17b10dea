package main

import (
	"context"
	"database/sql"

	"github.com/spf13/cobra"

	"slackaudit/extract/slackapi"
	"slackaudit/queries"
	"slackaudit/queries/report"
	"slackaudit/warehouse"
)

type reportFlags struct {
	format string
	top    int
}

// reportLong and reportExamples are report's help.
const (
	reportLong = `
Reads the latest sync and reports, per billing account (the enterprise on
Enterprise Grid, the workspace elsewhere) and per workspace: seats by type,
how many seats Slack's billing flag calls billable against how many were used
within the inactivity window, the inactive paid seats with the longest unused
first, and what they cost per month and per year. Data sets the plan or token
could not read are listed at the end, with what would unlock them.

Formats: table (default, for people), box, markdown (for a ticket or a wiki),
json (for programs), csv (one long table: section, org_id, team_id, key, value).`
	reportExamples = `  slackaudit report
  slackaudit report --format markdown --top 25 > licences.md
  slackaudit report --format json | jq '.billing_accounts[].monthly_waste'`
)

func newReportCmd(e *env, g *persistent) *cobra.Command {
	f := &reportFlags{}
	c := &cobra.Command{
		Use:         "report [--db PATH] [--format table|markdown|json|csv] [--top N]",
		Short:       "the licence report: seats by type, what Slack bills against what activity says, and the money wasted",
		Long:        reportLong,
		Example:     reportExamples,
		Args:        exactArgs(0),
		Annotations: map[string]string{annWarehouse: warehouse.DefaultPath},
		RunE:        func(cmd *cobra.Command, _ []string) error { return f.run(cmd.Context(), e, g.db) },
	}
	formatFlag(c.Flags(), &f.format, "table")
	c.Flags().IntVar(&f.top, "top", 10, "inactive paid seats to list per billing account")
	return c
}

// run reads the report and renders it in the flags' format.
func (f *reportFlags) run(ctx context.Context, e *env, dbPath string) error {
	format, err := queries.ParseFormat(f.format)
	if err != nil || format == queries.JSONL || format == queries.Line {
		return usagef("--format %q: use table, box, markdown, json or csv", f.format)
	}
	if f.top < 0 {
		return usagef("--top must be 0 or more")
	}
	db, err := warehouse.Open(ctx, dbPath, warehouse.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := readReport(ctx, db.SQL(), f.top)
	if err != nil {
		return err
	}
	switch format {
	case queries.JSON:
		return report.RenderJSON(e.stdout, r)
	case queries.CSV:
		return report.RenderCSV(e.stdout, r)
	case queries.Markdown:
		return report.RenderMarkdown(e.stdout, r)
	}
	return report.RenderText(e.stdout, r, format)
}

// readReport reads the licence report from the latest sync, listing top
// inactive paid seats per billing account.
func readReport(ctx context.Context, db *sql.DB, top int) (*report.Report, error) {
	return report.Read(ctx, db, report.Options{Top: top, PlanTitle: planTitle})
}

// planTitle names a warehouse plan name (pro, business_plus …) as Slack's
// pricing page does.
func planTitle(plan string) string {
	p, _ := slackapi.ParsePlanName(plan)
	return p.Title()
}
