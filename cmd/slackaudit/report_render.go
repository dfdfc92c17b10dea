package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"slackaudit/extract/slackapi"
	"slackaudit/queries"
	"slackaudit/queries/safetext"
	"slackaudit/warehouse"
)

// money formats an amount with thousands separators and the currency.
func money(v float64, currency string) string {
	cents := int64(v*100 + 0.5)
	return fmt.Sprintf("%s.%02d %s", thousands(cents/100), cents%100, currency)
}

// renderText writes the report as text tables (format table or box) or
// Markdown.
func renderText(w io.Writer, r *licenceReport, format queries.Format) error {
	md := format == queries.Markdown
	h1 := func(s string) {
		if md {
			fmt.Fprintf(w, "# %s\n\n", s)
		} else {
			fmt.Fprintf(w, "%s\n%s\n\n", s, strings.Repeat("=", len([]rune(s))))
		}
	}
	h2 := func(s string) {
		s = safetext.Escape(s) // workspace names come from Slack
		if md {
			fmt.Fprintf(w, "## %s\n\n", s)
		} else {
			fmt.Fprintf(w, "%s\n%s\n", s, strings.Repeat("-", len([]rune(s))))
		}
	}
	table := func(cols []queries.Column, rows [][]any) error {
		_, err := queries.WriteValues(w, cols, rows, queries.Options{Format: format, NoFooter: true})
		fmt.Fprintln(w)
		return err
	}
	h1("Slack licence report")
	fmt.Fprintf(w, "As of %s (sync %d, mode %s). A paid seat counts as inactive after %d days without use.\n\n",
		r.AsOf.Format("2006-01-02 15:04 UTC"), r.RunID, r.Mode, r.InactiveAfterDays)
	for _, a := range r.Accounts {
		h2(fmt.Sprintf("%s (%s, %s)", a.Name, a.OrgID, planTitle(a.Plan)))
		scopes := append([]seatRow{a.seatRow}, a.Workspaces...)
		label := func(s seatRow) string {
			if s.Scope == "billing_account" {
				if len(a.Workspaces) > 1 {
					return "Total (each person once)"
				}
				return "Total"
			}
			return fmt.Sprintf("%s (%s)", s.Name, s.TeamID)
		}
		if len(a.Workspaces) == 1 && a.Workspaces[0].TeamID == a.OrgID {
			scopes = scopes[:1] // a single workspace is its own billing account
		}
		fmt.Fprintln(w, "Seats by type:")
		var seats [][]any
		for _, s := range scopes {
			seats = append(seats, []any{label(s), s.Owners, s.Admins, s.Members, s.MultiGuests,
				fmt.Sprintf("%d (%d billed)", s.SingleGuests, s.BilledGuests), s.Invited, s.Bots, s.Deactivated, s.Paid})
		}
		if err := table(cols("", "owners#", "admins#", "members#", "multi-channel guests#", "single-channel guests#",
			"invited#", "bots#", "deactivated#", "paid seats#"), seats); err != nil {
			return err
		}
		fmt.Fprintln(w, "What Slack bills against what activity says:")
		var bills [][]any
		for _, s := range scopes {
			bills = append(bills, []any{label(s), s.Paid, s.SlackBillable, s.EstimatedBillable, s.Inactive, s.NeverUsed})
		}
		if err := table(cols("", "paid seats#", "Slack says billable#", fmt.Sprintf("used in %d days#", r.InactiveAfterDays),
			"inactive paid#", "never used#"), bills); err != nil {
			return err
		}
		if a.Note != "" {
			fmt.Fprintf(w, "%s\n\n", a.Note)
		}
		if a.PriceKnown {
			fmt.Fprintf(w, "Money: paid seats cost %s a month. The %d inactive paid seats waste %s a month, %s a year.\n\n",
				money(a.MonthlyCost, a.Currency), a.Inactive, money(a.MonthlyWaste, a.Currency), money(a.YearlyWaste, a.Currency))
		} else {
			fmt.Fprintf(w, "Money: no seat price is set for %s; pass --price %s=AMOUNT to sync to see what the %d inactive paid seats cost.\n\n",
				planTitle(a.Plan), a.Plan, a.Inactive)
		}
		if len(a.Offenders) > 0 {
			fmt.Fprintf(w, "Inactive paid seats, longest unused first (%d of %d):\n", len(a.Offenders), a.Inactive)
			var rows [][]any
			for _, o := range a.Offenders {
				last, days := "never", "—"
				if o.LastUsed != nil {
					last = o.LastUsed.Format("2006-01-02")
					days = strconv.FormatInt(*o.DaysUnused, 10)
				}
				rows = append(rows, []any{o.Name, o.Email, o.Seat, last, days, o.BillingFlag, money(o.MonthlyCost, a.Currency)})
			}
			if err := table(cols("person", "email", "seat", "last used", "days unused#", "billing flag", "per month#"), rows); err != nil {
				return err
			}
		}
	}
	if a := r.Apps; a != nil {
		h2("Installed apps by risk")
		var counts [][]any
		for _, c := range a.Workspaces {
			counts = append(counts, []any{fmt.Sprintf("%s (%s)", c.Name, c.TeamID), c.Critical, c.High, c.Medium, c.Low, c.Other,
				c.Installed, c.Disabled, c.Orphaned})
		}
		if err := table(cols("workspace", "critical#", "high#", "medium#", "low#", "unknown or none#", "installed#",
			"disabled#", "orphaned#"), counts); err != nil {
			return err
		}
		if len(a.Riskiest) > 0 {
			fmt.Fprintf(w, "Riskiest installed apps (%d of %d):\n", len(a.Riskiest), a.Installed)
			var rows [][]any
			for _, l := range a.Riskiest {
				by := l.InstalledBy
				if l.Orphaned {
					by += " (deactivated)"
				}
				rows = append(rows, []any{l.Name, l.Workspace, l.Risk, l.Why, by})
			}
			if err := table(cols("app", "workspace", "risk", "why", "installed by"), rows); err != nil {
				return err
			}
		}
	}
	if len(r.Gaps) > 0 {
		status := make([]warehouse.SourceStatus, len(r.Gaps))
		for i, g := range r.Gaps {
			status[i] = warehouse.SourceStatus{Source: g.Source, TeamID: g.TeamID, Status: g.Status, Reason: g.Reason, Unlock: g.Unlock}
		}
		printGaps(w, status)
	}
	return nil
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

// planTitle names the warehouse's plan as Slack's pricing page does.
func planTitle(name string) string {
	p, _ := slackapi.ParsePlanName(name)
	return p.Title()
}

func renderJSON(w io.Writer, r *licenceReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// renderCSV writes the report as one long table — section, billing account,
// workspace, key, value — that a spreadsheet can pivot.
func renderCSV(w io.Writer, r *licenceReport) error {
	cw := csv.NewWriter(w)
	row := func(section, org, team, key string, v any) {
		cw.Write([]string{section, org, team, key, queries.NeutraliseFormula(queries.Text(v, "", ""))})
	}
	cw.Write([]string{"section", "org_id", "team_id", "key", "value"})
	row("sync", "", "", "run_id", r.RunID)
	row("sync", "", "", "as_of", r.AsOf.Format("2006-01-02T15:04:05Z"))
	row("sync", "", "", "inactive_after_days", int64(r.InactiveAfterDays))
	for _, a := range r.Accounts {
		for _, s := range append([]seatRow{a.seatRow}, a.Workspaces...) {
			for _, kv := range []struct {
				k string
				v any
			}{{"name", s.Name}, {"plan", s.Plan}, {"owners", s.Owners}, {"admins", s.Admins}, {"members", s.Members},
				{"multi_channel_guests", s.MultiGuests}, {"single_channel_guests", s.SingleGuests},
				{"billed_single_channel_guests", s.BilledGuests}, {"invited", s.Invited}, {"bots", s.Bots},
				{"deactivated", s.Deactivated}, {"paid_seats", s.Paid}, {"slack_billable", s.SlackBillable},
				{"estimated_billable", s.EstimatedBillable}, {"inactive_paid_seats", s.Inactive},
				{"never_used_paid_seats", s.NeverUsed}, {"monthly_cost", s.MonthlyCost}, {"monthly_waste", s.MonthlyWaste},
				{"yearly_waste", s.YearlyWaste}, {"currency", s.Currency}, {"note", s.Note}} {
				row(s.Scope, s.OrgID, s.TeamID, kv.k, kv.v)
			}
		}
		for i, o := range a.Offenders {
			last := "never"
			if o.LastUsed != nil {
				last = o.LastUsed.Format("2006-01-02T15:04:05Z")
			}
			key := fmt.Sprintf("inactive_seat_%d", i+1)
			row("inactive_seat", a.OrgID, "", key+".user_id", o.UserID)
			row("inactive_seat", a.OrgID, "", key+".name", o.Name)
			row("inactive_seat", a.OrgID, "", key+".email", o.Email)
			row("inactive_seat", a.OrgID, "", key+".seat_type", o.Seat)
			row("inactive_seat", a.OrgID, "", key+".last_used_at", last)
			row("inactive_seat", a.OrgID, "", key+".billing_flag", o.BillingFlag)
			row("inactive_seat", a.OrgID, "", key+".monthly_cost", o.MonthlyCost)
		}
	}
	if a := r.Apps; a != nil {
		for _, c := range a.Workspaces {
			for _, kv := range []struct {
				k string
				v int64
			}{{"critical", c.Critical}, {"high", c.High}, {"medium", c.Medium}, {"low", c.Low}, {"unknown_or_none", c.Other},
				{"installed", c.Installed}, {"disabled", c.Disabled}, {"orphaned", c.Orphaned}} {
				row("apps", "", c.TeamID, kv.k, kv.v)
			}
		}
		for i, l := range a.Riskiest {
			key := fmt.Sprintf("risky_app_%d", i+1)
			row("risky_app", "", l.TeamID, key+".name", l.Name)
			row("risky_app", "", l.TeamID, key+".risk_level", l.Risk)
			row("risky_app", "", l.TeamID, key+".risk_reasons", l.Why)
			row("risky_app", "", l.TeamID, key+".installed_by", l.InstalledBy)
		}
	}
	for _, g := range r.Gaps {
		row("not_synced", "", g.TeamID, g.Source, g.Reason)
	}
	cw.Flush()
	return cw.Error()
}
