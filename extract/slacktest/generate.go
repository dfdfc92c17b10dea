package slacktest

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// kind is the role an account is generated with.
type kind uint8

const (
	kindMember kind = iota
	kindPrimaryOwner
	kindOwner
	kindAdmin
	kindMultiGuest
	kindSingleGuest
	kindBot
	kindAppUser
	kindInvited
	kindDeactivated
)

// kindShares is the approximate share of each kind besides full members.
var kindShares = []struct {
	k     kind
	share float64
}{
	{kindOwner, 0.01}, {kindAdmin, 0.03}, {kindMultiGuest, 0.08}, {kindSingleGuest, 0.04},
	{kindBot, 0.02}, {kindAppUser, 0.01}, {kindInvited, 0.02}, {kindDeactivated, 0.08},
}

// activityShares is the mix among active (not deactivated, not invited) humans.
var activityShares = []struct {
	a     Activity
	share float64
}{
	{ActivityDaily, 0.45}, {ActivityWeekly, 0.20}, {ActivityMonthly, 0.10}, {ActivityDormant, 0.15}, {ActivityNever, 0.10},
}

const day = int64(24 * 60 * 60)

// NewOrg generates the organisation described by cfg. The same Config always
// yields the same org.
func NewOrg(cfg Config) *Org {
	cfg = cfg.withDefaults()
	o := &Org{Config: cfg, cache: newOrgCache()}
	master := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x736c61636b746573))
	o.makeTeams(master)
	n := cfg.Users - 1 // every account but Slackbot
	kinds := makeKinds(n, cfg.Users, master)
	acts := makeActivities(kinds, master)
	o.makeUsers(kinds, acts, master)
	return o
}

// makeKinds returns the shuffled role of each of the n accounts besides Slackbot.
func makeKinds(n, total int, master *rand.Rand) []kind {
	kinds := make([]kind, 0, n)
	kinds = append(kinds, kindPrimaryOwner)
	for _, ks := range kindShares {
		c := int(ks.share*float64(total) + 0.5)
		if total < 20 {
			c = int(ks.share * float64(total))
		} else if c == 0 {
			c = 1
		}
		for ; c > 0 && len(kinds) < n; c-- {
			kinds = append(kinds, ks.k)
		}
	}
	for len(kinds) < n {
		kinds = append(kinds, kindMember)
	}
	master.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	return kinds
}

// makeActivities returns the shuffled activity of each active human other
// than the primary owner, in account order.
func makeActivities(kinds []kind, master *rand.Rand) []Activity {
	a := 0
	for _, k := range kinds {
		switch k {
		case kindMember, kindOwner, kindAdmin, kindMultiGuest, kindSingleGuest:
			a++
		}
	}
	acts := make([]Activity, 0, a)
	for _, as := range activityShares[:len(activityShares)-1] {
		c := int(as.share*float64(a) + 0.5)
		if c == 0 && a >= len(activityShares) {
			c = 1
		}
		for ; c > 0 && len(acts) < a; c-- {
			acts = append(acts, as.a)
		}
	}
	for len(acts) < a {
		acts = append(acts, ActivityNever)
	}
	master.Shuffle(len(acts), func(i, j int) { acts[i], acts[j] = acts[j], acts[i] })
	return acts
}

// makeTeams creates the workspaces and, on the enterprise plan, the enterprise.
func (o *Org) makeTeams(master *rand.Rand) {
	slug := slugify(o.Name)
	emailDomain := slug + ".example.com"
	if o.Plan == PlanEnterprise {
		o.EnterpriseID = string(appendID(nil, 'E', master.Uint64N(idSpace)))
		o.EnterpriseName = o.Name
	}
	ids := idSequence(o.Workspaces, master)
	o.Teams = make([]*Team, o.Workspaces)
	for i := range o.Teams {
		name, domain := o.Name, slug
		if i > 0 {
			suffix := "Workspace " + strconv.Itoa(i+1)
			if i-1 < len(workspaceSuffixes) {
				suffix = workspaceSuffixes[i-1]
			}
			name = o.Name + " " + suffix
			domain = slug + "-" + slugify(suffix)
		}
		o.Teams[i] = &Team{
			ID:             string(appendID(nil, 'T', ids[i])),
			Name:           name,
			Domain:         domain,
			EmailDomain:    emailDomain,
			EnterpriseID:   o.EnterpriseID,
			EnterpriseName: o.EnterpriseName,
		}
	}
}

// generator carries the state shared while users are generated.
type generator struct {
	o          *Org
	seed       uint64
	nameOff    int
	buf        []byte
	humans     int // humans generated so far: picks the next name combination
	bots       int
	appUsers   int
	now        int64
	oneTeam    [][]string // oneTeam[i] is a shared []string{Teams[i].ID}
	allTeams   []string
	userPrefix byte
}

