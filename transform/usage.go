package transform

import (
	"fmt"
	"math/bits"
	"slackaudit/warehouse/schema"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Usage frequency classes.
const (
	Daily   = "daily"   // active on at least 16 of the last 28 days: four days a week or more
	Weekly  = "weekly"  // active on 4–15 of the last 28 days
	Monthly = "monthly" // active on 1–3 of the last 28 days
	Dormant = "dormant" // used Slack before, but not in the last 28 days
	Never   = "never"   // no sign of use at all
)

// Signals of last use, as user_usage.last_used_source names them.
const (
	SourceAnalytics  = "member_analytics" // admin.analytics.getFile: a day the person was active (Grid)
	SourceSignIn     = "access_logs"      // team.accessLogs: the last time a sign-in was seen (paid plans)
	SourceLastActive = "last_active_ts"   // admin.users.list: Slack's own last-active time (Grid org tokens)
)

// historyDays is how many days back from as_of the activity bitmap holds.
const historyDays = 128

// UsageConfig configures the usage transform.
type UsageConfig struct {
	// AsOf is the instant everything is computed against: the sync's as_of.
	AsOf time.Time
	// OrgOf maps each workspace to its billing account: the enterprise ID on
	// Enterprise Grid, the workspace itself elsewhere (the default).
	OrgOf map[string]string
	// DormantAfter is how long without use makes a person dormant; 28 days,
	// Slack's Fair Billing window, when zero.
	DormantAfter time.Duration
	// Alloc allocates the batches Emit builds; memory.DefaultAllocator when nil.
	Alloc memory.Allocator
}

// person is everything the transform keeps per person: about 80 bytes.
type person struct {
	listed        bool
	activity      [historyDays / 64]uint64 // bit i: active on the day i days before as_of's day
	lastActiveDay int32                    // days since 1970-01-01 of the last active analytics day, +1; 0 if none
	lastSignIn    int64                    // unix seconds
	firstSignIn   int64
	signIns       int64
	lastActiveTS  int64
}

// Usage computes user_usage: each person's last use and usage frequency per
// billing account, from users, org_users, access_logs and member_activity
// batches in any order. Feed every batch to Observe, then call Emit.
type Usage struct {
	cfg     UsageConfig
	asOfDay int32
	people  *registry[person]
}

// NewUsage returns an empty usage transform.
func NewUsage(cfg UsageConfig) *Usage {
	if cfg.DormantAfter <= 0 {
		cfg.DormantAfter = 28 * 24 * time.Hour
	}
	cfg.AsOf = cfg.AsOf.UTC()
	return &Usage{cfg: cfg, asOfDay: epochDay(cfg.AsOf), people: newRegistry[person](cfg.OrgOf)}
}

func epochDay(t time.Time) int32 { return int32(t.Unix() / 86400) }

func (u *Usage) person(a *account, user string) *person { return &u.people.items[u.people.at(a, user)] }

// Observe takes one batch of a table the transform reads (users, org_users,
// access_logs, member_activity) and ignores others.
func (u *Usage) Observe(table string, rec arrow.RecordBatch) error {
	c := &cols{rec: rec, table: table}
	switch table {
	case "users":
		return u.users(c)
	case "org_users":
		return u.orgUsers(c)
	case "access_logs":
		return u.accessLogs(c)
	case "member_activity":
		return u.memberActivity(c)
	}
	return nil
}

func (u *Usage) users(c *cols) error {
	team := c.str("team_id")
	user := c.str("user_id")
	if c.err != nil {
		return c.err
	}
	ent, _ := c.optional("enterprise_id").(*array.String)
	orgs := resolver(u.people, team, ent)
	for i := 0; i < int(c.rec.NumRows()); i++ {
		u.person(orgs.at(i), user.Value(i)).listed = true
	}
	return nil
}

func (u *Usage) orgUsers(c *cols) error {
	ent := c.str("enterprise_id")
	user := c.str("user_id")
	last := c.timestamp("last_active_at")
	if c.err != nil {
		return c.err
	}
	orgs := resolver(u.people, nil, ent)
	for i := 0; i < int(c.rec.NumRows()); i++ {
		p := u.person(orgs.at(i), user.Value(i))
		p.listed = true
		if last.IsValid(i) {
			p.lastActiveTS = max(p.lastActiveTS, int64(last.Value(i))/1e6)
		}
	}
	return nil
}

func (u *Usage) accessLogs(c *cols) error {
	team := c.str("team_id")
	user := c.str("user_id")
	count := c.int64s("count")
	first := c.timestamp("first_seen_at")
	last := c.timestamp("last_seen_at")
	if c.err != nil {
		return c.err
	}
	orgs := resolver(u.people, team, nil)
	for i := 0; i < int(c.rec.NumRows()); i++ {
		p := u.person(orgs.at(i), user.Value(i))
		if last.IsValid(i) {
			p.lastSignIn = max(p.lastSignIn, int64(last.Value(i))/1e6)
		}
		if first.IsValid(i) {
			f := int64(first.Value(i)) / 1e6
			if p.firstSignIn == 0 || f < p.firstSignIn {
				p.firstSignIn = f
			}
		}
		if count.IsValid(i) {
			p.signIns += count.Value(i)
		}
	}
	return nil
}

func (u *Usage) memberActivity(c *cols) error {
	date := c.date("date")
	team := c.str("team_id")
	user := c.str("user_id")
	active := c.boolean("is_active")
	if c.err != nil {
		return c.err
	}
	ent, _ := c.optional("enterprise_id").(*array.String)
	orgs := resolver(u.people, team, ent)
	dates := date.Date32Values()
	for i := 0; i < int(c.rec.NumRows()); i++ {
		a := orgs.at(i)
		a.analytics = true
		// Every row moves the cursor, active or not, so it stays in step.
		p := &u.people.items[u.people.next(a, user.Value(i))]
		if !flag(active, i) {
			continue
		}
		day := int32(dates[i])
		p.lastActiveDay = max(p.lastActiveDay, day+1)
		if back := u.asOfDay - day; back >= 0 && back < historyDays {
			p.activity[back/64] |= 1 << (back % 64)
		}
	}
	return nil
}

// activeDays counts active days among the n days ending with as_of's day.
func (p *person) activeDays(n int) int32 {
	var total int
	for w := 0; w < len(p.activity) && n > 0; w++ {
		take := min(n, 64)
		mask := uint64(1)<<take - 1
		if take == 64 {
			mask = ^uint64(0)
		}
		total += bits.OnesCount64(p.activity[w] & mask)
		n -= take
	}
	return int32(total)
}

// UserUsageSchema is the user_usage table.
var UserUsageSchema = schema.Declare(schema.Table{
	Name: "user_usage", Kind: schema.Snapshot,
	Comment: "Each person's last use of Slack and how often they use it, per billing account, computed at the sync's as_of from every signal the plan offers.",
	Columns: []schema.Column{
		schema.String("org_id", "Billing account: the enterprise (E…) on Enterprise Grid, otherwise the workspace (T…)."),
		schema.String("user_id", "Slack user ID."),
		schema.Timestamp("last_used_at", "Latest sign of use: an active analytics day (its start), a sign-in's last_seen_at, or Slack's last_active_ts; NULL if none.").Optional(),
		schema.String("last_used_source", "Which signal gave last_used_at: member_analytics, access_logs or last_active_ts.").Optional(),
		schema.Int32("days_since_last_use", "Whole days from last_used_at to the sync's as_of.").Optional(),
		schema.Int32("active_days_7", "Days active in the 7 days up to as_of (member analytics); NULL without analytics.").Optional(),
		schema.Int32("active_days_28", "Days active in the 28 days up to as_of (member analytics); NULL without analytics.").Optional(),
		schema.Int32("active_days_30", "Days active in the 30 days up to as_of (member analytics); NULL without analytics.").Optional(),
		schema.Int32("active_days_90", "Days active in the 90 days up to as_of (member analytics); NULL without analytics.").Optional(),
		schema.Int64("sign_ins", "Sign-ins Slack counted across the person's rows of the sign-in log; NULL if none.").Optional(),
		schema.String("usage_frequency", "daily (16+ of the last 28 days), weekly (4–15), monthly (1–3), dormant (used before, not in 28 days) or never."),
		schema.Bool("frequency_estimated", "True when frequency was estimated from sign-in counts or last_active_ts because no daily analytics exist."),
	},
})

// UsageRow is one person's computed usage.
type UsageRow struct {
	Org, User          string
	LastUsed           time.Time // zero: never
	LastUsedSource     string
	DaysSinceLastUse   int32
	HasAnalytics       bool // ActiveDays are known
	ActiveDays         [4]int32
	SignIns            int64
	Frequency          string
	FrequencyEstimated bool
}

// row computes one person's usage.
func (u *Usage) row(k personKey, p *person) UsageRow {
	r := UsageRow{Org: k.org, User: k.user, HasAnalytics: u.people.accounts[k.org].analytics, SignIns: p.signIns}
	best := int64(0)
	if p.lastActiveDay > 0 {
		best, r.LastUsedSource = int64(p.lastActiveDay-1)*86400, SourceAnalytics
	}
	if p.lastSignIn > best {
		best, r.LastUsedSource = p.lastSignIn, SourceSignIn
	}
	if p.lastActiveTS > best {
		best, r.LastUsedSource = p.lastActiveTS, SourceLastActive
	}
	if r.HasAnalytics {
		r.ActiveDays = [4]int32{p.activeDays(7), p.activeDays(28), p.activeDays(30), p.activeDays(90)}
	}
	if best == 0 {
		r.Frequency = Never
		return r
	}
	r.LastUsed = time.Unix(best, 0).UTC()
	since := u.cfg.AsOf.Sub(r.LastUsed)
	r.DaysSinceLastUse = int32(max(since, 0) / (24 * time.Hour))
	switch {
	case since > u.cfg.DormantAfter:
		r.Frequency = Dormant
	case r.HasAnalytics:
		switch a28 := r.ActiveDays[1]; {
		case a28 >= 16:
			r.Frequency = Daily
		case a28 >= 4:
			r.Frequency = Weekly
		default:
			// Includes people whose latest use is newer than the analytics
			// files, which lag a day or two.
			r.Frequency = Monthly
		}
	case p.signIns > 0:
		r.Frequency, r.FrequencyEstimated = u.fromSignIns(p), true
	default:
		r.FrequencyEstimated = true
		if since <= 7*24*time.Hour {
			r.Frequency = Weekly
		} else {
			r.Frequency = Monthly
		}
	}
	return r
}

// fromSignIns estimates frequency from the sign-ins counted over the time
// they were counted in: from the first time any of the person's devices was
// seen to as_of, at least a week. Slack's counts run from date_first, so a
// device first seen long ago spreads its count over that whole time.
func (u *Usage) fromSignIns(p *person) string {
	days := max(float64(u.cfg.AsOf.Unix()-p.firstSignIn)/86400, 7)
	perWeek := float64(p.signIns) / (days / 7)
	switch {
	case perWeek >= 4:
		return Daily
	case perWeek >= 1:
		return Weekly
	}
	return Monthly
}

// Rows returns every listed person's usage, sorted by billing account and user.
func (u *Usage) Rows() []UsageRow {
	order := u.listed()
	out := make([]UsageRow, len(order))
	for i, p := range order {
		out[i] = u.row(u.people.keys[p], &u.people.items[p])
	}
	return out
}

// listed returns the indexes of listed people, sorted by account and user.
func (u *Usage) listed() []int32 {
	return u.people.sorted(func(p *person) bool { return p.listed })
}

// Emit writes user_usage in batches of at most maxRows rows: one row per
// person listed in users or org_users, per billing account.
func (u *Usage) Emit(maxRows int, emit func(arrow.RecordBatch) error) error {
	b := schema.NewBuilder(allocator(u.cfg.Alloc), UserUsageSchema, maxRows, emit)
	defer b.Release()
	add := usageAppender(b)
	for _, p := range u.listed() {
		r := u.row(u.people.keys[p], &u.people.items[p])
		if err := add(&r); err != nil {
			return err
		}
	}
	return b.Flush()
}

// usageAppender looks the user_usage columns up once and returns what
// appends one person's usage.
func usageAppender(b *schema.Builder) func(*UsageRow) error {
	org, user, last, source := b.String("org_id"), b.String("user_id"), b.Timestamp("last_used_at"), b.String("last_used_source")
	since, signIns, freq, estimate := b.Int32("days_since_last_use"), b.Int64("sign_ins"), b.String("usage_frequency"), b.Bool("frequency_estimated")
	days := [4]*array.Int32Builder{b.Int32("active_days_7"), b.Int32("active_days_28"), b.Int32("active_days_30"), b.Int32("active_days_90")}
	return func(r *UsageRow) error {
		org.Append(r.Org)
		user.Append(r.User)
		if r.LastUsed.IsZero() {
			last.AppendNull()
			source.AppendNull()
			since.AppendNull()
		} else {
			last.Append(arrow.Timestamp(r.LastUsed.UnixMicro()))
			source.Append(r.LastUsedSource)
			since.Append(r.DaysSinceLastUse)
		}
		for i := range days {
			if r.HasAnalytics {
				days[i].Append(r.ActiveDays[i])
			} else {
				days[i].AppendNull()
			}
		}
		if r.SignIns > 0 {
			signIns.Append(r.SignIns)
		} else {
			signIns.AppendNull()
		}
		freq.Append(r.Frequency)
		estimate.Append(r.FrequencyEstimated)
		return b.Row()
	}
}

// String describes the transform's state, for logs.
func (u *Usage) String() string {
	return fmt.Sprintf("usage transform: %d people in %d billing accounts", len(u.people.items), len(u.people.accounts))
}
