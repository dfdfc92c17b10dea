package report

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Pricing is a price list given when the report is read, in place of the
// one the sync stored.
type Pricing struct {
	// Currency names the amounts (ISO 4217, such as EUR).
	Currency string
	// Price is the monthly price of one paid seat on plan (as the
	// warehouse names it, such as business_plus), and whether a price is
	// known for it: a plan priced by contract has none until one is given.
	Price func(plan string) (amount float64, known bool)
}

// reassess recounts the inactive seats over o's window and prices the
// seats with o's prices, when o asks for either; the notes follow.
func (r *Report) reassess(ctx context.Context, db *sql.DB, o Options) error {
	recounted := o.InactiveAfterDays > 0 && o.InactiveAfterDays != r.InactiveAfterDays
	if recounted {
		if err := recount(ctx, db, r.Accounts, o.InactiveAfterDays); err != nil {
			return err
		}
		r.InactiveAfterDays = o.InactiveAfterDays
		r.recountTrend()
	}
	if o.Pricing != nil {
		r.reprice(*o.Pricing)
	}
	if !recounted && o.Pricing == nil {
		return nil
	}
	for i := range r.Accounts {
		a := &r.Accounts[i]
		a.Note = seatNote(a.Seats, r.InactiveAfterDays)
		for j := range a.Workspaces {
			a.Workspaces[j].Note = seatNote(a.Workspaces[j], r.InactiveAfterDays)
		}
	}
	return nil
}

// windowCounts is one scope's row of report_window_counts.
type windowCounts struct {
	active, inactive, never, flagged int64
	seatPrice                        float64
}

// recount recounts each account's and workspace's seats over a window of
// days (report_window_counts) and what the inactive ones cost at the
// sync's prices.
func recount(ctx context.Context, db *sql.DB, accounts []Account, days int) error {
	rows, err := query(ctx, db, "report_window_counts", map[string]string{"days": strconv.Itoa(days)})
	if err != nil {
		return fmt.Errorf("recounting inactive seats over %d days: %w", days, err)
	}
	defer rows.Close()
	counts := map[[3]string]windowCounts{}
	for rows.Next() {
		var scope, org, team string
		var c windowCounts
		if err := rows.Scan(&scope, &org, &team, &c.active, &c.inactive, &c.never, &c.flagged, &c.seatPrice); err != nil {
			return fmt.Errorf("recounting inactive seats over %d days: %w", days, err)
		}
		counts[[3]string{scope, org, team}] = c
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("recounting inactive seats over %d days: %w", days, err)
	}
	for i := range accounts {
		a := &accounts[i]
		price := counts[[3]string{a.Scope, a.OrgID, ""}].seatPrice
		a.Seats.setCounts(counts[[3]string{a.Scope, a.OrgID, a.TeamID}], price)
		for j := range a.Workspaces {
			w := &a.Workspaces[j]
			w.setCounts(counts[[3]string{w.Scope, w.OrgID, w.TeamID}], price)
		}
	}
	return nil
}

// setCounts takes a scope's recounted seats, and what its inactive seats
// cost at price a seat.
func (s *Seats) setCounts(c windowCounts, price float64) {
	s.EstimatedBillable, s.Inactive, s.NeverUsed = c.active, c.inactive, c.never
	// Slack flags as billable nearly every paid seat nobody used.
	s.AllActivePattern = c.inactive > 0 && float64(c.flagged) >= 0.9*float64(c.inactive)
	s.MonthlyWaste = cents(float64(s.Inactive) * price)
	s.YearlyWaste = cents(12 * s.MonthlyWaste)
}

// recountTrend puts the recounted accounts in the waste trend's latest
// sync; the earlier syncs keep the window they were counted over (their
// seats are no longer in the warehouse).
func (r *Report) recountTrend() {
	for i := range r.WasteTrend {
		p := &r.WasteTrend[i]
		if p.RunID != r.RunID {
			continue
		}
		for _, a := range r.Accounts {
			if a.OrgID == p.OrgID {
				p.Inactive, p.MonthlyWaste, p.InactiveAfterDays = a.Inactive, a.MonthlyWaste, r.InactiveAfterDays
			}
		}
	}
}

// reprice prices every paid seat with p: an account's seats at its plan's
// price, a workspace's at its account's.
func (r *Report) reprice(p Pricing) {
	for i := range r.Accounts {
		a := &r.Accounts[i]
		price, _ := p.Price(a.Plan)
		a.Seats.setPrice(p, price)
		for j := range a.Workspaces {
			a.Workspaces[j].setPrice(p, price)
		}
		for j := range a.Offenders {
			a.Offenders[j].MonthlyCost = price
		}
	}
	for i := range r.WasteTrend {
		t := &r.WasteTrend[i]
		price, known := p.Price(t.Plan)
		t.MonthlyWaste, t.Currency, t.PriceKnown = cents(float64(t.Inactive)*price), p.Currency, known
	}
}

// setPrice prices a scope's paid seats at price a seat, in p's currency.
func (s *Seats) setPrice(p Pricing, price float64) {
	_, s.PriceKnown = p.Price(s.Plan)
	s.Currency = p.Currency
	s.MonthlyCost = cents(float64(s.Paid) * price)
	s.MonthlyWaste = cents(float64(s.Inactive) * price)
	s.YearlyWaste = cents(12 * s.MonthlyWaste)
}

// cents rounds an amount to cents.
func cents(v float64) float64 { return math.Round(v*100) / 100 }

// seatNote is what to make of a scope's numbers, in the sync's words: the
// note seat_history stores, written again for a new window or price list.
func seatNote(s Seats, days int) string {
	var parts []string
	if s.AllActivePattern {
		parts = append(parts, fmt.Sprintf("Slack flags %d accounts as billable and %d seats are of paid types, but only %d of those were used "+
			"in the last %d days: Slack's billing_active flag reads true for nearly everyone here, so it overstates what is billed. "+
			"The estimate of %d billable seats comes from activity.",
			s.SlackBillable, s.Paid, s.EstimatedBillable, days, s.EstimatedBillable))
	}
	if !s.PriceKnown && s.Paid > 0 {
		parts = append(parts, fmt.Sprintf("No seat price is known for the %s plan: set one with --price %s=AMOUNT to see costs.", s.Plan, s.Plan))
	}
	return strings.Join(parts, " ")
}
