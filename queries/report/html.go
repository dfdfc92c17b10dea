package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"slackaudit/queries"
	"slackaudit/queries/chart"
	"slackaudit/queries/safetext"
)

var (
	//go:embed html.tmpl
	htmlSource string
	//go:embed html.css
	htmlStyle string

	htmlPage = template.Must(template.New("report").Parse(htmlSource))
)

// RenderHTML writes the report as one self-contained HTML5 page, for a
// browser, a printer (A4) or an e-mail to finance: the sections of the text
// report, and SVG charts of seats, use, waste over time and app risk. The
// page loads nothing (no script, font, image or style from elsewhere), every
// chart has a title and a text alternative (its description and, under it,
// a table of its numbers), and every name from Slack is escaped. The same
// report gives the same bytes.
func RenderHTML(w io.Writer, r *Report) error {
	p, err := newPage(r)
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	if err := htmlPage.Execute(w, p); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return nil
}

// page is what the template shows; every text in it is plain text, which
// the template escapes, except the charts' SVG and the stylesheet.
type page struct {
	Title    string
	Intro    string
	Style    template.CSS
	Contents []link
	Summary  table
	Overview []figure
	Accounts []accountView
	Apps     *appsView
	Gaps     []gapView
	Footer   string
}

type link struct{ ID, Text string }

// figure is a chart with its numbers as a table, and an optional note.
// PrintNumbers prints the table too: it is short enough for paper.
type figure struct {
	Title        string
	SVG          template.HTML
	Note         string
	Table        table
	PrintNumbers bool
}

// printedRows is how many rows a chart's table may have to be printed.
const printedRows = 24

// table is a data table: a caption, column headers and rows of cells.
type table struct {
	Caption string
	Head    []cell
	Rows    [][]cell
}

// cell is one cell: Num right-aligns a number; Row makes it its row's header.
type cell struct {
	Text string
	Num  bool
	Row  bool
}

type accountView struct {
	ID, Heading  string
	Seats, Bills table
	Note, Money  string
	Charts       []figure
	Offenders    *table
}

type appsView struct {
	Chart    figure
	Counts   table
	Riskiest *table
}

type gapView struct{ Sources, Where, Reason, Unlock string }

func newPage(r *Report) (*page, error) {
	labels := accountLabels(r)
	p := &page{
		Title: "Slack licence report, " + r.AsOf.Format("2006-01-02"),
		Intro: fmt.Sprintf("As of %s (sync %d, mode %s). A paid seat counts as inactive after %d days without use.",
			r.AsOf.Format("2006-01-02 15:04 UTC"), r.RunID, txt(r.Mode), r.InactiveAfterDays),
		Style:   template.CSS(htmlStyle + chart.Stylesheet()), // safe: constant CSS of this package and the chart package
		Summary: summaryTable(r, labels),
		Footer:  fmt.Sprintf("Written by slackaudit from sync %d of the warehouse.", r.RunID),
	}
	p.Contents = append(p.Contents, link{"overview", "Overview"})
	var err error
	if p.Overview, err = overviewCharts(r, labels); err != nil {
		return nil, err
	}
	for i, a := range r.Accounts {
		v, err := newAccountView(i, a, r.InactiveAfterDays)
		if err != nil {
			return nil, err
		}
		p.Accounts = append(p.Accounts, v)
		p.Contents = append(p.Contents, link{v.ID, v.Heading})
	}
	if r.Apps != nil {
		if p.Apps, err = newAppsView(r.Apps); err != nil {
			return nil, err
		}
		p.Contents = append(p.Contents, link{"apps", "Installed apps by risk"})
	}
	for _, c := range gapCauses(gapStatus(r.Gaps)) {
		p.Gaps = append(p.Gaps, gapView{Sources: txt(c.sources()), Where: txt(c.where()), Reason: txt(c.reason), Unlock: txt(c.unlock)})
	}
	if len(p.Gaps) > 0 {
		p.Contents = append(p.Contents, link{"not-synced", "Not synced"})
	}
	return p, nil
}

// txt prepares a text from Slack or the warehouse for the page: control and
// bidi characters are shown as escapes, as in the text report; the template
// escapes markup.
func txt(s string) string { return safetext.Escape(s) }

// upperFirst capitalises the first letter of a sentence.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// Cells of tables.
func colHead(s string) cell { return cell{Text: txt(s)} }
func numHead(s string) cell { return cell{Text: txt(s), Num: true} }
func rowHead(s string) cell { return cell{Text: txt(s), Row: true} }
func str(s string) cell     { return cell{Text: txt(s)} }
func count(n int64) cell    { return cell{Text: queries.Thousands(n), Num: true} }
func amount(s string) cell  { return cell{Text: s, Num: true} }
func heads(names ...string) []cell {
	out := make([]cell, len(names))
	for i, n := range names {
		if name, ok := strings.CutSuffix(n, "#"); ok {
			out[i] = numHead(name)
		} else {
			out[i] = colHead(n)
		}
	}
	return out
}

