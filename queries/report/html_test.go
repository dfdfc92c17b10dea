package report_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"slackaudit/queries/report"
	"slackaudit/warehouse"
)

var update = flag.Bool("update", false, "rewrite golden files")

// plans names the fixture's plans as people know them.
func plans(p string) string {
	return map[string]string{"enterprise": "Enterprise Grid", "plus": "Business+", "std": "Pro"}[p]
}

// chartsOf returns the ids of the page's charts: the overview's, two per
// billing account and the apps chart.
func chartsOf(r *report.Report) []string {
	ids := []string{"seats-by-type", "paid-billable-active", "waste-over-time"}
	for i := range r.Accounts {
		ids = append(ids, fmt.Sprintf("usage-frequency-%d", i+1), fmt.Sprintf("days-since-last-use-%d", i+1))
	}
	return append(ids, "apps-by-risk")
}

// want are a chart's numbers by "category|series" (or "x|series").
type want = map[string]float64

// reportNumbers are the numbers each chart should show, read from r.
func reportNumbers(r *report.Report) map[string]want {
	active := fmt.Sprintf("active in the last %d days", r.InactiveAfterDays)
	out := map[string]want{"seats-by-type": {}, "paid-billable-active": {}, "waste-over-time": {}, "apps-by-risk": {}}
	for i, a := range r.Accounts {
		for typ, n := range map[string]int64{"owner": a.Owners, "admin": a.Admins, "member": a.Members,
			"multi-channel guest": a.MultiGuests, "single-channel guest": a.SingleGuests, "invited": a.Invited,
			"bot": a.Bots, "deactivated": a.Deactivated} {
			out["seats-by-type"][a.Name+"|"+typ] = float64(n)
		}
		for series, n := range map[string]int64{"paid seats": a.Paid, "Slack-billable": a.SlackBillable, active: a.EstimatedBillable} {
			out["paid-billable-active"][a.Name+"|"+series] = float64(n)
		}
		freq, last := want{}, want{}
		for _, f := range a.Frequency {
			freq[f.Frequency+"|paid seats"] = float64(f.PaidSeats)
		}
		for _, b := range a.LastUse {
			last[b.Bin+"|paid seats"] = float64(b.PaidSeats)
		}
		out[fmt.Sprintf("usage-frequency-%d", i+1)], out[fmt.Sprintf("days-since-last-use-%d", i+1)] = freq, last
	}
	for _, p := range r.WasteTrend {
		if p.PriceKnown {
			out["waste-over-time"][p.AsOf.Format(time.RFC3339)+"|"+p.Name] = p.MonthlyWaste
		}
	}
	for _, c := range r.Apps.ByRisk {
		out["apps-by-risk"][c.Risk+"|apps"] = float64(c.Installed)
	}
	return out
}

// TestRenderHTML renders the report of the three-account warehouse.
func TestRenderHTML(t *testing.T) {
	t.Parallel()
	path := threeAccounts(t)
	r := read(t, path, report.Options{Top: 5, PlanTitle: plans})
	page, doc := renderHTML(t, r)
	t.Run("charts", func(t *testing.T) { checkCharts(t, path, r, doc) })
	t.Run("page", func(t *testing.T) { checkPage(t, r, page, doc) })
	t.Run("golden", func(t *testing.T) { checkGolden(t, r, page) })
}

