package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"slackaudit/queries/chart"
)

// seatTypes are the series of the seats-by-type chart, in the order of the
// text report's table.
var seatTypes = []struct {
	name string
	of   func(Seats) int64
}{
	{"owner", func(s Seats) int64 { return s.Owners }},
	{"admin", func(s Seats) int64 { return s.Admins }},
	{"member", func(s Seats) int64 { return s.Members }},
	{"multi-channel guest", func(s Seats) int64 { return s.MultiGuests }},
	{"single-channel guest", func(s Seats) int64 { return s.SingleGuests }},
	{"invited", func(s Seats) int64 { return s.Invited }},
	{"bot", func(s Seats) int64 { return s.Bots }},
	{"deactivated", func(s Seats) int64 { return s.Deactivated }},
}

// riskClasses colours the apps chart by risk level.
var riskClasses = map[string]chart.Class{"critical": chart.RiskCritical, "high": chart.RiskHigh, "medium": chart.RiskMedium,
	"low": chart.RiskLow, "unknown": chart.RiskUnknown, "none": chart.RiskNone}

// frequencyNote says what the usage frequencies mean (user_usage).
const frequencyNote = "Daily: used on 16 or more of the last 28 days; weekly: on 4 to 15; monthly: on 1 to 3; " +
	"dormant: used before, but not in the last 28 days; never: no sign of use at all."

