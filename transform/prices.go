package transform

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"slackaudit/extract/slackapi"
)

// Default per-seat prices, per month, in US dollars: Slack's published list
// prices for paid seats (owners, admins, members and multi-channel guests).
// Monthly billing costs more per seat than annual billing. Enterprise Grid
// and Enterprise Select are priced by contract, so they default to 0 and the
// report says to set them. Override with --price PLAN=AMOUNT or --prices FILE.
var defaultPrices = map[slackapi.Plan][2]float64{ // plan: {monthly billing, annual billing}
	slackapi.PlanPro:          {8.75, 7.25},
	slackapi.PlanBusinessPlus: {18.00, 15.00},
	slackapi.PlanEnterprise:   {0, 0},
	slackapi.PlanCompliance:   {0, 0},
}

// Billing cycles.
const (
	CycleMonthly = "monthly"
	CycleAnnual  = "annual"
)

// Prices is the monthly price of one paid seat per plan.
type Prices struct {
	Currency string
	Cycle    string                    // monthly or annual: which list price the defaults use
	PerSeat  map[slackapi.Plan]float64 // plan → price per seat per month
	set      map[slackapi.Plan]bool    // plans given explicitly
}

// DefaultPrices returns Slack's list prices for the billing cycle.
func DefaultPrices(cycle string) (Prices, error) {
	i := 0
	switch cycle {
	case "", CycleMonthly:
		cycle = CycleMonthly
	case CycleAnnual:
		i = 1
	default:
		return Prices{}, fmt.Errorf("billing cycle %q: use monthly or annual", cycle)
	}
	p := Prices{Currency: "USD", Cycle: cycle, PerSeat: map[slackapi.Plan]float64{}, set: map[slackapi.Plan]bool{}}
	for plan, v := range defaultPrices {
		p.PerSeat[plan] = v[i]
	}
	return p, nil
}

// Plans lists the plans a price can be set for, by their warehouse names.
func Plans() []string {
	out := make([]string, 0, len(defaultPrices))
	for p := range defaultPrices {
		out = append(out, p.String())
	}
	slices.Sort(out)
	return out
}

// Set sets one plan's price from "plan=amount", plan as the warehouse
// names it.
func (p *Prices) Set(kv string) error {
	name, amount, ok := strings.Cut(kv, "=")
	name = strings.TrimSpace(name)
	if !ok {
		return fmt.Errorf("price %q: want PLAN=AMOUNT, e.g. pro=8.75", kv)
	}
	plan, isName := slackapi.ParsePlanName(name)
	if _, priced := defaultPrices[plan]; !isName || !priced {
		return fmt.Errorf("price %q: unknown plan %q; plans: %s", kv, name, strings.Join(Plans(), ", "))
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(amount), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return fmt.Errorf("price %q: %q is not an amount", kv, amount)
	}
	p.PerSeat[plan] = v
	p.set[plan] = true
	return nil
}

// Known reports whether plan has a price: one set explicitly or a list price.
func (p Prices) Known(plan slackapi.Plan) bool { return p.set[plan] || p.PerSeat[plan] > 0 }

// ReadFile applies a prices file: one setting per line, "plan=amount",
// "currency=EUR" or "cycle=annual"; blank lines and # comments are ignored.
// Settings apply in order, so put the cycle first.
func (p *Prices) ReadFile(r io.Reader, name string) error {
	s := bufio.NewScanner(r)
	for n := 1; s.Scan(); n++ {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		var err error
		switch strings.TrimSpace(k) {
		case "currency":
			p.Currency = strings.TrimSpace(v)
		case "cycle":
			var d Prices
			if d, err = DefaultPrices(strings.TrimSpace(v)); err == nil {
				for plan, price := range d.PerSeat {
					if !p.set[plan] {
						p.PerSeat[plan] = price
					}
				}
				p.Cycle = d.Cycle
			}
		default:
			err = p.Set(line)
		}
		if err != nil {
			return fmt.Errorf("%s line %d: %w", name, n, err)
		}
	}
	return s.Err()
}
