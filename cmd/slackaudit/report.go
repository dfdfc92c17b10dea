package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// licenceReport is what `slackaudit report` shows, read from the latest sync.
type licenceReport struct {
	RunID             int64           `json:"run_id"`
	AsOf              time.Time       `json:"as_of"`
	Mode              string          `json:"mode"`
	InactiveAfterDays int             `json:"inactive_after_days"`
	Accounts          []accountReport `json:"billing_accounts"`
	Apps              *appsReport     `json:"apps,omitempty"`
	Gaps              []gapReport     `json:"not_synced"`
}

// appsReport is the apps section: installed apps by risk per workspace and
// the riskiest of them.
type appsReport struct {
	Workspaces []appCounts `json:"workspaces"`
	Riskiest   []appLine   `json:"riskiest_installed_apps"`
	Installed  int64       `json:"installed"`
}

// appCounts counts one workspace's installed apps by risk level.
type appCounts struct {
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

// appLine is one installed app.
type appLine struct {
	TeamID      string     `json:"team_id"`
	Workspace   string     `json:"workspace"`
	Name        string     `json:"name"`
	Risk        string     `json:"risk_level"`
	Why         string     `json:"risk_reasons"`
	InstalledBy string     `json:"installed_by,omitempty"`
	InstalledAt *time.Time `json:"installed_at,omitempty"`
	Orphaned    bool       `json:"orphaned"`
}

// accountReport is one billing account: its totals, its workspaces and the
// paid seats nobody used.
type accountReport struct {
	seatRow
	Name       string     `json:"name"`
	Workspaces []seatRow  `json:"workspaces"`
	Offenders  []offender `json:"top_inactive_paid_seats"`
}

// seatRow is one license_summary row.
type seatRow struct {
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

// offender is an inactive paid seat.
type offender struct {
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

type gapReport struct {
	Source string `json:"source"`
	TeamID string `json:"team_id"`
	Status string `json:"status"`
	Reason string `json:"reason"`
	Unlock string `json:"unlock,omitempty"`
}

// errNoSync is what every reader of the warehouse says before the first sync.
var errNoSync = errors.New("the warehouse has no completed sync: run slackaudit sync first")

// readReport gathers the report from the latest successful sync.
func readReport(ctx context.Context, db *sql.DB, top int) (*licenceReport, error) {
	r := &licenceReport{}
	err := db.QueryRowContext(ctx, `SELECT run_id, as_of, coalesce(mode, '') FROM latest_sync`).Scan(&r.RunID, &r.AsOf, &r.Mode)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoSync
	}
	if err != nil {
		return nil, fmt.Errorf("reading the latest sync: %w", err)
	}
	r.AsOf = r.AsOf.UTC()
	rows, err := db.QueryContext(ctx, `SELECT s.scope, s.org_id, coalesce(s.team_id, ''),
		coalesce(CASE WHEN s.scope = 'workspace' THEN w.name ELSE coalesce(e.enterprise_name, w.name) END, s.org_id),
		coalesce(s.plan, ''), owners, admins, members, multi_channel_guests, single_channel_guests, billed_single_channel_guests,
		invited, bots, deactivated, paid_seats, slack_billable, estimated_billable, inactive_paid_seats, never_used_paid_seats,
		monthly_cost, monthly_waste, yearly_waste, currency, price_known, all_active_pattern, coalesce(note, ''), inactive_after_days
		FROM license_summary s
		LEFT JOIN workspaces w ON w.team_id = coalesce(s.team_id, s.org_id)
		LEFT JOIN (SELECT DISTINCT enterprise_id, enterprise_name FROM workspaces WHERE enterprise_id IS NOT NULL) e ON e.enterprise_id = s.org_id
		ORDER BY s.org_id, s.scope, s.team_id NULLS FIRST`)
	if err != nil {
		return nil, fmt.Errorf("reading license_summary: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s seatRow
		if err := rows.Scan(&s.Scope, &s.OrgID, &s.TeamID, &s.Name, &s.Plan, &s.Owners, &s.Admins, &s.Members, &s.MultiGuests,
			&s.SingleGuests, &s.BilledGuests, &s.Invited, &s.Bots, &s.Deactivated, &s.Paid, &s.SlackBillable,
			&s.EstimatedBillable, &s.Inactive, &s.NeverUsed, &s.MonthlyCost, &s.MonthlyWaste, &s.YearlyWaste, &s.Currency,
			&s.PriceKnown, &s.AllActivePattern, &s.Note, &r.InactiveAfterDays); err != nil {
			return nil, err
		}
		if s.Scope == "billing_account" {
			r.Accounts = append(r.Accounts, accountReport{seatRow: s, Name: s.Name})
		} else if n := len(r.Accounts); n > 0 && r.Accounts[n-1].OrgID == s.OrgID {
			r.Accounts[n-1].Workspaces = append(r.Accounts[n-1].Workspaces, s)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range r.Accounts {
		if r.Accounts[i].Offenders, err = readOffenders(ctx, db, r.Accounts[i].OrgID, top); err != nil {
			return nil, err
		}
	}
	if r.Apps, err = readApps(ctx, db, top); err != nil {
		return nil, err
	}
	if r.Gaps, err = readGaps(ctx, db, r.RunID); err != nil {
		return nil, err
	}
	return r, nil
}

// readOffenders lists an account's inactive paid seats: never used first,
// then the longest unused, then the most expensive.
func readOffenders(ctx context.Context, db *sql.DB, org string, top int) ([]offender, error) {
	rows, err := db.QueryContext(ctx, `SELECT l.user_id, coalesce(u.real_name, u.name, l.user_id), coalesce(u.email, ''), l.seat_type,
		l.last_used_at, l.days_since_last_use, coalesce(uu.last_used_source, ''), coalesce(l.billing_flag, ''), l.monthly_cost
		FROM licenses l
		LEFT JOIN (SELECT user_id, any_value(real_name) AS real_name, any_value(name) AS name, any_value(email) AS email
		           FROM users GROUP BY user_id) u USING (user_id)
		LEFT JOIN user_usage uu USING (org_id, user_id)
		WHERE l.org_id = ? AND l.is_paid_seat_type AND NOT l.active_in_window
		ORDER BY l.last_used_at NULLS FIRST, l.monthly_cost DESC, l.user_id
		LIMIT ?`, org, top)
	if err != nil {
		return nil, fmt.Errorf("reading inactive paid seats: %w", err)
	}
	defer rows.Close()
	var out []offender
	for rows.Next() {
		var o offender
		var last sql.NullTime
		var days sql.NullInt64
		if err := rows.Scan(&o.UserID, &o.Name, &o.Email, &o.Seat, &last, &days, &o.Source, &o.BillingFlag, &o.MonthlyCost); err != nil {
			return nil, err
		}
		if last.Valid {
			t := last.Time.UTC()
			o.LastUsed = &t
		}
		if days.Valid {
			o.DaysUnused = &days.Int64
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func readGaps(ctx context.Context, db *sql.DB, run int64) ([]gapReport, error) {
	rows, err := db.QueryContext(ctx, `SELECT source, team_id, status, coalesce(reason, ''), coalesce(unlock, '')
		FROM source_status WHERE run_id = ? AND status <> 'ok' ORDER BY source, team_id`, run)
	if err != nil {
		return nil, fmt.Errorf("reading source_status: %w", err)
	}
	defer rows.Close()
	var out []gapReport
	for rows.Next() {
		var g gapReport
		if err := rows.Scan(&g.Source, &g.TeamID, &g.Status, &g.Reason, &g.Unlock); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// riskOrder sorts risk levels riskiest first in SQL.
const riskOrder = `list_position(['critical', 'high', 'medium', 'low', 'unknown', 'none'], risk_level)`

// readApps counts installed apps by risk per workspace and lists the
// riskiest; nil when the sync read no integration log.
func readApps(ctx context.Context, db *sql.DB, top int) (*appsReport, error) {
	rows, err := db.QueryContext(ctx, `SELECT a.team_id, coalesce(any_value(w.name), a.team_id),
		count(*) FILTER (status = 'installed' AND risk_level = 'critical'),
		count(*) FILTER (status = 'installed' AND risk_level = 'high'),
		count(*) FILTER (status = 'installed' AND risk_level = 'medium'),
		count(*) FILTER (status = 'installed' AND risk_level = 'low'),
		count(*) FILTER (status = 'installed' AND risk_level IN ('unknown', 'none')),
		count(*) FILTER (status = 'installed'),
		count(*) FILTER (status = 'disabled'),
		count(*) FILTER (status IN ('installed', 'disabled') AND installer_deactivated)
		FROM apps a LEFT JOIN workspaces w USING (team_id)
		GROUP BY a.team_id ORDER BY a.team_id`)
	if err != nil {
		return nil, fmt.Errorf("reading apps: %w", err)
	}
	defer rows.Close()
	r := &appsReport{}
	for rows.Next() {
		var c appCounts
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
	lines, err := db.QueryContext(ctx, `SELECT a.team_id, coalesce(w.name, a.team_id), a.name, a.risk_level,
		array_to_string(list_filter(a.risk_reasons, x -> NOT starts_with(x, 'orphaned')), '; '), coalesce(u.real_name, a.installed_by_name, a.installed_by, ''), a.installed_at,
		coalesce(a.installer_deactivated, false)
		FROM apps a LEFT JOIN workspaces w USING (team_id)
		LEFT JOIN (SELECT user_id, any_value(real_name) AS real_name FROM users GROUP BY user_id) u ON u.user_id = a.installed_by
		WHERE a.status = 'installed'
		ORDER BY `+riskOrder+`, a.installer_deactivated DESC NULLS LAST, a.team_id, a.name, a.integration_id
		LIMIT ?`, top)
	if err != nil {
		return nil, fmt.Errorf("reading apps: %w", err)
	}
	defer lines.Close()
	for lines.Next() {
		var l appLine
		var at sql.NullTime
		if err := lines.Scan(&l.TeamID, &l.Workspace, &l.Name, &l.Risk, &l.Why, &l.InstalledBy, &at, &l.Orphaned); err != nil {
			return nil, err
		}
		if at.Valid {
			t := at.Time.UTC()
			l.InstalledAt = &t
		}
		r.Riskiest = append(r.Riskiest, l)
	}
	return r, lines.Err()
}