// makeUsers generates every account in ID order.
func (o *Org) makeUsers(kinds []kind, acts []Activity, master *rand.Rand) {
	g := &generator{
		o:          o,
		seed:       uint64(o.Seed),
		nameOff:    master.IntN(nameSpace.total),
		now:        o.Now.Unix(),
		userPrefix: 'U',
	}
	if o.Plan == PlanEnterprise {
		g.userPrefix = 'W'
	}
	for _, t := range o.Teams {
		g.oneTeam = append(g.oneTeam, []string{t.ID}[:1:1])
		g.allTeams = append(g.allTeams, t.ID)
	}
	g.allTeams = g.allTeams[:len(g.allTeams):len(g.allTeams)]

	n := len(kinds)
	slab := make([]User, n+1)
	ids := idSequence(n, master)
	ai := 0
	for j, k := range kinds {
		u := &slab[j]
		r := newRNG(g.seed, j)
		u.seed = r.next()
		var act Activity
		switch k {
		case kindPrimaryOwner:
			act = ActivityDaily
		case kindInvited:
			act = ActivityNever
		case kindDeactivated:
			act = ActivityDormant
			if r.intn(5) == 0 {
				act = ActivityNever
			}
		case kindBot, kindAppUser:
			act = ActivityNever
		default:
			act = acts[ai]
			ai++
		}
		switch k {
		case kindBot, kindAppUser:
			g.app(u, &r, k, ids[j])
		default:
			g.human(u, &r, k, act, ids[j])
		}
		if k == kindPrimaryOwner {
			o.owner = u
		}
	}
	bot := &slab[n]
	g.slackbot(bot)

	o.Users = make([]*User, 0, n+1)
	if SlackbotID < string(g.userPrefix) {
		o.Users = append(o.Users, bot)
	}
	for j := range n {
		o.Users = append(o.Users, &slab[j])
	}
	if SlackbotID > string(g.userPrefix) {
		o.Users = append(o.Users, bot)
	}
}

// teamsFor picks the workspaces of an account: its home first.
func (g *generator) teamsFor(r *rng, k kind) []string {
	w := len(g.o.Teams)
	if w == 1 {
		return g.oneTeam[0]
	}
	if k == kindPrimaryOwner {
		return g.allTeams
	}
	home := r.intn(w)
	if k == kindSingleGuest || k == kindBot || k == kindAppUser || r.intn(100) >= 30 {
		return g.oneTeam[home]
	}
	extra := 1 + r.intn(min(3, w-1))
	teams := make([]string, 1, 1+extra)
	teams[0] = g.o.Teams[home].ID
	picked := make([]int, 0, extra)
	for len(picked) < extra {
		t := r.intn(w)
		if t == home || slices.Contains(picked, t) {
			continue
		}
		picked = append(picked, t)
	}
	slices.Sort(picked)
	for _, t := range picked {
		teams = append(teams, g.o.Teams[t].ID)
	}
	return teams
}

// human fills u as a person of kind k.
func (g *generator) human(u *User, r *rng, k kind, act Activity, id uint64) {
	cul, given, family, block := nameSpace.at(g.humans, g.nameOff)
	g.humans++

	b := appendID(g.buf[:0], g.userPrefix, id)
	hs := len(b)
	b = append(b, given.handle...)
	b = append(b, '.')
	b = append(b, family.handle...)
	if block > 0 {
		b = strconv.AppendInt(b, int64(block+1), 10)
	}
	he := len(b)
	b = append(b, '@')
	b = append(b, g.o.Teams[0].EmailDomain...)
	g.buf = b
	s := string(b)
	u.ID, u.Name, u.Email = s[:hs], s[hs:he], s[hs:]

	switch cul.order {
	case orderFamilySpace:
		u.RealName = family.text + " " + given.text
	case orderFamilyTight:
		u.RealName = family.text + given.text
	default:
		u.RealName = given.text + " " + family.text
	}
	u.order, u.accented = cul.order, cul.accented

	switch d := r.intn(100); {
	case d < 40:
	case d < 75:
		u.DisplayName = given.text
	case d < 90:
		u.DisplayName = u.Name
	case d < 95:
		u.DisplayName = given.text + " " + emoji[r.intn(len(emoji))]
	default:
		u.DisplayName = given.handle
	}
	if r.intn(100) >= 30 {
		u.Title = titles[r.intn(len(titles))]
	}
	z := cul.zones[r.intn(len(cul.zones))]
	u.tz, u.TZ, u.TZOffset = z, timezones[z].name, timezones[z].offset

	u.Teams = g.teamsFor(r, k)
	u.TeamID = u.Teams[0]

	switch k {
	case kindPrimaryOwner:
		u.IsPrimaryOwner, u.IsOwner, u.IsAdmin = true, true, true
	case kindOwner:
		u.IsOwner, u.IsAdmin = true, true
	case kindAdmin:
		u.IsAdmin = true
	case kindMultiGuest:
		u.IsRestricted = true
	case kindSingleGuest:
		u.IsRestricted, u.IsUltraRestricted = true, true
	case kindInvited:
		u.IsInvitedUser = true
	case kindDeactivated:
		u.Deleted = true
	}
	switch {
	case k == kindInvited:
	case u.IsAdmin:
		u.Has2FA = r.intn(100) < 85
	default:
		u.Has2FA = r.intn(100) < 40
	}
	g.times(u, r, k, act)
}

