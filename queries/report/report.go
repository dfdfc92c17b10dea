// Package report is slackaudit's licence report: [Read] gathers it from the
// latest sync through the named queries of the report group
// (queries/report_*.sql, which analysts can run on their own too), and the
// Render functions write it as text tables, Markdown, JSON, CSV or a
// self-contained HTML page with charts.
package report

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"slackaudit/queries"
	"slackaudit/warehouse"
)

// Report is what `slackaudit report` shows, read from the latest sync. Its
// JSON field names are part of the report's JSON format.
type Report struct {
	RunID             int64     `json:"run_id"`
	AsOf              time.Time `json:"as_of"`
	Mode              string    `json:"mode"`
	InactiveAfterDays int       `json:"inactive_after_days"`
	Accounts          []Account `json:"billing_accounts"`
	Apps              *Apps     `json:"apps,omitempty"`
	Gaps              []Gap     `json:"not_synced"`
	// WasteTrend is each billing account's waste at each sync
	// (report_waste_trend), oldest first.
	WasteTrend []WastePoint `json:"waste_trend"`
}

// Apps is the apps section: installed apps by risk per workspace and the
// riskiest of them.
type Apps struct {
	Workspaces []AppCounts `json:"workspaces"`
	Riskiest   []App       `json:"riskiest_installed_apps"`
	Installed  int64       `json:"installed"`
	// ByRisk counts installed apps across workspaces per risk level
	// (report_apps_by_risk), riskiest first, every level listed.
	ByRisk []RiskCount `json:"installed_by_risk"`
}

// AppCounts counts one workspace's installed apps by risk level.
type AppCounts struct {
	TeamID    string `json:"team_id"`
	Name      string `json:"name"`
	Critical  int64  `json:"critical"`
	High      int64  `json:"high"`
	Medium    int64  `json:"medium"`
	Low       int64  `json:"low"`
	Other     int64  `json:"unknown_or_none"`
	Installed int64  `json:"installed"`
	Disabled  int64  `json:"disabled"`
	Orphaned  int64  `json:"orphaned"`
}

// App is one installed app.
type App struct {
	TeamID      string     `json:"team_id"`
	Workspace   string     `json:"workspace"`
	Name        string     `json:"name"`
	Risk        string     `json:"risk_level"`
	Why         string     `json:"risk_reasons"`
	InstalledBy string     `json:"installed_by,omitempty"`
	InstalledAt *time.Time `json:"installed_at,omitempty"`
	Orphaned    bool       `json:"orphaned"`
}

// Account is one billing account: its totals, its workspaces and the paid
// seats nobody used.
type Account struct {
	Seats
	Name       string     `json:"name"`
	Workspaces []Seats    `json:"workspaces"`
	Offenders  []Offender `json:"top_inactive_paid_seats"`
	// Frequency and LastUse count the account's paid seats by usage
	// frequency (report_usage_frequency) and by days since last use
	// (report_last_use_histogram), every frequency and bin listed.
	Frequency []FrequencyCount `json:"usage_frequency"`
	LastUse   []LastUseBin     `json:"days_since_last_use"`
	// PlanTitle is the plan's name as people know it (Options.PlanTitle),
	// for the text formats.
	PlanTitle string `json:"-"`
}

// Seats is one row of license_summary: a billing account's or a
// workspace's seats, billing flags and money.
type Seats struct {
	Scope             string  `json:"scope"`
	OrgID             string  `json:"org_id"`
	TeamID            string  `json:"team_id,omitempty"`
	Name              string  `json:"name,omitempty"`
	Plan              string  `json:"plan"`
	Owners            int64   `json:"owners"`
	Admins            int64   `json:"admins"`
	Members           int64   `json:"members"`
	MultiGuests       int64   `json:"multi_channel_guests"`
	SingleGuests      int64   `json:"single_channel_guests"`
	BilledGuests      int64   `json:"billed_single_channel_guests"`
	Invited           int64   `json:"invited"`
	Bots              int64   `json:"bots"`
	Deactivated       int64   `json:"deactivated"`
	Paid              int64   `json:"paid_seats"`
	SlackBillable     int64   `json:"slack_billable"`
	EstimatedBillable int64   `json:"estimated_billable"`
	Inactive          int64   `json:"inactive_paid_seats"`
	NeverUsed         int64   `json:"never_used_paid_seats"`
	MonthlyCost       float64 `json:"monthly_cost"`
	MonthlyWaste      float64 `json:"monthly_waste"`
	YearlyWaste       float64 `json:"yearly_waste"`
	Currency          string  `json:"currency"`
	PriceKnown        bool    `json:"price_known"`
	AllActivePattern  bool    `json:"all_active_pattern"`
	Note              string  `json:"note,omitempty"`
}

