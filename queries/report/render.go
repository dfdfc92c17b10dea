package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"slackaudit/queries"
	"slackaudit/queries/safetext"
)

// RenderText writes the report as text tables, in format queries.Table or
// queries.Box, each fitted to width display cells as query fits a terminal
// (0: never cut, for files and pipes). Names that come from Slack are shown
// with control characters escaped.
func RenderText(w io.Writer, r *Report, format queries.Format, width int) error {
	return text{w: w, format: format, width: width}.report(r)
}

// RenderMarkdown writes the report as Markdown, for a ticket or a wiki.
func RenderMarkdown(w io.Writer, r *Report) error {
	return text{w: w, format: queries.Markdown}.report(r)
}

// text writes the report in one of the table formats or Markdown.
type text struct {
	w      io.Writer
	format queries.Format
	width  int // display cells to fit tables to; 0 never cuts
}

func (t text) markdown() bool { return t.format == queries.Markdown }

func (t text) h1(s string) {
	if t.markdown() {
		fmt.Fprintf(t.w, "# %s\n\n", s)
	} else {
		fmt.Fprintf(t.w, "%s\n%s\n\n", s, strings.Repeat("=", len([]rune(s))))
	}
}

func (t text) h2(s string) {
	s = safetext.Escape(s) // workspace names come from Slack
	if t.markdown() {
		fmt.Fprintf(t.w, "## %s\n\n", s)
	} else {
		fmt.Fprintf(t.w, "%s\n%s\n", s, strings.Repeat("-", len([]rune(s))))
	}
}

func (t text) table(cols []queries.Column, rows [][]any) error {
	_, err := queries.WriteValues(t.w, cols, rows, queries.Options{Format: t.format, NoFooter: true, MaxWidth: t.width})
	fmt.Fprintln(t.w)
	return err
}

func (t text) report(r *Report) error {
	t.h1("Slack licence report")
	fmt.Fprintf(t.w, "As of %s (sync %d, mode %s). A paid seat counts as inactive after %d days without use.\n\n",
		r.AsOf.Format("2006-01-02 15:04 UTC"), r.RunID, r.Mode, r.InactiveAfterDays)
	for _, a := range r.Accounts {
		if err := t.account(a, r.InactiveAfterDays); err != nil {
			return err
		}
	}
	if r.Apps != nil {
		if err := t.apps(r.Apps); err != nil {
			return err
		}
	}
	WriteGaps(t.w, gapStatus(r.Gaps))
	return nil
}

// account writes one billing account's section.
func (t text) account(a Account, inactiveAfterDays int) error {
	t.h2(fmt.Sprintf("%s (%s, %s)", a.Name, a.OrgID, a.PlanTitle))
	scopes := append([]Seats{a.Seats}, a.Workspaces...)
	if len(a.Workspaces) == 1 && a.Workspaces[0].TeamID == a.OrgID {
		scopes = scopes[:1] // a single workspace is its own billing account
	}
	if err := t.seats(a, scopes); err != nil {
		return err
	}
	if err := t.bills(a, scopes, inactiveAfterDays); err != nil {
		return err
	}
	if a.Note != "" {
		fmt.Fprintf(t.w, "%s\n\n", a.Note)
	}
	t.money(a)
	return t.offenders(a)
}

// label names a row of an account's tables: the total, or a workspace.
func (a Account) label(s Seats) string {
	if s.Scope == "billing_account" {
		if len(a.Workspaces) > 1 {
			return "Total (each person once)"
		}
		return "Total"
	}
	return fmt.Sprintf("%s (%s)", s.Name, s.TeamID)
}

func (t text) seats(a Account, scopes []Seats) error {
	fmt.Fprintln(t.w, "Seats by type:")
	var rows [][]any
	for _, s := range scopes {
		rows = append(rows, []any{a.label(s), s.Owners, s.Admins, s.Members, s.MultiGuests,
			fmt.Sprintf("%d (%d billed)", s.SingleGuests, s.BilledGuests), s.Invited, s.Bots, s.Deactivated, s.Paid})
	}
	return t.table(cols("", "owners#", "admins#", "members#", "multi-channel guests#", "single-channel guests#",
		"invited#", "bots#", "deactivated#", "paid seats#"), rows)
}

