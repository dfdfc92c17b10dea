package transform

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"slackaudit/extract/slackapi"
)

// SeatCounts sums one scope's licences.
type SeatCounts struct {
	Scope               SeatScope
	Org, Team           string
	Plan                slackapi.Plan
	BySeat              map[SeatType]int64
	BilledGuests        int64
	Paid, SlackBillable int64
	EstimatedBillable   int64
	Inactive, NeverUsed int64
	MonthlyCost         float64
	MonthlyWaste        float64
	PriceKnown          bool
	AllActivePattern    bool
	Note                string
}

func (s *SeatCounts) add(lic License) {
	s.BySeat[lic.Seat]++
	if lic.BillingActive == 2 {
		s.SlackBillable++
	}
	if !lic.Paid {
		return
	}
	s.Paid++
	if lic.GuestOverflow {
		s.BilledGuests++
	}
	if lic.EstimatedBillable {
		s.EstimatedBillable++
	}
	s.MonthlyCost += lic.MonthlyCost
	if !lic.ActiveInWindow {
		s.Inactive++
		s.MonthlyWaste += lic.MonthlyCost
		if lic.LastUsed.IsZero() {
			s.NeverUsed++
		}
	}
}

// finish decides whether the scope shows Slack's all-active pattern and
// writes the plain-words note.
func (s *SeatCounts) finish(l *Licenses, inactiveFlagged int64) {
	days := int(l.cfg.InactiveAfter / (24 * time.Hour))
	s.PriceKnown = l.cfg.Prices.Known(s.Plan)
	// The pattern: Slack flags as billable nearly every paid seat nobody used.
	if s.Inactive > 0 && float64(inactiveFlagged) >= 0.9*float64(s.Inactive) {
		s.AllActivePattern = true
		s.Note = fmt.Sprintf("Slack flags %d accounts as billable and %d seats are of paid types, but only %d of those were used "+
			"in the last %d days: Slack's billing_active flag reads true for nearly everyone here, so it overstates what is billed. "+
			"The estimate of %d billable seats comes from activity.",
			s.SlackBillable, s.Paid, s.EstimatedBillable, days, s.EstimatedBillable)
	}
	if !s.PriceKnown && s.Paid > 0 {
		if s.Note != "" {
			s.Note += " "
		}
		s.Note += fmt.Sprintf("No seat price is known for the %s plan: set one with --price %s=AMOUNT to see costs.", s.Plan, s.Plan)
	}
}

// Summaries returns seat counts per billing account and per workspace.
func (l *Licenses) Summaries() []SeatCounts {
	var out []SeatCounts
	l.eachAccount(func(org string, order []int32) {
		sum := l.newSummary(org)
		for idx, lic := range l.licenses(order) {
			sum.add(idx, lic)
		}
		out = append(out, sum.result()...)
	})
	return out
}

// summary counts one billing account's licences, for the account and for
// each of its workspaces.
type summary struct {
	l       *Licenses
	acct    SeatCounts
	perTeam map[int32]*SeatCounts
	flagged map[*SeatCounts]int64 // unused paid seats Slack flags as billable
}

func (l *Licenses) newSummary(org string) *summary {
	return &summary{l: l, acct: SeatCounts{Scope: ScopeBillingAccount, Org: org, Plan: l.orgPlan[org], BySeat: map[SeatType]int64{}},
		perTeam: map[int32]*SeatCounts{}, flagged: map[*SeatCounts]int64{}}
}

func (s *summary) add(idx int32, lic License) {
	s.acct.add(lic)
	flagged := lic.Paid && !lic.ActiveInWindow && lic.BillingActive == 2
	if flagged {
		s.flagged[&s.acct]++
	}
	for _, t := range s.l.people.items[idx].teams {
		c := s.perTeam[t]
		if c == nil {
			team := s.l.teams[t]
			c = &SeatCounts{Scope: ScopeWorkspace, Org: s.acct.Org, Team: team, Plan: s.l.teamPlan[team], BySeat: map[SeatType]int64{}}
			s.perTeam[t] = c
		}
		c.add(lic)
		if flagged {
			s.flagged[c]++
		}
	}
}

// result is the account's row and then its workspaces' rows, by workspace ID.
func (s *summary) result() []SeatCounts {
	s.acct.finish(s.l, s.flagged[&s.acct])
	out := []SeatCounts{s.acct}
	teams := make([]int32, 0, len(s.perTeam))
	for t := range s.perTeam {
		teams = append(teams, t)
	}
	slices.SortFunc(teams, func(a, b int32) int { return cmp.Compare(s.l.teams[a], s.l.teams[b]) })
	for _, t := range teams {
		c := s.perTeam[t]
		c.finish(s.l, s.flagged[c])
		out = append(out, *c)
	}
	return out
}
