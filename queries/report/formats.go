package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"slackaudit/queries"
)

// RenderJSON writes the report as one indented JSON object, for programs.
func RenderJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// RenderCSV writes the report as one long table — section, billing account,
// workspace, key, value — that a spreadsheet can pivot. A value a
// spreadsheet would run as a formula gets a leading quote.
func RenderCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	row := func(section, org, team, key string, v any) {
		cw.Write([]string{section, org, team, key, queries.NeutraliseFormula(queries.Text(v, "", ""))})
	}
	cw.Write([]string{"section", "org_id", "team_id", "key", "value"})
	row("sync", "", "", "run_id", r.RunID)
	row("sync", "", "", "as_of", r.AsOf.Format("2006-01-02T15:04:05Z"))
	row("sync", "", "", "inactive_after_days", int64(r.InactiveAfterDays))
	for _, a := range r.Accounts {
		for _, s := range append([]Seats{a.Seats}, a.Workspaces...) {
			csvSeats(row, s)
		}
		csvOffenders(row, a)
		csvUsage(row, a)
	}
	csvWasteTrend(row, r.WasteTrend)
	if r.Apps != nil {
		csvApps(row, r.Apps)
	}
	for _, g := range r.Gaps {
		row("not_synced", "", g.TeamID, g.Source, g.Reason)
	}
	cw.Flush()
	return cw.Error()
}

// csvRow writes one row of the long table.
type csvRow func(section, org, team, key string, v any)

type keyValue struct {
	k string
	v any
}

func csvSeats(row csvRow, s Seats) {
	for _, kv := range []keyValue{{"name", s.Name}, {"plan", s.Plan}, {"owners", s.Owners}, {"admins", s.Admins},
		{"members", s.Members}, {"multi_channel_guests", s.MultiGuests}, {"single_channel_guests", s.SingleGuests},
		{"billed_single_channel_guests", s.BilledGuests}, {"invited", s.Invited}, {"bots", s.Bots},
		{"deactivated", s.Deactivated}, {"paid_seats", s.Paid}, {"slack_billable", s.SlackBillable},
		{"estimated_billable", s.EstimatedBillable}, {"inactive_paid_seats", s.Inactive},
		{"never_used_paid_seats", s.NeverUsed}, {"monthly_cost", s.MonthlyCost}, {"monthly_waste", s.MonthlyWaste},
		{"yearly_waste", s.YearlyWaste}, {"currency", s.Currency}, {"note", s.Note}} {
		row(s.Scope, s.OrgID, s.TeamID, kv.k, kv.v)
	}
}

func csvOffenders(row csvRow, a Account) {
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

// csvUsage writes an account's paid seats by usage frequency and by days
// since last use, one row per frequency or bin.
func csvUsage(row csvRow, a Account) {
	for _, f := range a.Frequency {
		row("usage_frequency", a.OrgID, "", f.Frequency, f.PaidSeats)
	}
	for _, b := range a.LastUse {
		row("days_since_last_use", a.OrgID, "", b.Bin, b.PaidSeats)
	}
}

// csvWasteTrend writes each account's waste at each sync, keyed by sync.
func csvWasteTrend(row csvRow, points []WastePoint) {
	for _, p := range points {
		key := fmt.Sprintf("run_%d", p.RunID)
		row("waste_trend", p.OrgID, "", key+".as_of", p.AsOf.Format("2006-01-02T15:04:05Z"))
		row("waste_trend", p.OrgID, "", key+".inactive_paid_seats", p.Inactive)
		row("waste_trend", p.OrgID, "", key+".monthly_waste", p.MonthlyWaste)
		row("waste_trend", p.OrgID, "", key+".currency", p.Currency)
		row("waste_trend", p.OrgID, "", key+".price_known", p.PriceKnown)
	}
}

func csvApps(row csvRow, a *Apps) {
	for _, c := range a.Workspaces {
		for _, kv := range []keyValue{{"critical", c.Critical}, {"high", c.High}, {"medium", c.Medium}, {"low", c.Low},
			{"unknown_or_none", c.Other}, {"installed", c.Installed}, {"disabled", c.Disabled}, {"orphaned", c.Orphaned}} {
			row("apps", "", c.TeamID, kv.k, kv.v)
		}
	}
	for _, c := range a.ByRisk {
		row("apps_by_risk", "", "", c.Risk, c.Installed)
	}
	for i, l := range a.Riskiest {
		key := fmt.Sprintf("risky_app_%d", i+1)
		row("risky_app", "", l.TeamID, key+".name", l.Name)
		row("risky_app", "", l.TeamID, key+".risk_level", l.Risk)
		row("risky_app", "", l.TeamID, key+".risk_reasons", l.Why)
		row("risky_app", "", l.TeamID, key+".installed_by", l.InstalledBy)
	}
}