// Offender is an inactive paid seat.
type Offender struct {
	UserID      string     `json:"user_id"`
	Name        string     `json:"name"`
	Email       string     `json:"email,omitempty"`
	Seat        string     `json:"seat_type"`
	LastUsed    *time.Time `json:"last_used_at"`
	DaysUnused  *int64     `json:"days_since_last_use"`
	Source      string     `json:"last_used_source,omitempty"`
	BillingFlag string     `json:"billing_flag"`
	MonthlyCost float64    `json:"monthly_cost"`
}

// Gap is a data set the sync could not read in a workspace.
type Gap struct {
	Source string                `json:"source"`
	TeamID string                `json:"team_id"`
	Status warehouse.SourceState `json:"status"`
	Reason string                `json:"reason"`
	Unlock string                `json:"unlock,omitempty"`
}

// Options says how much to read.
type Options struct {
	// Top is how many inactive paid seats to list per billing account, and
	// how many of the riskiest apps.
	Top int
	// PlanTitle names a plan (the warehouse's plan name, such as pro) as
	// people know it; nil leaves the name as it is.
	PlanTitle func(plan string) string
	// Pricing prices the seats afresh instead of with the prices the sync
	// stored; nil keeps the sync's.
	Pricing *Pricing
	// InactiveAfterDays recounts inactive seats over this window (days
	// before the sync's as_of) instead of the sync's; 0 keeps the sync's.
	InactiveAfterDays int
}

// Read gathers the report from the latest completed sync, through the
// report group's named queries. db is the warehouse, best opened read-only.
// Before the first sync it returns [warehouse.ErrNoSync].
func Read(ctx context.Context, db *sql.DB, o Options) (*Report, error) {
	r, err := readSync(ctx, db)
	if err != nil {
		return nil, err
	}
	if r.Accounts, r.InactiveAfterDays, err = readAccounts(ctx, db, o); err != nil {
		return nil, err
	}
	for i := range r.Accounts {
		if r.Accounts[i].Offenders, err = readOffenders(ctx, db, r.Accounts[i].OrgID, o); err != nil {
			return nil, err
		}
	}
	if r.Apps, err = readApps(ctx, db, o.Top); err != nil {
		return nil, err
	}
	if r.Gaps, err = readGaps(ctx, db, r.RunID); err != nil {
		return nil, err
	}
	if err := readUsage(ctx, db, r.Accounts); err != nil {
		return nil, err
	}
	if r.WasteTrend, err = readWasteTrend(ctx, db); err != nil {
		return nil, err
	}
	return r, r.reassess(ctx, db, o)
}

// query runs a named query of the report group; params are bound, never
// spliced into its SQL.
func query(ctx context.Context, db *sql.DB, name string, params map[string]string) (*sql.Rows, error) {
	n, err := queries.Lookup(name)
	if err != nil {
		return nil, err
	}
	args, err := n.Args(params)
	if err != nil {
		return nil, err
	}
	return db.QueryContext(ctx, n.SQL, args...)
}

// readSync reads which sync the report shows (report_sync).
func readSync(ctx context.Context, db *sql.DB) (*Report, error) {
	rows, err := query(ctx, db, "report_sync", nil)
	if err != nil {
		return nil, fmt.Errorf("reading the latest sync: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("reading the latest sync: %w", err)
		}
		return nil, warehouse.ErrNoSync
	}
	r := &Report{}
	if err := rows.Scan(&r.RunID, &r.AsOf, &r.Mode); err != nil {
		return nil, fmt.Errorf("reading the latest sync: %w", err)
	}
	r.AsOf = r.AsOf.UTC()
	return r, rows.Close()
}

