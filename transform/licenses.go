package transform

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

// Seat types, from least to most privileged. Bots (including Slackbot and
// workflow/app accounts) stand apart.
const (
	SeatDeactivated        = "deactivated"
	SeatInvited            = "invited"
	SeatSingleChannelGuest = "single_channel_guest"
	SeatMultiChannelGuest  = "multi_channel_guest"
	SeatMember             = "member"
	SeatAdmin              = "admin"
	SeatOwner              = "owner"
	SeatBot                = "bot"
)

// seatOrder ranks seat types: in several workspaces of one billing account,
// a person's most privileged seat wins.
var seatOrder = []string{"", SeatDeactivated, SeatInvited, SeatSingleChannelGuest, SeatMultiChannelGuest, SeatMember, SeatAdmin, SeatOwner}

func seatRank(seat string) int8 { return int8(slices.Index(seatOrder, seat)) }

// paidSeat says which seat types Slack bills: owners, admins, full members
// and multi-channel guests. Single-channel guests are free up to five per
// paid member.
func paidSeat(seat string) bool {
	switch seat {
	case SeatOwner, SeatAdmin, SeatMember, SeatMultiChannelGuest:
		return true
	}
	return false
}

// FreeGuestsPerPaidSeat is how many single-channel guests each paid member
// brings free of charge.
const FreeGuestsPerPaidSeat = 5

// Billing flags of a paid seat.
const (
	FlagOK         = "ok"                      // used within the window, or Slack agrees it is not billed
	FlagInactive   = "billed_but_inactive"     // paid for but not used within the window
	FlagUnreliable = "billing_flag_unreliable" // Slack says billing_active, activity says unused
	FlagNeverUsed  = "never_used"              // paid seat with no sign of use at all
)

// LicenseConfig configures the licence transform.
type LicenseConfig struct {
	AsOf  time.Time
	RunID int64
	OrgOf map[string]string
	// InactiveAfter is the Fair Billing window: a paid seat unused this long
	// is inactive. 28 days (Slack's rule since 2023) when zero.
	InactiveAfter time.Duration
	Prices        Prices
	// Alloc allocates the batches Emit builds; memory.DefaultAllocator when nil.
	Alloc memory.Allocator
}

type seatPerson struct {
	rank     int8  // the most privileged seat in a workspace member list (index into seatOrder)
	orgRank  int8  // the same from the Grid org's list, which cannot tell a pending invite: used only without rank
	bot      bool  // a bot, app or workflow account, or Slackbot
	billing  int8  // Slack's billing_active: 0 unknown, 1 false, 2 true (true in any workspace wins)
	lastUsed int64 // unix seconds; 0: never
	teams    []int32
}

// Licenses computes licenses (one row per person per billing account) and
// seat_history (one row per billing account and per workspace) from users,
// org_users, billable_info, workspaces and user_usage batches.
type Licenses struct {
	cfg      LicenseConfig
	people   *registry[seatPerson]
	teams    []string
	teamIdx  map[string]int32
	teamOrg  []string
	orgPlan  map[string]slackapi.Plan
	teamPlan map[string]slackapi.Plan
}

// NewLicenses returns an empty licence transform.
func NewLicenses(cfg LicenseConfig) *Licenses {
	if cfg.InactiveAfter <= 0 {
		cfg.InactiveAfter = 28 * 24 * time.Hour
	}
	if cfg.Prices.PerSeat == nil {
		cfg.Prices, _ = DefaultPrices(CycleMonthly)
	}
	cfg.AsOf = cfg.AsOf.UTC()
	return &Licenses{cfg: cfg, people: newRegistry[seatPerson](cfg.OrgOf), teamIdx: map[string]int32{},
		orgPlan: map[string]slackapi.Plan{}, teamPlan: map[string]slackapi.Plan{}}
}

// Observe takes one batch of a table the transform reads and ignores others.
func (l *Licenses) Observe(table string, rec arrow.RecordBatch) error {
	c := &cols{rec: rec, table: table}
	switch table {
	case "workspaces":
		return l.workspaces(c)
	case "users":
		return l.users(c)
	case "org_users":
		return l.orgUsers(c)
	case "billable_info":
		return l.billable(c)
	case "user_usage":
		return l.usage(c)
	}
	return nil
}

func (l *Licenses) workspaces(c *cols) error {
	team := c.str("team_id")
	plan := c.str("plan")
	if c.err != nil {
		return c.err
	}
	for i := 0; i < int(c.rec.NumRows()); i++ {
		t := team.Value(i)
		p, _ := slackapi.ParsePlanName(strings.Clone(plan.Value(i)))
		l.teamPlan[strings.Clone(t)] = p
		l.orgPlan[strings.Clone(l.people.orgOfTeam(t))] = p
	}
	return nil
}