func (t text) bills(a Account, scopes []Seats, inactiveAfterDays int) error {
	fmt.Fprintln(t.w, "What Slack bills against what activity says:")
	var rows [][]any
	for _, s := range scopes {
		rows = append(rows, []any{a.label(s), s.Paid, s.SlackBillable, s.EstimatedBillable, s.Inactive, s.NeverUsed})
	}
	return t.table(cols("", "paid seats#", "Slack says billable#", fmt.Sprintf("used in %d days#", inactiveAfterDays),
		"inactive paid#", "never used#"), rows)
}

func (t text) money(a Account) {
	fmt.Fprintf(t.w, "Money: %s\n\n", a.moneyText())
}

// moneyText says what the paid seats cost and what the inactive ones
// waste, or how to set a price.
func (a Account) moneyText() string {
	if a.PriceKnown {
		return fmt.Sprintf("paid seats cost %s a month. The %s inactive paid seats waste %s a month, %s a year.",
			money(a.MonthlyCost, a.Currency), queries.Thousands(a.Inactive), money(a.MonthlyWaste, a.Currency), money(a.YearlyWaste, a.Currency))
	}
	return fmt.Sprintf("no seat price is set for %s; pass --price %s=AMOUNT to sync to see what the %s inactive paid seats cost.",
		a.PlanTitle, a.Plan, queries.Thousands(a.Inactive))
}

func (t text) offenders(a Account) error {
	if len(a.Offenders) == 0 {
		return nil
	}
	fmt.Fprintf(t.w, "Inactive paid seats, longest unused first (%d of %d):\n", len(a.Offenders), a.Inactive)
	var rows [][]any
	for _, o := range a.Offenders {
		last, days := "never", "—"
		if o.LastUsed != nil {
			last = o.LastUsed.Format("2006-01-02")
			days = strconv.FormatInt(*o.DaysUnused, 10)
		}
		rows = append(rows, []any{o.Name, o.Email, o.Seat, last, days, o.BillingFlag, money(o.MonthlyCost, a.Currency)})
	}
	return t.table(cols("person", "email", "seat", "last used", "days unused#", "billing flag", "per month#"), rows)
}

// apps writes the apps section.
func (t text) apps(a *Apps) error {
	t.h2("Installed apps by risk")
	var counts [][]any
	for _, c := range a.Workspaces {
		counts = append(counts, []any{fmt.Sprintf("%s (%s)", c.Name, c.TeamID), c.Critical, c.High, c.Medium, c.Low, c.Other,
			c.Installed, c.Disabled, c.Orphaned})
	}
	if err := t.table(cols("workspace", "critical#", "high#", "medium#", "low#", "unknown or none#", "installed#",
		"disabled#", "orphaned#"), counts); err != nil {
		return err
	}
	if len(a.Riskiest) == 0 {
		return nil
	}
	fmt.Fprintf(t.w, "Riskiest installed apps (%d of %d):\n", len(a.Riskiest), a.Installed)
	var rows [][]any
	for _, l := range a.Riskiest {
		by := l.InstalledBy
		if l.Orphaned {
			by += " (deactivated)"
		}
		rows = append(rows, []any{l.Name, l.Workspace, l.Risk, l.Why, by})
	}
	return t.table(cols("app", "workspace", "risk", "why", "installed by"), rows)
}

// money formats an amount with thousands separators and the currency.
func money(v float64, currency string) string {
	cents := int64(v*100 + 0.5)
	return fmt.Sprintf("%s.%02d %s", queries.Thousands(cents/100), cents%100, currency)
}

// cols names table columns; a name ending in "#" is a right-aligned number.
func cols(names ...string) []queries.Column {
	out := make([]queries.Column, len(names))
	for i, n := range names {
		if name, ok := strings.CutSuffix(n, "#"); ok {
			out[i] = queries.Column{Name: name, Type: "BIGINT"}
		} else {
			out[i] = queries.Column{Name: n, Type: "VARCHAR"}
		}
	}
	return out
}
