package transform

import (
	"iter"
	"time"

	"slackaudit/extract/slackapi"
)

// License is one person's seat in one billing account.
type License struct {
	Org, User         string
	Seat              SeatType
	Paid              bool // a paid seat type, or a single-channel guest beyond the free allowance
	GuestOverflow     bool // a single-channel guest billed because there are more than 5 per paid member
	Workspaces        int
	BillingActive     int8 // 0 unknown, 1 false, 2 true
	LastUsed          time.Time
	ActiveInWindow    bool
	EstimatedBillable bool
	Flag              BillingFlag // none for seats Slack does not bill
	MonthlyCost       float64
	Plan              slackapi.Plan
}

// seat is the person's seat type in the billing account.
func (p *seatPerson) seatType() SeatType {
	switch {
	case p.bot:
		return SeatBot
	case p.seat != noSeat:
		return p.seat
	case p.orgSeat != noSeat:
		return p.orgSeat
	}
	return SeatMember
}

// licenses yields one billing account's licences, people in user order,
// computing each as it goes: a first pass counts the paid seats, which set
// how many single-channel guests are free.
func (l *Licenses) licenses(order []int32) iter.Seq2[int32, License] {
	return func(yield func(int32, License) bool) {
		paid := 0
		for _, idx := range order {
			if l.people.items[idx].seatType().Paid() {
				paid++
			}
		}
		free := FreeGuestsPerPaidSeat * paid
		cutoff := l.cfg.AsOf.Add(-l.cfg.InactiveAfter).Unix()
		for _, idx := range order {
			p, k := &l.people.items[idx], l.people.keys[idx]
			seat := p.seatType()
			lic := License{Org: k.org, User: k.user, Seat: seat, Paid: seat.Paid(), Workspaces: len(p.teams),
				BillingActive: p.billing, Plan: l.orgPlan[k.org]}
			if p.lastUsed > 0 {
				lic.LastUsed = time.Unix(p.lastUsed, 0).UTC()
				lic.ActiveInWindow = p.lastUsed >= cutoff
			}
			// Single-channel guests beyond the free allowance are billed, in
			// user order.
			if seat == SeatSingleChannelGuest {
				if free > 0 {
					free--
				} else {
					lic.Paid, lic.GuestOverflow = true, true
				}
			}
			if lic.Paid {
				lic.MonthlyCost = l.cfg.Prices.PerSeat[lic.Plan]
				lic.EstimatedBillable = lic.ActiveInWindow
				switch {
				case lic.LastUsed.IsZero():
					lic.Flag = FlagNeverUsed
				case lic.ActiveInWindow:
					lic.Flag = FlagOK
				case lic.BillingActive == 2:
					lic.Flag = FlagUnreliable
				case lic.BillingActive == 1 && lic.Plan.FairBilling():
					// Fair Billing: Slack agrees the seat is not billed.
					lic.Flag = FlagOK
				default:
					lic.Flag = FlagInactive
				}
			}
			if !yield(idx, lic) {
				return
			}
		}
	}
}

// Rows returns every licence, by billing account and user.
func (l *Licenses) Rows() []License {
	var out []License
	l.eachAccount(func(_ string, order []int32) {
		for _, lic := range l.licenses(order) {
			out = append(out, lic)
		}
	})
	return out
}

// eachAccount calls fn per billing account, in ID order, with its people's
// indexes in user order.
func (l *Licenses) eachAccount(fn func(org string, order []int32)) {
	all := l.people.sorted(func(p *seatPerson) bool { return p.seat != noSeat || p.orgSeat != noSeat || p.bot })
	for start := 0; start < len(all); {
		org := l.people.keys[all[start]].org
		end := start
		for end < len(all) && l.people.keys[all[end]].org == org {
			end++
		}
		fn(org, all[start:end])
		start = end
	}
}
