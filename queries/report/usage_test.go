package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/queries/report"
)

// TestReadUsageAndWaste: each account's paid seats by usage frequency and
// by days since last use add up to its paid seats; the waste trend has one
// point per account and sync; apps are counted per risk level.
func TestReadUsageAndWaste(t *testing.T) {
	t.Parallel()
	r := read(t, threeAccounts(t), report.Options{Top: 1})
	for _, a := range r.Accounts {
		var freq []string
		var sum int64
		for _, f := range a.Frequency {
			freq = append(freq, f.Frequency)
			sum += f.PaidSeats
		}
		assert.Equal(t, frequencies, freq, a.OrgID)
		assert.Equal(t, a.Paid, sum, "%s: every paid seat has one frequency", a.OrgID)
		var got []string
		sum = 0
		for _, b := range a.LastUse {
			got = append(got, b.Bin)
			sum += b.PaidSeats
		}
		assert.Equal(t, bins, got, a.OrgID)
		assert.Equal(t, a.Paid, sum, "%s: every paid seat is in one bin", a.OrgID)
		assert.Equal(t, a.NeverUsed, a.LastUse[8].PaidSeats, "%s: the never bin holds the never-used seats", a.OrgID)
	}
	bounds := func(b report.LastUseBin) string { return fmt.Sprint(deref(b.MinDays), "–", deref(b.MaxDays)) }
	acme := r.Accounts[0]
	assert.Equal(t, "0–7", bounds(acme.LastUse[0]))
	assert.Equal(t, "181–365", bounds(acme.LastUse[6]))
	assert.Equal(t, "366–none", bounds(acme.LastUse[7]))
	assert.Equal(t, "none–none", bounds(acme.LastUse[8]))

	require.Len(t, r.WasteTrend, 16)
	first, last := r.WasteTrend[0], r.WasteTrend[len(r.WasteTrend)-1]
	assert.Equal(t, report.WastePoint{RunID: 1, AsOf: asOf.AddDate(0, 0, -35), OrgID: "E0ACME", Name: "Acme Corp",
		Inactive: 76, MonthlyWaste: 1134, Currency: "USD", PriceKnown: true, InactiveAfterDays: 28, Plan: "enterprise"}, first)
	assert.Equal(t, int64(6), last.RunID)
	assert.Equal(t, r.Accounts[2].MonthlyWaste, last.MonthlyWaste, "the last sync's waste is the report's")
	assert.False(t, r.WasteTrend[3].PriceKnown, "Globex had no price at the second sync: %+v", r.WasteTrend[3])

	var levels []string
	var installed int64
	for _, c := range r.Apps.ByRisk {
		levels = append(levels, c.Risk)
		installed += c.Installed
	}
	assert.Equal(t, []string{"critical", "high", "medium", "low", "unknown", "none"}, levels)
	assert.Equal(t, r.Apps.Installed, installed)

	r = read(t, twoAccounts(t), report.Options{Top: 1})
	assert.Equal(t, report.FrequencyCount{Frequency: "never", PaidSeats: 4}, r.Accounts[0].Frequency[4],
		"a paid seat with no sign of use in user_usage is never used")
	assert.Len(t, r.WasteTrend, 2)
}

func deref(p *int64) any {
	if p == nil {
		return "none"
	}
	return *p
}

// TestRenderJSONAndCSVCarryTheChartData: the charts' data sets are in JSON
// (new fields beside the old ones) and in CSV (a section each).
func TestRenderJSONAndCSVCarryTheChartData(t *testing.T) {
	t.Parallel()
	r := read(t, threeAccounts(t), report.Options{Top: 1})
	var b bytes.Buffer
	require.NoError(t, report.RenderJSON(&b, r))
	var got struct {
		Accounts []map[string]any `json:"billing_accounts"`
		Trend    []map[string]any `json:"waste_trend"`
		Apps     map[string]any   `json:"apps"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &got))
	acme := got.Accounts[0]
	assert.Equal(t, map[string]any{"usage_frequency": "daily", "paid_seats": 148.0}, acme["usage_frequency"].([]any)[0])
	assert.Equal(t, map[string]any{"bin": ">365", "min_days": 366.0, "max_days": nil, "paid_seats": 16.0}, acme["days_since_last_use"].([]any)[7])
	assert.Equal(t, map[string]any{"run_id": 1.0, "as_of": "2026-10-24T12:00:00Z", "org_id": "E0ACME", "name": "Acme Corp",
		"inactive_paid_seats": 76.0, "monthly_waste": 1134.0, "currency": "USD", "price_known": true, "inactive_after_days": 28.0}, got.Trend[0])
	assert.Equal(t, map[string]any{"risk_level": "critical", "installed": 3.0}, got.Apps["installed_by_risk"].([]any)[0])

	b.Reset()
	require.NoError(t, report.RenderCSV(&b, r))
	out := b.String()
	assert.Contains(t, out, "usage_frequency,E0ACME,,daily,148\n")
	assert.Contains(t, out, "days_since_last_use,E0ACME,,>365,16\n")
	assert.Contains(t, out, "waste_trend,E0ACME,,run_1.as_of,2026-10-24T12:00:00Z\nwaste_trend,E0ACME,,run_1.inactive_paid_seats,76\n"+
		"waste_trend,E0ACME,,run_1.monthly_waste,1134\nwaste_trend,E0ACME,,run_1.currency,USD\nwaste_trend,E0ACME,,run_1.price_known,true\n")
	assert.Contains(t, out, "waste_trend,T0GLOBEX,,run_2.price_known,false\n")
	assert.Contains(t, out, "apps_by_risk,,,critical,3\n")
}