// overviewCharts are the charts across billing accounts: seats by type,
// paid against billable against active, and waste over time.
func overviewCharts(r *Report, labels map[string]string) ([]figure, error) {
	cats := make([]string, len(r.Accounts))
	for i, a := range r.Accounts {
		cats[i] = labels[a.OrgID]
	}
	byType := chart.Bar{ID: "seats-by-type", Title: "Seats by seat type per billing account", Categories: cats,
		Desc: "Accounts in the latest sync per billing account, by seat type", Stacked: true, Horizontal: true}
	for _, t := range seatTypes {
		byType.Series = append(byType.Series, chart.Series{Name: t.name, Values: values(r.Accounts, func(a Account) int64 { return t.of(a.Seats) })})
	}
	active := fmt.Sprintf("active in the last %d days", r.InactiveAfterDays)
	billed := chart.Bar{ID: "paid-billable-active", Title: "Paid seats, Slack-billable and " + active, Categories: cats, Horizontal: true,
		Desc: "Per billing account: seats of paid types, accounts Slack flags as billable, and paid seats used within the window",
		Series: []chart.Series{
			{Name: "paid seats", Values: values(r.Accounts, func(a Account) int64 { return a.Paid })},
			{Name: "Slack-billable", Values: values(r.Accounts, func(a Account) int64 { return a.SlackBillable })},
			{Name: active, Values: values(r.Accounts, func(a Account) int64 { return a.EstimatedBillable })},
		}}
	figs := make([]figure, 0, 3)
	for _, b := range []chart.Bar{byType, billed} {
		f, err := barFigure(b, "billing account", "")
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	f, err := lineFigure(wasteTrend(r, labels))
	f.Note = trendNote(r)
	return append(figs, f), err
}

// trendNote says which syncs counted inactive seats over another window
// than the report's; empty when none did.
func trendNote(r *Report) string {
	var other []string
	for _, p := range r.WasteTrend {
		if d := strconv.Itoa(p.InactiveAfterDays); p.InactiveAfterDays != r.InactiveAfterDays && !slices.Contains(other, d) {
			other = append(other, d)
		}
	}
	if len(other) == 0 {
		return ""
	}
	return fmt.Sprintf("Syncs before the latest count a seat as inactive after %s days, the window each was synced with; "+
		"the latest counts it after %d.", strings.Join(other, " or "), r.InactiveAfterDays)
}

// values reads one number per account.
func values(accounts []Account, of func(Account) int64) []float64 {
	out := make([]float64, len(accounts))
	for i, a := range accounts {
		out[i] = float64(of(a))
	}
	return out
}

// accountCharts are account i's charts: its paid seats by usage frequency
// and by days since last use.
func accountCharts(i int, a Account) ([]figure, error) {
	freq := chart.Bar{ID: "usage-frequency-" + strconv.Itoa(i+1), Title: "Paid seats by usage frequency",
		Desc: a.Name + ": paid seats by how often the person holding them uses Slack"}
	series := chart.Series{Name: "paid seats"}
	for _, f := range a.Frequency {
		freq.Categories = append(freq.Categories, f.Frequency)
		series.Values = append(series.Values, float64(f.PaidSeats))
	}
	freq.Series = []chart.Series{series}
	last := chart.Bar{ID: "days-since-last-use-" + strconv.Itoa(i+1), Title: "Paid seats by days since last use",
		Desc: a.Name + ": paid seats by whole days from their last use to the sync"}
	series = chart.Series{Name: "paid seats", Class: chart.SeriesClass(4)}
	for _, b := range a.LastUse {
		last.Categories = append(last.Categories, b.Bin)
		series.Values = append(series.Values, float64(b.PaidSeats))
	}
	last.Series = []chart.Series{series}
	f1, err := barFigure(freq, "usage frequency", frequencyNote)
	if err != nil {
		return nil, err
	}
	f2, err := barFigure(last, "days since last use", "")
	return []figure{f1, f2}, err
}

// appsChart counts installed apps by risk level, coloured by level.
func appsChart(a *Apps) (figure, error) {
	b := chart.Bar{ID: "apps-by-risk", Title: "Installed apps by risk level", Desc: "Installed apps across every workspace by risk level"}
	series := chart.Series{Name: "apps"}
	for _, c := range a.ByRisk {
		b.Categories = append(b.Categories, c.Risk)
		b.CategoryClasses = append(b.CategoryClasses, riskClasses[c.Risk])
		series.Values = append(series.Values, float64(c.Installed))
	}
	b.Series = []chart.Series{series}
	return barFigure(b, "risk level", "")
}

// barFigure draws b and tables its numbers: a row per category, a column
// per series (and the total when stacked).
func barFigure(b chart.Bar, firstColumn, note string) (figure, error) {
	svg, err := b.SVG()
	if err != nil {
		return figure{}, err
	}
	t := table{Caption: "The numbers of “" + b.Title + "”", Head: []cell{colHead(firstColumn)}}
	for _, s := range b.Series {
		t.Head = append(t.Head, numHead(s.Name))
	}
	stacked := b.Stacked && len(b.Series) > 1
	if stacked {
		t.Head = append(t.Head, numHead("total"))
	}
	for i, c := range b.Categories {
		row, total := []cell{rowHead(c)}, int64(0)
		for _, s := range b.Series {
			row = append(row, count(int64(s.Values[i])))
			total += int64(s.Values[i])
		}
		if stacked {
			row = append(row, count(total))
		}
		t.Rows = append(t.Rows, row)
	}
	return figure{Title: b.Title, SVG: svg, Note: note, Table: t, PrintNumbers: len(t.Rows) <= printedRows}, nil
}

// lineFigure draws c and tables its numbers: a row per time (named by
// rows), a column per series; "—" where a series has no value.
func lineFigure(c chart.Line, rows []string) (figure, error) {
	svg, err := c.SVG()
	if err != nil {
		return figure{}, err
	}
	t := table{Caption: "The numbers of “" + c.Title + "”", Head: []cell{colHead("sync")}}
	for _, s := range c.Series {
		t.Head = append(t.Head, numHead(s.Name))
	}
	for i := range c.X {
		row := []cell{rowHead(rows[i])}
		for _, s := range c.Series {
			v := "—"
			if !math.IsNaN(s.Values[i]) {
				v = c.Format(s.Values[i])
			}
			row = append(row, amount(txt(v)))
		}
		t.Rows = append(t.Rows, row)
	}
	return figure{Title: c.Title, SVG: svg, Table: t, PrintNumbers: len(t.Rows) <= printedRows}, nil
}

// wasteTrend is the monthly waste of each billing account at each sync, a
// line per account; a sync without a seat price has no value. It returns
// the chart and a name for each sync.
func wasteTrend(r *Report, labels map[string]string) (chart.Line, []string) {
	c := chart.Line{ID: "waste-over-time", Title: "Monthly waste over time",
		Desc: "What the inactive paid seats cost a month, per billing account, at each sync; a sync without a seat price for the plan has no amount"}
	var runs []int64
	var orgs []string
	for _, p := range r.WasteTrend {
		if !slices.Contains(runs, p.RunID) {
			runs = append(runs, p.RunID)
			c.X = append(c.X, p.AsOf)
		}
		if !slices.Contains(orgs, p.OrgID) {
			orgs = append(orgs, p.OrgID)
		}
	}
	orgs = slices.SortedFunc(slices.Values(orgs), byAccountOrder(r.Accounts))
	currencies := map[string]string{}
	for _, org := range orgs {
		s := chart.Series{Name: labels[org], Values: make([]float64, len(runs))}
		for i, run := range runs {
			s.Values[i] = math.NaN()
			for _, p := range r.WasteTrend {
				if p.RunID == run && p.OrgID == org && p.PriceKnown {
					s.Values[i], currencies[org] = p.MonthlyWaste, p.Currency
				}
			}
		}
		c.Series = append(c.Series, s)
	}
	c.Format = currencyFormat(c.Series, orgs, currencies)
	return c, syncNames(runs, c.X)
}

// byAccountOrder orders billing accounts as the report lists them, and
// those it does not list (gone since) after them by org_id.
func byAccountOrder(accounts []Account) func(a, b string) int {
	pos := func(org string) int {
		if i := slices.IndexFunc(accounts, func(a Account) bool { return a.OrgID == org }); i >= 0 {
			return i
		}
		return len(accounts)
	}
	return func(a, b string) int {
		if d := pos(a) - pos(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	}
}

// currencyFormat writes amounts as the text report does ("3,654.00 USD")
// when every account has one currency; otherwise each series is named
// with its currency and amounts are written without one.
func currencyFormat(series []chart.Series, orgs []string, currencies map[string]string) func(float64) string {
	one := ""
	for _, org := range orgs {
		if cur, ok := currencies[org]; ok && one == "" {
			one = cur
		} else if ok && cur != one {
			for i := range series {
				if cur, ok := currencies[orgs[i]]; ok {
					series[i].Name += " (" + cur + ")"
				}
			}
			return chart.Decimal(2)
		}
	}
	if one == "" {
		return chart.Decimal(2)
	}
	return func(v float64) string { return money(v, one) }
}

// syncNames names each sync for the waste table: its date and run.
func syncNames(runs []int64, at []time.Time) []string {
	out := make([]string, len(runs))
	for i, run := range runs {
		out[i] = fmt.Sprintf("%s (sync %d)", at[i].Format("2006-01-02 15:04"), run)
	}
	return out
}

// accountLabels names each billing account in charts, where names must be
// unique: its name, with its org_id when two accounts share a name, and
// only org_ids if even that is not unique.
func accountLabels(r *Report) map[string]string {
	labels := map[string]string{}
	var orgs []string
	add := func(org, name string) {
		if _, ok := labels[org]; !ok {
			labels[org] = name
			orgs = append(orgs, org)
		}
	}
	for _, a := range r.Accounts {
		add(a.OrgID, a.Name)
	}
	for _, p := range r.WasteTrend {
		add(p.OrgID, p.Name)
	}
	for round := 0; round < 2; round++ {
		seen := map[string]int{}
		for _, org := range orgs {
			seen[labels[org]]++
		}
		if len(seen) == len(orgs) {
			return labels
		}
		for _, org := range orgs {
			if round == 1 {
				labels[org] = org
			} else if seen[labels[org]] > 1 {
				labels[org] += " (" + org + ")"
			}
		}
	}
	return labels
}
