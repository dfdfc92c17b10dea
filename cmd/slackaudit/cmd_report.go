package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"slackaudit/extract/slackapi"
	"slackaudit/queries"
	"slackaudit/queries/report"
	"slackaudit/queries/shell"
	"slackaudit/warehouse"
)

type reportFlags struct {
	format string
	top    int
	out    string
	prices priceFlags
}

// formatHTML is report's web page format, which only report writes.
const formatHTML = "html"

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
json (for programs), csv (one long table: section, org_id, team_id, key, value),
html (one self-contained page with charts, to open in a browser, print on A4
or mail: it loads nothing from the network). The HTML page is not written to
a terminal: give --output FILE or redirect the output to a file.

Prices and the inactivity window are the sync's unless given here: any of
--price, --prices, --currency or --billing-cycle prices the seats afresh
(Slack's list prices for the billing cycle, then the prices file, then
--price), and --inactive-after recounts the inactive seats over another
window, all from the warehouse, without a new sync. Earlier syncs in the
waste trend keep the window they were synced with.`
	reportExamples = `  slackaudit report
  slackaudit report --format markdown --top 25 > licences.md
  slackaudit report --format json | jq '.billing_accounts[].monthly_waste'
  slackaudit report --format html --output report.html
  slackaudit report --price business_plus=12.50 --currency EUR --inactive-after 60d`
)

func newReportCmd(e *env, g *persistent) *cobra.Command {
	f := &reportFlags{}
	c := &cobra.Command{
		Use:         "report [--db PATH] [--format table|markdown|json|csv|html] [--top N] [--output FILE] [--price PLAN=AMOUNT] [--inactive-after 28d]",
		Short:       "the licence report: seats by type, what Slack bills against what activity says, and the money wasted",
		Long:        reportLong,
		Example:     reportExamples,
		Args:        exactArgs(0),
		Annotations: map[string]string{annWarehouse: warehouse.DefaultPath},
	}
	c.RunE = func(cmd *cobra.Command, _ []string) error {
		o, err := f.options(c.Flags())
		if err != nil {
			return err
		}
		return f.run(cmd.Context(), e, g.db, o)
	}
	formatFlag(c.Flags(), &f.format, "table")
	c.Flags().IntVar(&f.top, "top", 10, "inactive paid seats to list per billing account")
	c.Flags().StringVarP(&f.out, "output", "o", "", "write the report to `FILE` instead of the standard output (replaced if it exists)")
	f.prices.register(c.Flags())
	return c
}

// options are the report's options the flags give.
func (f *reportFlags) options(fs *pflag.FlagSet) (report.Options, error) {
	o := report.Options{Top: f.top, PlanTitle: planTitle}
	if f.top < 0 {
		return o, usagef("--top must be 0 or more")
	}
	var err error
	if f.prices.priced(fs) {
		if o.Pricing, err = f.prices.pricing(); err != nil {
			return o, err
		}
	}
	o.InactiveAfterDays, err = f.prices.window()
	return o, err
}

// run reads the report and renders it in the flags' format, to --output or
// the standard output.
func (f *reportFlags) run(ctx context.Context, e *env, dbPath string, o report.Options) error {
	render, err := f.renderer(e)
	if err != nil {
		return err
	}
	db, err := warehouse.Open(ctx, dbPath, warehouse.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	if f.out != "" {
		if err := db.CheckOutput(f.out); err != nil {
			return usagef("--output: %v", err)
		}
	}
	r, err := report.Read(ctx, db.SQL(), o)
	if err != nil {
		return err
	}
	if f.out == "" {
		return render(e.stdout, r)
	}
	return writeFileAtomic(f.out, func(w io.Writer) error { return render(w, r) })
}

// renderer is the render function of the flags' format; the HTML page is
// refused on a terminal, where it would be a screenful of markup.
func (f *reportFlags) renderer(e *env) (func(io.Writer, *report.Report) error, error) {
	if f.format == formatHTML {
		if f.out == "" && terminal(e.stdout) != nil {
			return nil, usagef("--format html writes a web page, not text for a terminal: give --output report.html, " +
				"or redirect it: slackaudit report --format html > report.html")
		}
		return report.RenderHTML, nil
	}
	format, err := queries.ParseFormat(f.format)
	if err != nil || format == queries.JSONL || format == queries.Line {
		return nil, usagef("--format %q: use table, box, markdown, json, csv or html", f.format)
	}
	switch format {
	case queries.JSON:
		return report.RenderJSON, nil
	case queries.CSV:
		return report.RenderCSV, nil
	case queries.Markdown:
		return report.RenderMarkdown, nil
	}
	width := 0 // a file is never cut
	if f.out == "" {
		width = shell.TerminalWidth(e.stdout, e.getenv)
	}
	return func(w io.Writer, r *report.Report) error { return report.RenderText(w, r, format, width) }, nil
}

// writeFileAtomic writes a file through write: into a temporary file next
// to it, renamed over it when complete, so a failed write leaves what was
// there before.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
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