// readAccounts reads the billing accounts, each with its workspaces
// (report_accounts), and the inactivity window the sync used.
func readAccounts(ctx context.Context, db *sql.DB, o Options) (accounts []Account, inactiveAfterDays int, err error) {
	rows, err := query(ctx, db, "report_accounts", nil)
	if err != nil {
		return nil, 0, fmt.Errorf("reading license_summary: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s Seats
		if err := rows.Scan(&s.Scope, &s.OrgID, &s.TeamID, &s.Name, &s.Plan, &s.Owners, &s.Admins, &s.Members, &s.MultiGuests,
			&s.SingleGuests, &s.BilledGuests, &s.Invited, &s.Bots, &s.Deactivated, &s.Paid, &s.SlackBillable,
			&s.EstimatedBillable, &s.Inactive, &s.NeverUsed, &s.MonthlyCost, &s.MonthlyWaste, &s.YearlyWaste, &s.Currency,
			&s.PriceKnown, &s.AllActivePattern, &s.Note, &inactiveAfterDays); err != nil {
			return nil, 0, err
		}
		if s.Scope == "billing_account" {
			accounts = append(accounts, Account{Seats: s, Name: s.Name, PlanTitle: o.planTitle(s.Plan)})
		} else if n := len(accounts); n > 0 && accounts[n-1].OrgID == s.OrgID {
			accounts[n-1].Workspaces = append(accounts[n-1].Workspaces, s)
		}
	}
	return accounts, inactiveAfterDays, rows.Err()
}

func (o Options) planTitle(plan string) string {
	if o.PlanTitle == nil {
		return plan
	}
	return o.PlanTitle(plan)
}

// readOffenders lists an account's inactive paid seats
// (report_inactive_seats, or report_inactive_seats_over o's window):
// never used first, then the longest unused, then the most expensive.
func readOffenders(ctx context.Context, db *sql.DB, org string, o Options) ([]Offender, error) {
	name, params := "report_inactive_seats", map[string]string{"org": org, "top": strconv.Itoa(o.Top)}
	if o.InactiveAfterDays > 0 {
		name, params["days"] = "report_inactive_seats_over", strconv.Itoa(o.InactiveAfterDays)
	}
	rows, err := query(ctx, db, name, params)
	if err != nil {
		return nil, fmt.Errorf("reading inactive paid seats: %w", err)
	}
	defer rows.Close()
	var out []Offender
	for rows.Next() {
		var o Offender
		var orgID string
		var last sql.NullTime
		var days sql.NullInt64
		if err := rows.Scan(&orgID, &o.UserID, &o.Name, &o.Email, &o.Seat, &last, &days, &o.Source, &o.BillingFlag, &o.MonthlyCost); err != nil {
			return nil, err
		}
		o.LastUsed = utcTime(last)
		if days.Valid {
			o.DaysUnused = &days.Int64
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// utcTime is a nullable time in UTC, nil for NULL.
func utcTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// readGaps lists what the sync could not read (report_gaps).
func readGaps(ctx context.Context, db *sql.DB, run int64) ([]Gap, error) {
	rows, err := query(ctx, db, "report_gaps", map[string]string{"run": strconv.FormatInt(run, 10)})
	if err != nil {
		return nil, fmt.Errorf("reading source_status: %w", err)
	}
	defer rows.Close()
	var out []Gap
	for rows.Next() {
		var g Gap
		var status string
		if err := rows.Scan(&g.Source, &g.TeamID, &status, &g.Reason, &g.Unlock); err != nil {
			return nil, err
		}
		if g.Status, err = warehouse.ParseSourceState(status); err != nil {
			return nil, fmt.Errorf("reading source_status (%s, %s): %w", g.Source, g.TeamID, err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// readApps counts installed apps by risk per workspace
// (report_apps_by_workspace) and lists the riskiest (report_riskiest_apps);
// nil when the sync read no integration log.
func readApps(ctx context.Context, db *sql.DB, top int) (*Apps, error) {
	rows, err := query(ctx, db, "report_apps_by_workspace", nil)
	if err != nil {
		return nil, fmt.Errorf("reading apps: %w", err)
	}
	defer rows.Close()
	r := &Apps{}
	for rows.Next() {
		var c AppCounts
		if err := rows.Scan(&c.TeamID, &c.Name, &c.Critical, &c.High, &c.Medium, &c.Low, &c.Other, &c.Installed, &c.Disabled, &c.Orphaned); err != nil {
			return nil, err
		}
		r.Installed += c.Installed
		r.Workspaces = append(r.Workspaces, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(r.Workspaces) == 0 {
		return nil, nil
	}
	if r.Riskiest, err = readRiskiest(ctx, db, top); err != nil {
		return nil, err
	}
	r.ByRisk, err = readAppsByRisk(ctx, db)
	return r, err
}

// readRiskiest lists the riskiest installed apps (report_riskiest_apps).
func readRiskiest(ctx context.Context, db *sql.DB, top int) ([]App, error) {
	rows, err := query(ctx, db, "report_riskiest_apps", map[string]string{"top": strconv.Itoa(top)})
	if err != nil {
		return nil, fmt.Errorf("reading apps: %w", err)
	}
	defer rows.Close()
	var out []App
	for rows.Next() {
		var l App
		var at sql.NullTime
		if err := rows.Scan(&l.TeamID, &l.Workspace, &l.Name, &l.Risk, &l.Why, &l.InstalledBy, &at, &l.Orphaned); err != nil {
			return nil, err
		}
		l.InstalledAt = utcTime(at)
		out = append(out, l)
	}
	return out, rows.Err()
}
