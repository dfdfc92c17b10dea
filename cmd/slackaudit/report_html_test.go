package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"slackaudit/extract/slacktest"
	"slackaudit/queries"
	"slackaudit/queries/report"
)

// svgCharts parses an HTML page and counts its SVG charts, and the ones
// with a title.
func svgCharts(t *testing.T, page string) (charts, titled int) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	require.NoError(t, err)
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "svg" {
			charts++
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.Data == "title" && c.FirstChild != nil {
					titled++
					break
				}
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return charts, titled
}

func TestReportHTML(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	out := filepath.Join(t.TempDir(), "report.html")
	r := c.run("report", "--db", db, "--format", "html", "--output", out)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Empty(t, r.stdout, "--output takes the page off the standard output")
	page, err := os.ReadFile(out)
	require.NoError(t, err)
	charts, titled := svgCharts(t, string(page))
	assert.Equal(t, 6, charts, "seats by type, paid/billable/active, waste over time, usage frequency, days since last use, apps by risk")
	assert.Equal(t, charts, titled, "every chart has a title")
	assert.NotRegexp(t, regexp.MustCompile(`(?i)(src|href)="(https?:)?//`), string(page), "the page loads nothing from the network")

	// The standard output, when it is not a terminal, takes the same page.
	r = c.run("report", "--db", db, "--format", "html")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, string(page), r.stdout)

	// A page that cannot be written leaves nothing behind, and says where.
	missing := filepath.Join(t.TempDir(), "no such folder", "report.html")
	r = c.run("report", "--db", db, "--format", "html", "--output", missing)
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "writing "+missing)
	assert.NoFileExists(t, missing)

	r = c.run("report", "--db", db, "--format", "htm")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "use table, box, markdown, json, csv or html")
}

func TestDemoWritesHTMLAndShowsGridMoney(t *testing.T) {
	t.Parallel()
	db := tempDB(t)
	page := filepath.Join(t.TempDir(), "demo.html")
	r := newCLI(t, nil).run("demo", "--db", db, "--members", "300", "--seed", "4", "--plan", "enterprise", "--price", "enterprise=15", "--html", page)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "HTML report: "+page)
	b, err := os.ReadFile(page)
	require.NoError(t, err)
	charts, _ := svgCharts(t, string(b))
	assert.Equal(t, 6, charts)

	inactive := queryInt(t, db, "SELECT sum(inactive_paid_seats) FROM license_summary WHERE scope = 'billing_account'")
	require.Positive(t, inactive)
	assert.Equal(t, inactive*1500, queryInt(t, db, "SELECT round(sum(monthly_waste) * 100)::INT FROM license_summary WHERE scope = 'billing_account'"),
		"Grid seats at 15.00 a month")
	assert.Contains(t, r.stdout, "15.00 USD", "the Grid demo shows money")
	assert.NotContains(t, r.stdout, "No seat price is known")
	assert.Contains(t, r.stdout, "Explore it:\n  slackaudit query --db "+db)

	// Business+ leaves Grid's data sets unsynced: the demo says so once.
	r = newCLI(t, nil).run("demo", "--db", tempDB(t), "--members", "50")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 1, strings.Count(r.stdout, "Not synced:"), "what was not synced is listed once")
	assert.Contains(t, r.stdout, "member_activity")
}

func TestDemoRefusesWhatItCannotServe(t *testing.T) {
	t.Parallel()
	c := newCLI(t, nil)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--plan", "gold"}, `--plan "gold": the synthetic organisation's plan is one of std, plus, enterprise, free`},
		{[]string{"--price", "enterprise=-3"}, `is not an amount`},
		{[]string{"--price", "gold=3"}, `unknown plan "gold"`},
	} {
		r := c.run(append([]string{"demo", "--db", tempDB(t)}, tc.args...)...)
		assert.Equal(t, exitUsage, r.code, tc.args)
		assert.Contains(t, r.stderr, tc.want, tc.args)
		assert.NotContains(t, r.stdout, "Synthetic Slack organisation", "refused before serving anything")
	}
}

func TestDemoHintsNameHowItRuns(t *testing.T) {
	t.Parallel()
	assert.Equal(t, goRun, invocation("/tmp/go-build2941377/b001/exe/slackaudit"))
	assert.Equal(t, goRun, invocation(filepath.Join(os.TempDir(), "go-build1", "b001", "exe", "slackaudit")))
	assert.Equal(t, "slackaudit", invocation("/usr/local/bin/slackaudit"))
	assert.Equal(t, "slackaudit", invocation("slackaudit"))
	assert.Equal(t, "slackaudit", invocation("/home/ann/exe/slackaudit"), "a folder called exe is not go run's")
	assert.Equal(t, "slackaudit", (&env{}).program())
	assert.Equal(t, goRun, (&env{self: goRun}).program())
}

// reportJSON runs report --format json with args and decodes it.
func reportJSON(t *testing.T, c *cli, db string, args ...string) report.Report {
	t.Helper()
	r := c.run(append([]string{"report", "--db", db, "--format", "json", "--top", "500"}, args...)...)
	require.Equal(t, exitOK, r.code, r.stderr)
	var rep report.Report
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.Len(t, rep.Accounts, 1)
	return rep
}