// times sets Activity, LastActive, Created and Updated consistently.
func (g *generator) times(u *User, r *rng, k kind, act Activity) {
	now := g.now
	var last int64
	switch act {
	case ActivityDaily:
		last = now - r.int63n(2*day)
	case ActivityWeekly:
		last = now - r.int63n(7*day)
	case ActivityMonthly:
		last = now - 2*day - r.int63n(26*day)
	case ActivityDormant:
		last = now - 29*day - r.int63n(371*day)
	}
	var created int64
	switch {
	case last != 0:
		created = last - day - r.int63n(1800*day)
	case k == kindInvited:
		created = now - 3600 - r.int63n(60*day)
	default:
		created = now - day - r.int63n(900*day)
	}
	ref := last
	if ref == 0 {
		ref = now
	}
	updated := created + r.int63n(ref-created+1)
	if k == kindDeactivated {
		from := created
		if last != 0 {
			from = last
		}
		updated = from + r.int63n(min(30*day, now-from)+1)
	}
	u.Activity = act
	u.Created = time.Unix(created, 0).UTC()
	u.Updated = time.Unix(updated, 0).UTC()
	if last != 0 {
		u.LastActive = time.Unix(last, 0).UTC()
	}
}

// app fills u as a bot user or an app user.
func (g *generator) app(u *User, r *rng, k kind, id uint64) {
	var handle, name string
	var n int
	if k == kindBot {
		a := botApps[g.bots%len(botApps)]
		handle, name, n = a.handle, a.name, g.bots/len(botApps)
		g.bots++
		u.IsBot = true
	} else {
		a := appUserApps[g.appUsers%len(appUserApps)]
		handle, name, n = a.handle, a.name, g.appUsers/len(appUserApps)
		g.appUsers++
		u.IsAppUser = true
	}
	b := appendID(g.buf[:0], g.userPrefix, id)
	hs := len(b)
	b = append(b, handle...)
	if n > 0 {
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(n+1), 10)
	}
	he := len(b)
	// Bot and app IDs: bijections of the user ID, so unique too.
	b = appendID(b, 'B', (id*7919+12345)%idSpace)
	b = appendID(b, 'A', (id*104729+777)%idSpace)
	g.buf = b
	s := string(b)
	u.ID, u.Name = s[:hs], s[hs:he]
	u.BotID, u.AppID = s[he:he+idLen], s[he+idLen:]
	u.RealName = name
	if n > 0 {
		u.RealName = name + " " + strconv.Itoa(n+1)
	}
	u.order = orderSingle
	u.tz, u.TZ, u.TZOffset = tzBots, timezones[tzBots].name, timezones[tzBots].offset
	u.Teams = g.teamsFor(r, k)
	u.TeamID = u.Teams[0]
	g.times(u, r, k, ActivityNever)
}

// slackbot fills u as Slackbot, which every workspace lists.
func (g *generator) slackbot(u *User) {
	u.ID, u.Name, u.RealName, u.DisplayName = SlackbotID, "slackbot", "Slackbot", "Slackbot"
	u.Teams = g.allTeams
	u.TeamID = u.Teams[0]
	u.order = orderSingle
	u.tz, u.TZ, u.TZOffset = tzBots, timezones[tzBots].name, timezones[tzBots].offset
	created := g.now - 6*365*day
	u.Created = time.Unix(created, 0).UTC()
	u.Updated = u.Created
	u.Activity = ActivityNever
	r := newRNG(g.seed, -1)
	u.seed = r.next()
}

// slugify turns a display name into a lower-case ASCII domain label.
func slugify(name string) string {
	b := make([]byte, 0, len(name))
	dash := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		default:
			dash = len(b) > 0
			continue
		}
		if dash {
			b = append(b, '-')
			dash = false
		}
		b = append(b, c)
	}
	if len(b) == 0 {
		return "team"
	}
	return string(b)
}
