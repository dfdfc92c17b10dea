package report

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// FrequencyCount counts a billing account's paid seats whose holders use
// Slack at one frequency: daily, weekly, monthly, dormant or never.
type FrequencyCount struct {
	Frequency string `json:"usage_frequency"`
	PaidSeats int64  `json:"paid_seats"`
}

// LastUseBin counts a billing account's paid seats last used between
// MinDays and MaxDays days (both included) before the sync. MaxDays is nil
// for the open last bin (">365"); both are nil for the seats never used.
type LastUseBin struct {
	Bin       string `json:"bin"`
	MinDays   *int64 `json:"min_days"`
	MaxDays   *int64 `json:"max_days"`
	PaidSeats int64  `json:"paid_seats"`
}

// WastePoint is one billing account's waste at one sync. MonthlyWaste says
// nothing when PriceKnown is false: no seat price was set for the plan.
type WastePoint struct {
	RunID        int64     `json:"run_id"`
	AsOf         time.Time `json:"as_of"`
	OrgID        string    `json:"org_id"`
	Name         string    `json:"name"`
	Inactive     int64     `json:"inactive_paid_seats"`
	MonthlyWaste float64   `json:"monthly_waste"`
	Currency     string    `json:"currency"`
	PriceKnown   bool      `json:"price_known"`
	// InactiveAfterDays is the inactivity window Inactive was counted over.
	InactiveAfterDays int `json:"inactive_after_days"`
	// Plan is the account's plan at that sync, to price it afresh.
	Plan string `json:"-"`
}

// RiskCount counts the installed apps of one risk level.
type RiskCount struct {
	Risk      string `json:"risk_level"`
	Installed int64  `json:"installed"`
}

// scanAll runs a named query of the report group and scans each row with
// scan; what names the data in errors.
func scanAll[T any](ctx context.Context, db *sql.DB, name, what string, scan func(*sql.Rows) (T, error)) ([]T, error) {
	rows, err := query(ctx, db, name, nil)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	return out, nil
}

// orgRow is a row of a per-account query: the account and its value.
type orgRow[T any] struct {
	org string
	v   T
}

// readUsage gives each account its paid seats by usage frequency
// (report_usage_frequency) and by days since last use
// (report_last_use_histogram).
func readUsage(ctx context.Context, db *sql.DB, accounts []Account) error {
	freq, err := scanAll(ctx, db, "report_usage_frequency", "usage frequency", func(rows *sql.Rows) (orgRow[FrequencyCount], error) {
		var r orgRow[FrequencyCount]
		err := rows.Scan(&r.org, &r.v.Frequency, &r.v.PaidSeats)
		return r, err
	})
	if err != nil {
		return err
	}
	bins, err := scanAll(ctx, db, "report_last_use_histogram", "days since last use", func(rows *sql.Rows) (orgRow[LastUseBin], error) {
		var r orgRow[LastUseBin]
		var lo, hi sql.NullInt64
		err := rows.Scan(&r.org, &r.v.Bin, &lo, &hi, &r.v.PaidSeats)
		r.v.MinDays, r.v.MaxDays = nullInt(lo), nullInt(hi)
		return r, err
	})
	if err != nil {
		return err
	}
	for i := range accounts {
		a := &accounts[i]
		a.Frequency = ofOrg(freq, a.OrgID)
		a.LastUse = ofOrg(bins, a.OrgID)
	}
	return nil
}

// ofOrg keeps the values of one account's rows, in order.
func ofOrg[T any](rows []orgRow[T], org string) []T {
	var out []T
	for _, r := range rows {
		if r.org == org {
			out = append(out, r.v)
		}
	}
	return out
}

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

// readWasteTrend reads each account's waste at each sync
// (report_waste_trend), oldest first.
func readWasteTrend(ctx context.Context, db *sql.DB) ([]WastePoint, error) {
	return scanAll(ctx, db, "report_waste_trend", "seat_history", func(rows *sql.Rows) (WastePoint, error) {
		var p WastePoint
		err := rows.Scan(&p.AsOf, &p.RunID, &p.OrgID, &p.Name, &p.Inactive, &p.MonthlyWaste, &p.Currency, &p.PriceKnown, &p.Plan, &p.InactiveAfterDays)
		p.AsOf = p.AsOf.UTC()
		return p, err
	})
}

// readAppsByRisk counts installed apps per risk level (report_apps_by_risk).
func readAppsByRisk(ctx context.Context, db *sql.DB) ([]RiskCount, error) {
	return scanAll(ctx, db, "report_apps_by_risk", "apps by risk", func(rows *sql.Rows) (RiskCount, error) {
		var c RiskCount
		err := rows.Scan(&c.Risk, &c.Installed)
		return c, err
	})
}