// checkCharts: every mark of every chart holds the report's number, and
// the report's numbers are what SQL over the warehouse says.
func checkCharts(t *testing.T, path string, r *report.Report, doc *html.Node) {
	fromReport := reportNumbers(r)
	require.Len(t, r.Accounts, 3)
	require.Len(t, r.WasteTrend, 3*fixtureSyncs-2, "six syncs of three accounts, Umbrella from the third")
	for _, id := range chartsOf(r) {
		got := marks(t, doc, id)
		assert.Equal(t, fromReport[id], got, "#%s against the report", id)
		assert.NotEmpty(t, got, "#%s has marks", id)
	}

	db, err := warehouse.Open(context.Background(), path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	for id, c := range warehouseNumbers(r) {
		assert.Equal(t, c.run(t, db.SQL()), marks(t, doc, id), "#%s against the warehouse:\n%s", id, c.q)
	}
}

// check is what one chart should show, by SQL written apart from the
// report's queries: q gives rows of (category or x, series, value); zeros
// are the keys the chart shows even when no row counts them.
type check struct {
	q     string
	zeros []string
}

// names names the billing accounts as the charts do: the enterprise, or
// the workspace that is its own account.
const names = `WITH names AS (SELECT DISTINCT coalesce(enterprise_id, team_id) AS org_id, coalesce(enterprise_name, name) AS name
	FROM workspaces) `

var (
	frequencies = []string{"daily", "weekly", "monthly", "dormant", "never"}
	bins        = []string{"0–7", "8–14", "15–28", "29–60", "61–90", "91–180", "181–365", ">365", "never"}
)

// warehouseNumbers says what each chart of r's page should show.
func warehouseNumbers(r *report.Report) map[string]check {
	var types []string
	for _, a := range r.Accounts {
		for _, typ := range []string{"owner", "admin", "member", "multi-channel guest", "single-channel guest", "invited", "bot", "deactivated"} {
			types = append(types, a.Name+"|"+typ)
		}
	}
	out := map[string]check{
		"seats-by-type": {q: names + `SELECT name, replace(seat_type, '_channel_', '-channel '), count(*) FROM licenses JOIN names USING (org_id) GROUP BY ALL`,
			zeros: types},
		"paid-billable-active": {q: names + fmt.Sprintf(`SELECT name, unnest(['paid seats', 'Slack-billable', 'active in the last %d days']),
			unnest([count(*) FILTER (is_paid_seat_type), count(*) FILTER (billing_active), count(*) FILTER (is_paid_seat_type AND active_in_window)])
			FROM licenses JOIN names USING (org_id) GROUP BY ALL`, r.InactiveAfterDays)},
		"waste-over-time": {q: names + `SELECT strftime(as_of AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ'), name, monthly_waste
			FROM seat_history JOIN names USING (org_id) WHERE scope = 'billing_account' AND price_known`},
		"apps-by-risk": {q: `SELECT risk_level, 'apps', count(*) FROM apps WHERE status = 'installed' GROUP BY ALL`,
			zeros: suffixed([]string{"critical", "high", "medium", "low", "unknown", "none"}, "|apps")},
	}
	for i, a := range r.Accounts {
		org := strings.ReplaceAll(a.OrgID, "'", "''")
		out[fmt.Sprintf("usage-frequency-%d", i+1)] = check{zeros: suffixed(frequencies, "|paid seats"),
			q: `SELECT u.usage_frequency, 'paid seats', count(*) FROM licenses l JOIN user_usage u USING (org_id, user_id)
			WHERE l.is_paid_seat_type AND l.org_id = '` + org + `' GROUP BY ALL`}
		out[fmt.Sprintf("days-since-last-use-%d", i+1)] = check{zeros: suffixed(bins, "|paid seats"),
			q: `SELECT CASE WHEN d IS NULL THEN 'never' WHEN d > 365 THEN '>365' ELSE
			(SELECT lo || '–' || hi FROM (VALUES (0, 7), (8, 14), (15, 28), (29, 60), (61, 90), (91, 180), (181, 365)) b(lo, hi)
			 WHERE d BETWEEN lo AND hi) END, 'paid seats', count(*)
			FROM (SELECT days_since_last_use AS d FROM licenses WHERE is_paid_seat_type AND org_id = '` + org + `') GROUP BY ALL`}
	}
	return out
}

func suffixed(keys []string, suffix string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + suffix
	}
	return out
}

// run gives the check's numbers by "category|series".
func (c check) run(t *testing.T, db *sql.DB) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, k := range c.zeros {
		out[k] = 0
	}
	rows, err := db.Query(c.q)
	require.NoError(t, err, c.q)
	defer rows.Close()
	for rows.Next() {
		var where, series string
		var v float64
		require.NoError(t, rows.Scan(&where, &series, &v))
		out[where+"|"+series] = v
	}
	require.NoError(t, rows.Err())
	return out
}