// TestReportPricesAtReportTime prices and recounts the report from the
// warehouse without a sync. The org is on Business+, synced at the list
// price of 18.00 USD a seat and a 28-day window.
func TestReportPricesAtReportTime(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 17, Users: 400})
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL()).code)
	stored := reportJSON(t, c, db)

	// The sync's own prices and window, given again, give the sync's report:
	// the recount and its notes are the sync's, number for number.
	assert.Equal(t, stored, reportJSON(t, c, db, "--price", "business_plus=18", "--inactive-after", "28d"))

	// Prices: paid seats × price, inactive seats × price, × 12 a year.
	a := reportJSON(t, c, db, "--price", "plus=12.50", "--currency", "eur").Accounts[0]
	assert.Equal(t, stored.Accounts[0].Inactive, a.Inactive)
	assert.Equal(t, "EUR", a.Currency)
	assert.InDelta(t, 12.5*float64(a.Inactive), a.MonthlyWaste, 1e-9)
	assert.InDelta(t, 12*12.5*float64(a.Inactive), a.YearlyWaste, 1e-9)
	assert.InDelta(t, 12.5*float64(a.Paid), a.MonthlyCost, 1e-9)
	for _, o := range a.Offenders {
		assert.Equal(t, 12.5, o.MonthlyCost)
	}
	a = reportJSON(t, c, db, "--billing-cycle", "annual").Accounts[0]
	assert.InDelta(t, 15*float64(a.Inactive), a.MonthlyWaste, 1e-9, "Business+ billed annually lists at 15.00")
	assert.Equal(t, "USD", a.Currency)

	// The window: inactive seats recounted over 60 days before the sync.
	rep := reportJSON(t, c, db, "--inactive-after", "60d")
	a = rep.Accounts[0]
	want := queryInt(t, db, "SELECT count(*) FROM licenses WHERE is_paid_seat_type AND (last_used_at IS NULL OR last_used_at < (SELECT as_of FROM latest_sync) - INTERVAL 60 DAY)")
	require.Less(t, want, int(stored.Accounts[0].Inactive), "fewer seats are unused for 60 days than for 28")
	assert.Equal(t, 60, rep.InactiveAfterDays)
	assert.EqualValues(t, want, a.Inactive)
	assert.Equal(t, a.Paid, a.Inactive+a.EstimatedBillable)
	assert.InDelta(t, 18*float64(want), a.MonthlyWaste, 1e-9, "at the sync's price")
	assert.Len(t, a.Offenders, want)
	for _, o := range a.Offenders {
		assert.True(t, o.DaysUnused == nil || *o.DaysUnused >= 59, "%s unused %v days", o.UserID, o.DaysUnused)
	}
	assert.Contains(t, a.Note, "used in the last 60 days")
	last := rep.WasteTrend[len(rep.WasteTrend)-1]
	assert.Equal(t, a.Inactive, last.Inactive, "the trend's latest sync is the recounted one")
	assert.Equal(t, 60, last.InactiveAfterDays)

	r := c.run("report", "--db", db, "--inactive-after", "60d", "--price", "plus=10")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "after 60 days without use")
	assert.Contains(t, r.stdout, queries.Thousands(int64(want)*10)+".00 USD")
}

func TestReportPriceFlagsRefuseBadInput(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--price", "plus=-1"}, `"-1" is not an amount`},
		{[]string{"--price", "plus=NaN"}, `"NaN" is not an amount`},
		{[]string{"--price", "plus=Inf"}, `"Inf" is not an amount`},
		{[]string{"--price", "plus=1e300"}, `is not an amount from 0 to 1000000`},
		{[]string{"--price", "plus"}, `want PLAN=AMOUNT`},
		{[]string{"--price", "gold=3"}, `unknown plan "gold"; plans: business_plus, compliance, enterprise, pro`},
		{[]string{"--currency", "EURO"}, `--currency "EURO": give a three-letter currency code`},
		{[]string{"--currency", "€"}, `give a three-letter currency code`},
		{[]string{"--billing-cycle", "weekly"}, `billing cycle "weekly": use monthly or annual`},
		{[]string{"--inactive-after", "4w"}, `--inactive-after "4w": give a number of days`},
		{[]string{"--inactive-after", "0d"}, `--inactive-after "0d"`},
		{[]string{"--prices", "plus=12.50,enterprise=15"}, `--prices reads a FILE, and --price takes prices on the command line`},
		{[]string{"--top", "-1"}, `--top must be 0 or more`},
	} {
		r := c.run(append([]string{"report", "--db", db}, tc.args...)...)
		assert.Equal(t, exitUsage, r.code, tc.args)
		assert.Contains(t, r.stderr, tc.want, tc.args)
		assert.Empty(t, r.stdout, tc.args)
	}
	prices := filepath.Join(t.TempDir(), "prices")
	require.NoError(t, os.WriteFile(prices, []byte("currency=dollars\n"), 0o600))
	r := c.run("report", "--db", db, "--prices", prices)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `currency in --prices `+prices+` "dollars": give a three-letter currency code`)
}

// A report or the demo's page written over the warehouse, or through a
// link to it, is refused and the warehouse is left as it was.
func TestReportOutputIsNeverTheWarehouse(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	before, err := os.ReadFile(db)
	require.NoError(t, err)
	link := filepath.Join(t.TempDir(), "link.html")
	require.NoError(t, os.Symlink(db, link))
	for _, out := range []string{db, link} {
		r := c.run("report", "--db", db, "--format", "html", "--output", out)
		assert.Equal(t, exitUsage, r.code, "%s: %s", out, r.stderr)
		assert.Contains(t, r.stderr, "warehouse's own files")
	}
	after, err := os.ReadFile(db)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the warehouse is untouched")

	demo := filepath.Join(t.TempDir(), "demo.duckdb")
	r := c.run("demo", "--db", demo, "--members", "30", "--html", demo)
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "--html")
}