func (l *Licenses) team(id string) int32 {
	i, ok := l.teamIdx[id]
	if !ok {
		id = strings.Clone(id)
		i = int32(len(l.teams))
		l.teamIdx[id] = i
		l.teams = append(l.teams, id)
		l.teamOrg = append(l.teamOrg, l.people.orgOfTeam(id))
	}
	return i
}

// accountSeat is the seat a users or org_users row describes.
func accountSeat(flags map[string]*array.Boolean, user string, i int) (seat string, bot bool) {
	f := func(name string) bool { return flag(flags[name], i) }
	switch {
	case user == "USLACKBOT" || f("is_bot") || f("is_app_user"):
		return SeatBot, true
	case f("deleted") || (flags["is_active"] != nil && !f("is_active")):
		return SeatDeactivated, false
	case f("is_invited_user"):
		return SeatInvited, false
	case f("is_owner") || f("is_primary_owner"):
		return SeatOwner, false
	case f("is_admin"):
		return SeatAdmin, false
	case f("is_ultra_restricted"):
		return SeatSingleChannelGuest, false
	case f("is_restricted"):
		return SeatMultiChannelGuest, false
	}
	return SeatMember, false
}

func flagColumns(c *cols, names ...string) map[string]*array.Boolean {
	out := map[string]*array.Boolean{}
	for _, n := range names {
		if a, ok := c.optional(n).(*array.Boolean); ok {
			out[n] = a
		}
	}
	return out
}

var seatFlags = []string{"is_bot", "is_app_user", "deleted", "is_active", "is_invited_user", "is_owner",
	"is_primary_owner", "is_admin", "is_ultra_restricted", "is_restricted"}

func (l *Licenses) observeSeat(a *account, user string, flags map[string]*array.Boolean, i int, team int32) {
	p := &l.people.items[l.people.at(a, user)]
	seat, bot := accountSeat(flags, user, i)
	p.bot = p.bot || bot
	rank := &p.rank
	if team < 0 {
		rank = &p.orgRank
	}
	*rank = max(*rank, seatRank(seat))
	if team >= 0 && !slices.Contains(p.teams, team) {
		p.teams = append(p.teams, team)
	}
}

func (l *Licenses) users(c *cols) error {
	team := c.str("team_id")
	user := c.str("user_id")
	if c.err != nil {
		return c.err
	}
	ent, _ := c.optional("enterprise_id").(*array.String)
	flags := flagColumns(c, seatFlags...)
	delete(flags, "is_active")
	orgs := resolver(l.people, team, ent)
	for i := 0; i < int(c.rec.NumRows()); i++ {
		l.observeSeat(orgs.at(i), user.Value(i), flags, i, l.team(team.Value(i)))
	}
	return nil
}

func (l *Licenses) orgUsers(c *cols) error {
	ent := c.str("enterprise_id")
	user := c.str("user_id")
	if c.err != nil {
		return c.err
	}
	flags := flagColumns(c, seatFlags...)
	orgs := resolver(l.people, nil, ent)
	for i := 0; i < int(c.rec.NumRows()); i++ {
		l.observeSeat(orgs.at(i), user.Value(i), flags, i, -1)
	}
	return nil
}

func (l *Licenses) billable(c *cols) error {
	team := c.str("team_id")
	user := c.str("user_id")
	active := c.boolean("billing_active")
	if c.err != nil {
		return c.err
	}
	orgs := resolver(l.people, team, nil)
	for i := 0; i < int(c.rec.NumRows()); i++ {
		p := &l.people.items[l.people.at(orgs.at(i), user.Value(i))]
		v := int8(1)
		if flag(active, i) {
			v = 2
		}
		p.billing = max(p.billing, v)
	}
	return nil
}

func (l *Licenses) usage(c *cols) error {
	org := c.str("org_id")
	user := c.str("user_id")
	last := c.timestamp("last_used_at")
	if c.err != nil {
		return c.err
	}
	orgs := resolver(l.people, nil, org)
	for i := 0; i < int(c.rec.NumRows()); i++ {
		if last.IsValid(i) {
			p := &l.people.items[l.people.at(orgs.at(i), user.Value(i))]
			p.lastUsed = max(p.lastUsed, int64(last.Value(i))/1e6)
		}
	}
	return nil
}

// License is one person's seat in one billing account.
type License struct {
	Org, User         string
	Seat              string
	Paid              bool // a paid seat type, or a single-channel guest beyond the free allowance
	GuestOverflow     bool // a single-channel guest billed because there are more than 5 per paid member
	Workspaces        int
	BillingActive     int8 // 0 unknown, 1 false, 2 true
	LastUsed          time.Time
	ActiveInWindow    bool
	EstimatedBillable bool
	Flag              string // "" for seats Slack does not bill
	MonthlyCost       float64
	Plan              slackapi.Plan
}