// checkGolden pins the page, and the same report gives the same bytes.
func checkGolden(t *testing.T, r *report.Report, got string) {
	again, _ := renderHTML(t, r)
	require.Equal(t, got, again, "the same report gives the same page")
	path := filepath.Join("testdata", "TestRenderHTML", "three_accounts.html")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	golden, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -tags duckdb_arrow ./queries/report -run TestRenderHTML/golden -update to create it")
	assert.Equal(t, string(golden), got, "%s differs (-update rewrites it; review the diff)", path)
}

// checkPage: an HTML5 page with its language, charset, title and
// viewport; headed sections; tables whose headers have a scope; charts
// with a title, a description and their numbers in a table beside them;
// numbers and money written as in the text report.
func checkPage(t *testing.T, r *report.Report, page string, doc *html.Node) {
	assert.True(t, strings.HasPrefix(page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"), page[:80])
	assert.Equal(t, "width=device-width, initial-scale=1", attr(elements(doc, func(n *html.Node) bool { return attr(n, "name") == "viewport" })[0], "content"))
	assert.Equal(t, "Slack licence report, 2026-11-28", textOf(byTag(doc, "title")[0]))
	assert.Len(t, byTag(doc, "h1"), 1)
	var headings []string
	for _, h := range byTag(doc, "h2") {
		headings = append(headings, textOf(h))
	}
	assert.Equal(t, []string{"Overview", "Acme Corp (E0ACME, Enterprise Grid)", "Globex EU (T0GLOBEX, Business+)",
		"Umbrella <Labs> (T0UMB, Pro)", "Installed apps by risk", "Not synced"}, headings)
	checkIDs(t, doc)
	for _, th := range byTag(doc, "th") {
		assert.Contains(t, []string{"col", "row"}, attr(th, "scope"), "every header cell has a scope: %s", textOf(th))
	}
	for _, id := range chartsOf(r) {
		svg := byID(t, doc, id)
		assert.Equal(t, "img", attr(svg, "role"))
		assert.Equal(t, id+"-title "+id+"-desc", attr(svg, "aria-labelledby"))
		assert.NotEmpty(t, textOf(byID(t, doc, id+"-title")))
		assert.NotEmpty(t, textOf(byID(t, doc, id+"-desc")))
		details := byTag(svg.Parent, "details")
		require.Len(t, details, 1, "#%s has its numbers beside it", id)
		assert.Len(t, byTag(details[0], "table"), 1)
	}
	text := textOf(doc)
	assert.Contains(t, text, "Paid seats cost 5,430.00 USD a month. The 105 inactive paid seats waste 1,575.00 USD a month, 18,900.00 USD a year.")
	assert.Contains(t, text, "access_logs (T0UMB): Slack Pro has no sign-in log")
	assert.Contains(t, text, "To unlock: upgrade to Business+")
	assert.Contains(t, text, "Inactive paid seats, longest unused first (5 of 105)")
	assert.Contains(t, text, "Globex pays yearly")
	assert.Contains(t, page, `<th scope="row">Total (each person once)</th><td class="num">8</td>`)
	assert.Contains(t, page, `<td class="num">18,900.00 USD</td>`)
}

// checkIDs: ids are unique, and every link and aria-labelledby points at
// one of them.
func checkIDs(t *testing.T, doc *html.Node) {
	ids := map[string]bool{}
	for _, n := range elements(doc, func(n *html.Node) bool { return attr(n, "id") != "" }) {
		assert.False(t, ids[attr(n, "id")], "id %q is used twice", attr(n, "id"))
		ids[attr(n, "id")] = true
	}
	for _, n := range elements(doc, func(n *html.Node) bool { return attr(n, "aria-labelledby") != "" || attr(n, "href") != "" }) {
		for _, id := range append(strings.Fields(attr(n, "aria-labelledby")), strings.TrimPrefix(attr(n, "href"), "#")) {
			assert.True(t, id == "" || ids[id], "<%s> points at %q, which is not on the page", n.Data, id)
		}
	}
}
