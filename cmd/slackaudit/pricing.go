package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"slackaudit/extract/slackapi"
	"slackaudit/queries/report"
	"slackaudit/transform"
)

// maxSeatPrice bounds a seat's monthly price: more is a typing mistake,
// and sums of it would overflow.
const maxSeatPrice = 1_000_000

// priceFlags are report's price list and inactivity window, which replace
// the ones the sync stored.
type priceFlags struct {
	prices        []string
	file          string
	currency      string
	cycle         string
	inactiveAfter string
}

func (f *priceFlags) register(fs *pflag.FlagSet) {
	pricesFlag(fs, &f.prices)
	// The same names and help as sync's: a flag means one thing everywhere.
	fs.StringVar(&f.file, "prices", "", "read seat prices from `FILE`: lines of PLAN=AMOUNT, currency=EUR, cycle=annual")
	fs.StringVar(&f.currency, "currency", "", "currency of the prices (default USD, or the prices file's)")
	fs.StringVar(&f.cycle, "billing-cycle", transform.CycleMonthly, "which list prices to default to: monthly or annual billing")
	fs.StringVar(&f.inactiveAfter, "inactive-after", "", "a paid seat unused this long is inactive: Slack's Fair Billing window (28d since 2023; the older rule was 14d)")
}

// pricesFlag adds --price, as sync declares it.
func pricesFlag(fs *pflag.FlagSet, p *[]string) {
	pairsFlag(fs, p, "price", "seat price per month for a plan, `PLAN=AMOUNT`, e.g. --price business_plus=12.50,enterprise=20; plans: "+strings.Join(transform.Plans(), ", "))
}

// priced reports whether any price flag was given.
func (f *priceFlags) priced(fs *pflag.FlagSet) bool {
	return fs.Changed("price") || fs.Changed("prices") || fs.Changed("currency") || fs.Changed("billing-cycle")
}

// pricing is the price list the flags give: Slack's list prices for the
// billing cycle, then the prices file, then --price, in --currency.
func (f *priceFlags) pricing() (*report.Pricing, error) {
	p, err := transform.DefaultPrices(f.cycle)
	if err != nil {
		return nil, usagef("--billing-cycle: %v", err)
	}
	if f.file != "" {
		if err := readPricesFile(&p, f.file); err != nil {
			return nil, err
		}
	}
	for _, kv := range f.prices {
		if err := setPrice(&p, kv); err != nil {
			return nil, usagef("--price: %v", err)
		}
	}
	source := "--currency"
	if f.currency != "" {
		p.Currency = f.currency
	} else if f.file != "" {
		source = "currency in --prices " + f.file
	}
	if p.Currency, err = currencyCode(source, p.Currency); err != nil {
		return nil, err
	}
	return &report.Pricing{Currency: p.Currency, Price: func(plan string) (float64, bool) {
		pl, _ := slackapi.ParsePlanName(plan)
		return p.PerSeat[pl], p.Known(pl)
	}}, nil
}

// readPricesFile applies a prices file to p.
func readPricesFile(p *transform.Prices, path string) error {
	file, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) && strings.Contains(path, "=") {
			return usagef("--prices %q: no such file; --prices reads a FILE, and --price takes prices on the command line, "+
				"e.g. --price %s", path, path)
		}
		return fmt.Errorf("reading --prices: %w", err)
	}
	defer file.Close()
	if err := p.ReadFile(file, path); err != nil {
		return usagef("--prices: %v", err)
	}
	for _, price := range p.PerSeat {
		if math.IsNaN(price) || math.IsInf(price, 0) || price > maxSeatPrice {
			return usagef("--prices %s: a price is not an amount from 0 to %d", path, maxSeatPrice)
		}
	}
	return nil
}

// setPrice sets one plan's price from "PLAN=AMOUNT", the plan as the
// warehouse names it or by Slack's code (std, plus).
func setPrice(p *transform.Prices, kv string) error {
	name, amount, ok := strings.Cut(kv, "=")
	if !ok {
		return fmt.Errorf("price %q: want PLAN=AMOUNT, e.g. business_plus=12.50", kv)
	}
	name = strings.TrimSpace(name)
	if _, known := slackapi.ParsePlanName(name); !known {
		if code := slackapi.ParsePlan(name).String(); code != name {
			name = code // std → pro, plus → business_plus
		}
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(amount), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > maxSeatPrice {
		return fmt.Errorf("price %q: %q is not an amount from 0 to %d, like 12.50", kv, amount, maxSeatPrice)
	}
	return p.Set(name + "=" + strconv.FormatFloat(v, 'f', -1, 64))
}

// currencyCode checks a currency code from source: three letters, as ISO 4217 writes
// them (EUR, USD, JPY); lower case is taken too.
func currencyCode(source, s string) (string, error) {
	up := strings.ToUpper(strings.TrimSpace(s))
	if len(up) != 3 || strings.Trim(up, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return "", usagef("%s %q: give a three-letter currency code, like USD, EUR or GBP", source, s)
	}
	return up, nil
}

// window is --inactive-after in days; 0 when not given.
func (f *priceFlags) window() (int, error) {
	if f.inactiveAfter == "" {
		return 0, nil
	}
	days, ok := strings.CutSuffix(f.inactiveAfter, "d")
	n, err := strconv.Atoi(days)
	if !ok || err != nil || n < 1 || n > 365 {
		return 0, usagef("--inactive-after %q: give a number of days from 1 to 365, like 28d (Slack's Fair Billing rule) or 14d (the older rule)", f.inactiveAfter)
	}
	return n, nil
}

// demoPrices is the price list a demo syncs with: list prices, and --price.
func demoPrices(prices []string) (transform.Prices, error) {
	p, err := transform.DefaultPrices(transform.CycleMonthly)
	if err != nil {
		return p, err
	}
	for _, v := range prices {
		if err := setPrice(&p, v); err != nil {
			return p, usagef("--price: %v", err)
		}
	}
	return p, nil
}