// seat is the person's seat type in the billing account.
func (p *seatPerson) seat() string {
	switch {
	case p.bot:
		return SeatBot
	case p.rank > 0:
		return seatOrder[p.rank]
	case p.orgRank > 0:
		return seatOrder[p.orgRank]
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
			if paidSeat(l.people.items[idx].seat()) {
				paid++
			}
		}
		free := FreeGuestsPerPaidSeat * paid
		cutoff := l.cfg.AsOf.Add(-l.cfg.InactiveAfter).Unix()
		for _, idx := range order {
			p, k := &l.people.items[idx], l.people.keys[idx]
			seat := p.seat()
			lic := License{Org: k.org, User: k.user, Seat: seat, Paid: paidSeat(seat), Workspaces: len(p.teams),
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
	all := l.people.sorted(func(p *seatPerson) bool { return p.rank > 0 || p.orgRank > 0 || p.bot })
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

// LicensesSchema is the schema of the licenses table.
var LicensesSchema = arrow.NewSchema([]arrow.Field{
	{Name: "org_id", Type: arrow.BinaryTypes.String},
	{Name: "user_id", Type: arrow.BinaryTypes.String},
	{Name: "seat_type", Type: arrow.BinaryTypes.String},
	{Name: "is_paid_seat_type", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "guest_overflow", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "workspaces", Type: arrow.PrimitiveTypes.Int32},
	{Name: "billing_active", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "last_used_at", Type: Timestamp, Nullable: true},
	{Name: "days_since_last_use", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "active_in_window", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "estimated_billable", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "billing_flag", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "monthly_cost", Type: arrow.PrimitiveTypes.Float64},
	{Name: "currency", Type: arrow.BinaryTypes.String},
	{Name: "plan", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// SeatHistorySchema is the schema of the seat_history table.
var SeatHistorySchema = arrow.NewSchema([]arrow.Field{
	{Name: "run_id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "as_of", Type: Timestamp},
	{Name: "scope", Type: arrow.BinaryTypes.String},
	{Name: "org_id", Type: arrow.BinaryTypes.String},
	{Name: "team_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "plan", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "owners", Type: arrow.PrimitiveTypes.Int64},
	{Name: "admins", Type: arrow.PrimitiveTypes.Int64},
	{Name: "members", Type: arrow.PrimitiveTypes.Int64},
	{Name: "multi_channel_guests", Type: arrow.PrimitiveTypes.Int64},
	{Name: "single_channel_guests", Type: arrow.PrimitiveTypes.Int64},
	{Name: "billed_single_channel_guests", Type: arrow.PrimitiveTypes.Int64},
	{Name: "invited", Type: arrow.PrimitiveTypes.Int64},
	{Name: "bots", Type: arrow.PrimitiveTypes.Int64},
	{Name: "deactivated", Type: arrow.PrimitiveTypes.Int64},
	{Name: "paid_seats", Type: arrow.PrimitiveTypes.Int64},
	{Name: "slack_billable", Type: arrow.PrimitiveTypes.Int64},
	{Name: "estimated_billable", Type: arrow.PrimitiveTypes.Int64},
	{Name: "inactive_paid_seats", Type: arrow.PrimitiveTypes.Int64},
	{Name: "never_used_paid_seats", Type: arrow.PrimitiveTypes.Int64},
	{Name: "monthly_cost", Type: arrow.PrimitiveTypes.Float64},
	{Name: "monthly_waste", Type: arrow.PrimitiveTypes.Float64},
	{Name: "yearly_waste", Type: arrow.PrimitiveTypes.Float64},
	{Name: "currency", Type: arrow.BinaryTypes.String},
	{Name: "price_known", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "all_active_pattern", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "note", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "inactive_after_days", Type: arrow.PrimitiveTypes.Int32},
}, nil)

// SeatCounts sums one scope's licences.
type SeatCounts struct {
	Scope, Org, Team    string
	Plan                slackapi.Plan
	BySeat              map[string]int64
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
	return &summary{l: l, acct: SeatCounts{Scope: "billing_account", Org: org, Plan: l.orgPlan[org], BySeat: map[string]int64{}},
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
			c = &SeatCounts{Scope: "workspace", Org: s.acct.Org, Team: team, Plan: s.l.teamPlan[team], BySeat: map[string]int64{}}
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

// Emit writes licenses and seat_history batches.
func (l *Licenses) Emit(maxRows int, load func(table string, rec arrow.RecordBatch) error) error {
	b := array.NewRecordBuilder(allocator(l.cfg.Alloc), LicensesSchema)
	defer b.Release()
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		rec := b.NewRecordBatch()
		defer rec.Release()
		n = 0
		return load("licenses", rec)
	}
	var err error
	var summaries []SeatCounts
	cur := l.cfg.Prices.Currency
	l.eachAccount(func(org string, order []int32) {
		sum := l.newSummary(org)
		defer func() { summaries = append(summaries, sum.result()...) }()
		for idx, lic := range l.licenses(order) {
			if err != nil {
				return
			}
			sum.add(idx, lic)
			b.Field(0).(*array.StringBuilder).Append(lic.Org)
			b.Field(1).(*array.StringBuilder).Append(lic.User)
			b.Field(2).(*array.StringBuilder).Append(lic.Seat)
			b.Field(3).(*array.BooleanBuilder).Append(lic.Paid)
			b.Field(4).(*array.BooleanBuilder).Append(lic.GuestOverflow)
			b.Field(5).(*array.Int32Builder).Append(int32(lic.Workspaces))
			if lic.BillingActive == 0 {
				b.Field(6).AppendNull()
			} else {
				b.Field(6).(*array.BooleanBuilder).Append(lic.BillingActive == 2)
			}
			if lic.LastUsed.IsZero() {
				b.Field(7).AppendNull()
				b.Field(8).AppendNull()
			} else {
				b.Field(7).(*array.TimestampBuilder).Append(arrow.Timestamp(lic.LastUsed.UnixMicro()))
				b.Field(8).(*array.Int32Builder).Append(int32(l.cfg.AsOf.Sub(lic.LastUsed) / (24 * time.Hour)))
			}
			b.Field(9).(*array.BooleanBuilder).Append(lic.ActiveInWindow)
			b.Field(10).(*array.BooleanBuilder).Append(lic.EstimatedBillable)
			appendOptional(b.Field(11).(*array.StringBuilder), lic.Flag)
			b.Field(12).(*array.Float64Builder).Append(lic.MonthlyCost)
			b.Field(13).(*array.StringBuilder).Append(cur)
			appendPlan(b.Field(14).(*array.StringBuilder), l.orgPlan, lic.Org)
			if n++; n >= maxRows {
				err = flush()
			}
		}
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	return l.emitHistory(summaries, load)
}

func (l *Licenses) emitHistory(summaries []SeatCounts, load func(table string, rec arrow.RecordBatch) error) error {
	b := array.NewRecordBuilder(allocator(l.cfg.Alloc), SeatHistorySchema)
	defer b.Release()
	for _, s := range summaries {
		b.Field(0).(*array.Int64Builder).Append(l.cfg.RunID)
		b.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(l.cfg.AsOf.UnixMicro()))
		b.Field(2).(*array.StringBuilder).Append(s.Scope)
		b.Field(3).(*array.StringBuilder).Append(s.Org)
		appendOptional(b.Field(4).(*array.StringBuilder), s.Team)
		plans, key := l.plans(s)
		appendPlan(b.Field(5).(*array.StringBuilder), plans, key)
		for i, seat := range []string{SeatOwner, SeatAdmin, SeatMember, SeatMultiChannelGuest, SeatSingleChannelGuest} {
			b.Field(6 + i).(*array.Int64Builder).Append(s.BySeat[seat])
		}
		b.Field(11).(*array.Int64Builder).Append(s.BilledGuests)
		for i, seat := range []string{SeatInvited, SeatBot, SeatDeactivated} {
			b.Field(12 + i).(*array.Int64Builder).Append(s.BySeat[seat])
		}
		for i, v := range []int64{s.Paid, s.SlackBillable, s.EstimatedBillable, s.Inactive, s.NeverUsed} {
			b.Field(15 + i).(*array.Int64Builder).Append(v)
		}
		b.Field(20).(*array.Float64Builder).Append(s.MonthlyCost)
		b.Field(21).(*array.Float64Builder).Append(s.MonthlyWaste)
		b.Field(22).(*array.Float64Builder).Append(s.MonthlyWaste * 12)
		b.Field(23).(*array.StringBuilder).Append(l.cfg.Prices.Currency)
		b.Field(24).(*array.BooleanBuilder).Append(s.PriceKnown)
		b.Field(25).(*array.BooleanBuilder).Append(s.AllActivePattern)
		appendOptional(b.Field(26).(*array.StringBuilder), s.Note)
		b.Field(27).(*array.Int32Builder).Append(int32(l.cfg.InactiveAfter / (24 * time.Hour)))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	if rec.NumRows() == 0 {
		return nil
	}
	return load("seat_history", rec)
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

func appendOptional(sb *array.StringBuilder, s string) {
	if s == "" {
		sb.AppendNull()
		return
	}
	sb.Append(s)
}
