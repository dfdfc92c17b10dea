package chart_test

import (
	"fmt"
	"log"
	"math"
	"strings"
	"time"

	"slackaudit/queries/chart"
)

// printData prints the lines of an SVG that hold its numbers: the <desc>
// and the marks.
func printData(svg string) {
	for _, line := range strings.Split(svg, "\n") {
		if strings.Contains(line, "<desc") || strings.Contains(line, `class="mark `) {
			fmt.Println(strings.TrimSpace(line))
		}
	}
}

func ExampleBar() {
	b := chart.Bar{
		ID:         "paid-billable-active",
		Title:      "Paid, Slack-billable and active seats",
		Categories: []string{"Acme"},
		Series: []chart.Series{
			{Name: "paid seats", Values: []float64{812}},
			{Name: "Slack-billable", Values: []float64{790}},
			{Name: "active in the last 28 days", Values: []float64{603}},
		},
		Horizontal: true,
	}
	svg, err := b.SVG()
	if err != nil {
		log.Fatal(err)
	}
	printData(string(svg))
	// Output:
	// <desc id="paid-billable-active-desc">Acme: 812 paid seats, 790 Slack-billable, 603 active in the last 28 days.</desc>
	// <rect class="mark series-1" x="52.64" y="67" width="511.74" height="12" fill="#0072B2" data-series="paid seats" data-category="Acme" data-value="812"><title>Acme, paid seats: 812</title></rect>
	// <rect class="mark series-2" x="52.64" y="81" width="497.87" height="12" fill="#E69F00" data-series="Slack-billable" data-category="Acme" data-value="790"><title>Acme, Slack-billable: 790</title></rect>
	// <rect class="mark series-3" x="52.64" y="95" width="380.02" height="12" fill="#009E73" data-series="active in the last 28 days" data-category="Acme" data-value="603"><title>Acme, active in the last 28 days: 603</title></rect>
}

func ExampleLine() {
	usd := func(v float64) string { return chart.Decimal(2)(v) + " USD" }
	c := chart.Line{
		ID:     "waste",
		Title:  "Monthly waste",
		X:      []time.Time{time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		Series: []chart.Series{{Name: "Acme", Values: []float64{2610, math.NaN(), 3654}}}, // NaN: not synced that day
		Format: usd,
	}
	svg, err := c.SVG()
	if err != nil {
		log.Fatal(err)
	}
	printData(string(svg))
	// Output:
	// <desc id="waste-desc">Acme: 2,610.00 USD on 2026-01-05, 3,654.00 USD on 2026-03-02.</desc>
	// <circle class="mark series-1" cx="102.08" cy="131.4" r="3" fill="#0072B2" data-series="Acme" data-x="2026-01-05T00:00:00Z" data-value="2610"><title>Acme, 2026-01-05: 2,610.00 USD</title></circle>
	// <circle class="mark series-1" cx="681.2" cy="68.76" r="3" fill="#0072B2" data-series="Acme" data-x="2026-03-02T00:00:00Z" data-value="3654"><title>Acme, 2026-03-02: 3,654.00 USD</title></circle>
}
