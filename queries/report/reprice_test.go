package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/queries/report"
)

// TestRepriceAndRecount prices the three accounts afresh and recounts
// their seats over another window, and checks the sums by hand: every
// amount is seats × the plan's price, and a plan without a price has none.
func TestRepriceAndRecount(t *testing.T) {
	t.Parallel()
	path := threeAccounts(t)
	stored := read(t, path, report.Options{Top: 1000})
	prices := map[string]float64{"enterprise": 20, "business_plus": 12.5}
	p := &report.Pricing{Currency: "EUR", Price: func(plan string) (float64, bool) {
		v, ok := prices[plan]
		return v, ok
	}}
	r := read(t, path, report.Options{Top: 1000, Pricing: p})
	require.Len(t, r.Accounts, len(stored.Accounts))
	for i, a := range r.Accounts {
		s := stored.Accounts[i]
		price, known := prices[a.Plan]
		assert.Equal(t, s.Inactive, a.Inactive, a.OrgID)
		assert.Equal(t, known, a.PriceKnown, a.OrgID)
		assert.Equal(t, "EUR", a.Currency)
		assert.InDelta(t, price*float64(a.Inactive), a.MonthlyWaste, 1e-9, a.OrgID)
		assert.InDelta(t, 12*price*float64(a.Inactive), a.YearlyWaste, 1e-9, a.OrgID)
		assert.InDelta(t, price*float64(a.Paid), a.MonthlyCost, 1e-9, a.OrgID)
		for _, w := range a.Workspaces {
			assert.InDelta(t, price*float64(w.Inactive), w.MonthlyWaste, 1e-9, w.TeamID)
		}
		if !known && a.Paid > 0 {
			assert.Contains(t, a.Note, "No seat price is known for the "+a.Plan+" plan")
		}
	}
	for _, pt := range r.WasteTrend {
		price, known := prices[pt.Plan]
		assert.Equal(t, known, pt.PriceKnown)
		assert.InDelta(t, price*float64(pt.Inactive), pt.MonthlyWaste, 1e-9)
	}

	// A window as long as the oldest use counts fewer seats inactive; one of
	// a single day counts every paid seat not used on the sync's last day.
	long := read(t, path, report.Options{Top: 1000, InactiveAfterDays: 365})
	short := read(t, path, report.Options{Top: 1000, InactiveAfterDays: 1})
	assert.Equal(t, 1, short.InactiveAfterDays)
	for i := range stored.Accounts {
		s, l, sh := stored.Accounts[i], long.Accounts[i], short.Accounts[i]
		assert.LessOrEqual(t, l.Inactive, s.Inactive, s.OrgID)
		assert.GreaterOrEqual(t, sh.Inactive, s.Inactive, s.OrgID)
		assert.Equal(t, s.NeverUsed, l.NeverUsed, "never used does not depend on the window")
		for _, a := range []report.Account{l, sh} {
			assert.Equal(t, a.Paid, a.Inactive+a.EstimatedBillable, a.OrgID)
			assert.Len(t, a.Offenders, int(a.Inactive), a.OrgID)
			if s.Paid > 0 && s.MonthlyCost > 0 {
				assert.InDelta(t, s.MonthlyCost/float64(s.Paid)*float64(a.Inactive), a.MonthlyWaste, 1e-6, "at the sync's price")
			}
		}
	}
	assert.Less(t, long.Accounts[0].Inactive, stored.Accounts[0].Inactive, "the fixture has seats unused for 28 to 365 days")
}
