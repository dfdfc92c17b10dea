package chart

import (
	"math"
	"time"
)

// reportCharts are one example of each chart the HTML report draws, with
// numbers shaped like the demo org's. The golden files and the review page
// are made from them.
func reportCharts() []struct {
	name  string
	chart Chart
} {
	return []struct {
		name  string
		chart Chart
	}{
		{"seats_by_type", seatsByType()},
		{"paid_billable_active", paidBillableActive()},
		{"usage_frequency", usageFrequency()},
		{"days_since_last_use", daysSinceLastUse()},
		{"waste_over_time", wasteOverTime()},
		{"apps_by_risk", appsByRisk()},
	}
}

var accounts = []string{"Acme Corp", "Globex EU", "Initech Research & Development Division (E0INITECH42)", "Umbrella <Labs>"}

func seatsByType() Bar {
	types := []string{"owner", "admin", "member", "multi-channel guest", "single-channel guest", "invited", "bot", "deactivated"}
	counts := [][]float64{
		{2, 1, 1, 1}, {9, 4, 3, 0}, {640, 212, 88, 7}, {41, 12, 0, 2},
		{18, 3, 5, 0}, {25, 6, 1, 0}, {14, 5, 2, 1}, {63, 20, 4, 0},
	}
	b := Bar{ID: "seats-by-type", Title: "Seats by seat type per billing account",
		Desc: "Accounts in the latest snapshot per billing account, by seat type", Categories: accounts,
		Stacked: true, Horizontal: true}
	for i, t := range types {
		b.Series = append(b.Series, Series{Name: t, Values: counts[i]})
	}
	return b
}

func paidBillableActive() Bar {
	return Bar{ID: "paid-billable-active", Title: "Paid seats, Slack-billable and active in the last 28 days",
		Categories: accounts, Horizontal: true,
		Series: []Series{
			{Name: "paid seats", Values: []float64{812, 256, 100, 10}},
			{Name: "Slack-billable", Values: []float64{790, 240, 97, 10}},
			{Name: "active in the last 28 days", Values: []float64{603, 198, 40, 9}},
		}}
}

func usageFrequency() Bar {
	return Bar{ID: "usage-frequency", Title: "Usage frequency", Desc: "People with a paid seat by how often they use Slack",
		Categories: []string{"daily", "weekly", "monthly", "dormant", "never"},
		Series:     []Series{{Name: "people", Values: []float64{512, 140, 61, 203, 44}}}}
}

func daysSinceLastUse() Bar {
	return Bar{ID: "days-since-last-use", Title: "Days since last use", Desc: "People with a paid seat by days since they last used Slack",
		Categories: []string{"0–7", "8–14", "15–28", "29–60", "61–90", "91–180", "181–365", ">365", "never"},
		Series:     []Series{{Name: "people", Values: []float64{598, 61, 35, 48, 22, 71, 62, 19, 44}, Class: SeriesClass(4)}}}
}

func wasteOverTime() Line {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	nan := math.NaN()
	return Line{ID: "waste-over-time", Title: "Monthly waste over time", Desc: "Monthly cost of inactive paid seats per billing account, at each sync",
		X:      []time.Time{day(1, 5), day(1, 12), day(1, 19), day(1, 26), day(2, 2), day(2, 9), day(3, 2), day(3, 9), day(3, 16)},
		Format: func(v float64) string { return Decimal(2)(v) + " USD" },
		Series: []Series{
			{Name: "Acme Corp", Values: []float64{2610, 2790, 2880, 3150, 3330, 3654, 3420, 3060, 2970}},
			{Name: "Globex EU", Values: []float64{1080, 1125, nan, 1215, 1260, 1170, 990, 945, 900}},
			{Name: "Initech Research & Development Division (E0INITECH42)", Values: []float64{nan, nan, nan, nan, 540, 585, 630, 720, 675}},
		}}
}

func appsByRisk() Bar {
	return Bar{ID: "apps-by-risk", Title: "Apps by risk level",
		Categories:      []string{"critical", "high", "medium", "low", "unknown", "none"},
		CategoryClasses: []Class{RiskCritical, RiskHigh, RiskMedium, RiskLow, RiskUnknown, RiskNone},
		Series:          []Series{{Name: "apps", Values: []float64{3, 11, 24, 37, 6, 15}}}}
}
