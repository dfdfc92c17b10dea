package transform

import (
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

// FreeGuestsPerPaidSeat is how many single-channel guests each paid member
// brings free of charge.
const FreeGuestsPerPaidSeat = 5

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
	seat     SeatType // the most privileged seat in a workspace member list; never SeatBot
	orgSeat  SeatType // the same from the Grid org's list, which cannot tell a pending invite: used only without seat
	bot      bool     // a bot, app or workflow account, or Slackbot
	billing  int8     // Slack's billing_active: 0 unknown, 1 false, 2 true (true in any workspace wins)
	lastUsed int64    // unix seconds; 0: never
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
func accountSeat(flags map[string]*array.Boolean, user string, i int) (seat SeatType, bot bool) {
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
	held := &p.seat
	if team < 0 {
		held = &p.orgSeat
	}
	if seat.Outranks(*held) {
		*held = seat
	}
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
