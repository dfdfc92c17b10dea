package transform

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse/schema"
)

// Emit writes licenses and seat_history batches.
func (l *Licenses) Emit(maxRows int, load func(table string, rec arrow.RecordBatch) error) error {
	b := schema.NewBuilder(allocator(l.cfg.Alloc), LicensesSchema, maxRows, func(rec arrow.RecordBatch) error {
		return load(schema.TableName(LicensesSchema), rec)
	})
	defer b.Release()
	add := l.licenseAppender(b)
	var err error
	var summaries []SeatCounts
	l.eachAccount(func(org string, order []int32) {
		sum := l.newSummary(org)
		defer func() { summaries = append(summaries, sum.result()...) }()
		for idx, lic := range l.licenses(order) {
			if err != nil {
				return
			}
			sum.add(idx, lic)
			err = add(&lic)
		}
	})
	if err != nil {
		return err
	}
	if err := b.Flush(); err != nil {
		return err
	}
	return l.emitHistory(summaries, load)
}

// licenseAppender looks the licenses columns up once and returns what
// appends one licence.
func (l *Licenses) licenseAppender(b *schema.Builder) func(*License) error {
	org, user, seat, flag, currency, plan := b.String("org_id"), b.String("user_id"), b.String("seat_type"), b.String("billing_flag"), b.String("currency"), b.String("plan")
	paid, overflow, billing := b.Bool("is_paid_seat_type"), b.Bool("guest_overflow"), b.Bool("billing_active")
	active, estimated := b.Bool("active_in_window"), b.Bool("estimated_billable")
	workspaces, lastUsed, since, cost := b.Int32("workspaces"), b.Timestamp("last_used_at"), b.Int32("days_since_last_use"), b.Float64("monthly_cost")
	return func(lic *License) error {
		org.Append(lic.Org)
		user.Append(lic.User)
		seat.Append(lic.Seat.String())
		paid.Append(lic.Paid)
		overflow.Append(lic.GuestOverflow)
		workspaces.Append(int32(lic.Workspaces))
		if lic.BillingActive == 0 {
			billing.AppendNull()
		} else {
			billing.Append(lic.BillingActive == 2)
		}
		if lic.LastUsed.IsZero() {
			lastUsed.AppendNull()
			since.AppendNull()
		} else {
			lastUsed.Append(arrow.Timestamp(lic.LastUsed.UnixMicro()))
			since.Append(int32(l.cfg.AsOf.Sub(lic.LastUsed) / (24 * time.Hour)))
		}
		active.Append(lic.ActiveInWindow)
		estimated.Append(lic.EstimatedBillable)
		optString(flag, lic.Flag.String())
		cost.Append(lic.MonthlyCost)
		currency.Append(l.cfg.Prices.Currency)
		appendPlan(plan, l.orgPlan, lic.Org)
		return b.Row()
	}
}

func (l *Licenses) emitHistory(summaries []SeatCounts, load func(table string, rec arrow.RecordBatch) error) error {
	b := schema.NewBuilder(allocator(l.cfg.Alloc), SeatHistorySchema, 0, func(rec arrow.RecordBatch) error {
		return load(schema.TableName(SeatHistorySchema), rec)
	})
	defer b.Release()
	add := l.historyAppender(b)
	for i := range summaries {
		if err := add(&summaries[i]); err != nil {
			return err
		}
	}
	return b.Flush()
}

// historyAppender looks the seat_history columns up once and returns what
// appends one scope's seat counts.
func (l *Licenses) historyAppender(b *schema.Builder) func(*SeatCounts) error {
	run, asOf, scope, org, team, plan := b.Int64("run_id"), b.Timestamp("as_of"), b.String("scope"), b.String("org_id"), b.String("team_id"), b.String("plan")
	seats := b.Int64s("owners", "admins", "members", "multi_channel_guests", "single_channel_guests")
	billedGuests, others := b.Int64("billed_single_channel_guests"), b.Int64s("invited", "bots", "deactivated")
	counts := b.Int64s("paid_seats", "slack_billable", "estimated_billable", "inactive_paid_seats", "never_used_paid_seats")
	cost, waste, yearly, currency := b.Float64("monthly_cost"), b.Float64("monthly_waste"), b.Float64("yearly_waste"), b.String("currency")
	known, pattern, note, window := b.Bool("price_known"), b.Bool("all_active_pattern"), b.String("note"), b.Int32("inactive_after_days")
	return func(s *SeatCounts) error {
		run.Append(l.cfg.RunID)
		asOf.Append(arrow.Timestamp(l.cfg.AsOf.UnixMicro()))
		scope.Append(s.Scope.String())
		org.Append(s.Org)
		optString(team, s.Team)
		plans, key := l.plans(*s)
		appendPlan(plan, plans, key)
		for i, seat := range []SeatType{SeatOwner, SeatAdmin, SeatMember, SeatMultiChannelGuest, SeatSingleChannelGuest} {
			seats[i].Append(s.BySeat[seat])
		}
		billedGuests.Append(s.BilledGuests)
		for i, seat := range []SeatType{SeatInvited, SeatBot, SeatDeactivated} {
			others[i].Append(s.BySeat[seat])
		}
		for i, v := range []int64{s.Paid, s.SlackBillable, s.EstimatedBillable, s.Inactive, s.NeverUsed} {
			counts[i].Append(v)
		}
		cost.Append(s.MonthlyCost)
		waste.Append(s.MonthlyWaste)
		yearly.Append(s.MonthlyWaste * 12)
		currency.Append(l.cfg.Prices.Currency)
		known.Append(s.PriceKnown)
		pattern.Append(s.AllActivePattern)
		optString(note, s.Note)
		window.Append(int32(l.cfg.InactiveAfter / (24 * time.Hour)))
		return b.Row()
	}
}

// plans is where the plan of s's scope is found, and its key there.
func (l *Licenses) plans(s SeatCounts) (map[string]slackapi.Plan, string) {
	if s.Team != "" {
		return l.teamPlan, s.Team
	}
	return l.orgPlan, s.Org
}

// appendPlan appends the plan of key in plans as the warehouse names it, or
// NULL when the workspaces gave key none.
func appendPlan(sb *array.StringBuilder, plans map[string]slackapi.Plan, key string) {
	p, ok := plans[key]
	if !ok {
		sb.AppendNull()
		return
	}
	sb.Append(p.String())
}
