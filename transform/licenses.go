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
	"slackaudit/warehouse/schema"
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

// LicensesSchema is the licenses table.
var LicensesSchema = schema.Declare(schema.Table{
	Name: "licenses", Kind: schema.Snapshot,
	Comment: "One seat per person per billing account (the enterprise on Grid, the workspace elsewhere), its type, whether Slack bills it, whether anyone used it within the inactivity window, and what it costs.",
	Columns: []schema.Column{
		schema.String("org_id", "Billing account: the enterprise (E…) on Enterprise Grid, otherwise the workspace (T…)."),
		schema.String("user_id", "Slack user ID."),
		schema.String("seat_type", "owner, admin, member, multi_channel_guest, single_channel_guest, invited, bot (bots, apps, workflows, Slackbot) or deactivated; across workspaces the most privileged role wins."),
		schema.Bool("is_paid_seat_type", "Slack bills this seat type: owners, admins, members, multi-channel guests, and single-channel guests beyond 5 per paid member."),
		schema.Bool("guest_overflow", "A single-channel guest billed because the account has more than 5 per paid member."),
		schema.Int32("workspaces", "Workspaces of the billing account the person belongs to."),
		schema.Bool("billing_active", "Slack's team.billableInfo flag (true in any workspace wins); NULL when it could not be read.").Optional(),
		schema.Timestamp("last_used_at", "Latest sign of use (user_usage.last_used_at); NULL if none.").Optional(),
		schema.Int32("days_since_last_use", "Whole days from last_used_at to the sync's as_of.").Optional(),
		schema.Bool("active_in_window", "Used within the inactivity window (--inactive-after, default 28 days, Slack's Fair Billing rule)."),
		schema.Bool("estimated_billable", "A paid seat used within the window: what Fair Billing should charge for."),
		schema.String("billing_flag", "For paid seats: ok, billed_but_inactive, billing_flag_unreliable (Slack says billable, activity says unused) or never_used; NULL for seats Slack does not bill.").Optional(),
		schema.Float64("monthly_cost", "Price of the seat per month in currency (0 for free seats or plans with no price set)."),
		schema.String("currency", "Currency of monthly_cost."),
		schema.String("plan", "The billing account's plan.").Optional(),
	},
})

// SeatHistorySchema is the seat_history table, and the license_summary view
// of its latest sync.
var SeatHistorySchema = schema.Declare(schema.Table{
	Name: "seat_history", Kind: schema.History,
	Comment: "Seat counts, Slack's billable count against activity, and waste: one row per sync per billing account and per workspace. A person in several workspaces counts in each workspace row but once in the billing_account row.",
	Columns: []schema.Column{
		schema.Int64("run_id", "The sync (sync_runs.run_id)."),
		schema.Timestamp("as_of", "The sync's as_of instant."),
		schema.String("scope", "billing_account or workspace."),
		schema.String("org_id", "Billing account."),
		schema.String("team_id", "Workspace, for workspace rows; NULL for billing_account rows.").Optional(),
		schema.String("plan", "Plan.").Optional(),
		schema.Int64("owners", "Owner seats."),
		schema.Int64("admins", "Admin seats."),
		schema.Int64("members", "Full member seats."),
		schema.Int64("multi_channel_guests", "Multi-channel guest seats (billed like members)."),
		schema.Int64("single_channel_guests", "Single-channel guest seats."),
		schema.Int64("billed_single_channel_guests", "Single-channel guests beyond 5 per paid member, billed as paid seats."),
		schema.Int64("invited", "Pending invitations (not billed until accepted)."),
		schema.Int64("bots", "Bots, apps, workflows and Slackbot."),
		schema.Int64("deactivated", "Deactivated accounts."),
		schema.Int64("paid_seats", "Seats Slack bills by type."),
		schema.Int64("slack_billable", "Accounts Slack's billing_active flag marks as billable."),
		schema.Int64("estimated_billable", "Paid seats used within the inactivity window."),
		schema.Int64("inactive_paid_seats", "Paid seats not used within the window."),
		schema.Int64("never_used_paid_seats", "Paid seats with no sign of use at all."),
		schema.Float64("monthly_cost", "Cost of all paid seats per month."),
		schema.Float64("monthly_waste", "Cost per month of paid seats not used within the window."),
		schema.Float64("yearly_waste", "monthly_waste × 12."),
		schema.String("currency", "Currency of the amounts."),
		schema.Bool("price_known", "False when no seat price is set for the plan (Enterprise Grid is priced by contract)."),
		schema.Bool("all_active_pattern", "Slack flags nearly every unused paid seat as billable: its count overstates what is billed."),
		schema.String("note", "What to make of the numbers, in plain words.").Optional(),
		schema.Int32("inactive_after_days", "The inactivity window the sync used (--inactive-after)."),
	},
	Views: []schema.View{{
		Name:    "license_summary",
		Comment: "Seats, Slack's billable count against activity, and waste per billing account and per workspace, from the latest sync.",
		SQL:     `SELECT * FROM seat_history WHERE run_id = (SELECT max(run_id) FROM seat_history) ORDER BY org_id, scope, team_id NULLS FIRST`,
	}},
})

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
		seat.Append(lic.Seat)
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
		optString(flag, lic.Flag)
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
		scope.Append(s.Scope)
		org.Append(s.Org)
		optString(team, s.Team)
		plans, key := l.plans(*s)
		appendPlan(plan, plans, key)
		for i, seat := range []string{SeatOwner, SeatAdmin, SeatMember, SeatMultiChannelGuest, SeatSingleChannelGuest} {
			seats[i].Append(s.BySeat[seat])
		}
		billedGuests.Append(s.BilledGuests)
		for i, seat := range []string{SeatInvited, SeatBot, SeatDeactivated} {
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