// summaryTable is the overview: one row per billing account.
func summaryTable(r *Report, labels map[string]string) table {
	t := table{Caption: "Billing accounts at a glance",
		Head: heads("billing account", "plan", "paid seats#", "inactive paid seats#", "never used#", "waste a month#", "waste a year#")}
	for _, a := range r.Accounts {
		waste, yearly := "no price set", "no price set"
		if a.PriceKnown {
			waste, yearly = money(a.MonthlyWaste, a.Currency), money(a.YearlyWaste, a.Currency)
		}
		t.Rows = append(t.Rows, []cell{rowHead(labels[a.OrgID]), str(a.PlanTitle), count(a.Paid), count(a.Inactive),
			count(a.NeverUsed), amount(txt(waste)), amount(txt(yearly))})
	}
	return t
}

func newAccountView(i int, a Account, inactiveAfterDays int) (accountView, error) {
	v := accountView{
		ID:      "account-" + strconv.Itoa(i+1),
		Heading: txt(fmt.Sprintf("%s (%s, %s)", a.Name, a.OrgID, a.PlanTitle)),
		Note:    txt(a.Note),
		Money:   txt(upperFirst(a.moneyText())),
	}
	scopes := append([]Seats{a.Seats}, a.Workspaces...)
	if len(a.Workspaces) == 1 && a.Workspaces[0].TeamID == a.OrgID {
		scopes = scopes[:1] // a single workspace is its own billing account
	}
	v.Seats = seatsTable(a, scopes)
	v.Bills = billsTable(a, scopes, inactiveAfterDays)
	v.Offenders = offendersTable(a)
	var err error
	v.Charts, err = accountCharts(i, a)
	return v, err
}

func seatsTable(a Account, scopes []Seats) table {
	t := table{Caption: "Seats by type", Head: heads("workspace", "owners#", "admins#", "members#", "multi-channel guests#",
		"single-channel guests (billed)#", "invited#", "bots#", "deactivated#", "paid seats#")}
	for _, s := range scopes {
		single := fmt.Sprintf("%s (%s)", queries.Thousands(s.SingleGuests), queries.Thousands(s.BilledGuests))
		t.Rows = append(t.Rows, []cell{rowHead(a.label(s)), count(s.Owners), count(s.Admins), count(s.Members),
			count(s.MultiGuests), amount(single), count(s.Invited), count(s.Bots), count(s.Deactivated), count(s.Paid)})
	}
	return t
}

func billsTable(a Account, scopes []Seats, inactiveAfterDays int) table {
	t := table{Caption: "What Slack bills against what activity says", Head: heads("workspace", "paid seats#",
		"Slack says billable#", fmt.Sprintf("used in %d days#", inactiveAfterDays), "inactive paid#", "never used#")}
	for _, s := range scopes {
		t.Rows = append(t.Rows, []cell{rowHead(a.label(s)), count(s.Paid), count(s.SlackBillable),
			count(s.EstimatedBillable), count(s.Inactive), count(s.NeverUsed)})
	}
	return t
}

// offendersTable lists the account's inactive paid seats; nil when none.
func offendersTable(a Account) *table {
	if len(a.Offenders) == 0 {
		return nil
	}
	t := &table{Caption: fmt.Sprintf("Inactive paid seats, longest unused first (%s of %s)",
		queries.Thousands(int64(len(a.Offenders))), queries.Thousands(a.Inactive)),
		Head: heads("person", "email", "seat", "last used", "days unused#", "billing flag", "per month#")}
	for _, o := range a.Offenders {
		last, days := str("never"), amount("—")
		if o.LastUsed != nil {
			last = str(o.LastUsed.Format("2006-01-02"))
			days = count(*o.DaysUnused)
		}
		t.Rows = append(t.Rows, []cell{rowHead(o.Name), str(o.Email), str(o.Seat), last, days, str(o.BillingFlag),
			amount(txt(money(o.MonthlyCost, a.Currency)))})
	}
	return t
}

func newAppsView(a *Apps) (*appsView, error) {
	fig, err := appsChart(a)
	if err != nil {
		return nil, err
	}
	v := &appsView{Chart: fig, Counts: table{Caption: "Installed apps per workspace by risk",
		Head: heads("workspace", "critical#", "high#", "medium#", "low#", "unknown or none#", "installed#", "disabled#", "orphaned#")}}
	for _, c := range a.Workspaces {
		v.Counts.Rows = append(v.Counts.Rows, []cell{rowHead(fmt.Sprintf("%s (%s)", c.Name, c.TeamID)), count(c.Critical),
			count(c.High), count(c.Medium), count(c.Low), count(c.Other), count(c.Installed), count(c.Disabled), count(c.Orphaned)})
	}
	if len(a.Riskiest) == 0 {
		return v, nil
	}
	v.Riskiest = &table{Caption: fmt.Sprintf("Riskiest installed apps (%s of %s)", queries.Thousands(int64(len(a.Riskiest))),
		queries.Thousands(a.Installed)), Head: heads("app", "workspace", "risk", "why", "installed by")}
	for _, l := range a.Riskiest {
		by := l.InstalledBy
		if l.Orphaned {
			by += " (deactivated)"
		}
		v.Riskiest.Rows = append(v.Riskiest.Rows, []cell{rowHead(l.Name), str(l.Workspace), str(l.Risk), str(l.Why), str(by)})
	}
	return v, nil
}
