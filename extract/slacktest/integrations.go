package slacktest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The apps and legacy services of each workspace and their histories, from
// which team.integrationLogs and admin.apps.* are answered. A workspace's
// history is small (20–60 installs, a few entries each) and is generated on
// first use and kept: memory O(workspaces × apps), independent of users.

// IntegrationLog is one team.integrationLogs entry. Exactly one of AppID
// and ServiceID is set.
type IntegrationLog struct {
	AppID, AppType         string // apps
	ServiceID, ServiceType string // legacy services; ServiceID is a numeric string
	UserID, UserName       string // who made the change: a member of the workspace, possibly deactivated since
	Channel                string // channel the integration posts to ("" when none: no channel key)
	Date                   int64  // Unix seconds; sent as a JSON string
	ChangeType             string // added, removed, enabled, disabled, updated, expanded, or a newer unknown value
	Scope                  string // comma-separated scopes granted after the change ("" possible)
	Reason                 string // disabled entries only: user, rate_limits, slack, errors or system
	RSSFeed                bool   // RSS entries: rss_feed true plus the three fields below
	RSSFeedChangeType      string // added or removed
	RSSFeedTitle           string
	RSSFeedURL             string
}

// Integration statuses: the state after an install's newest log entry.
const (
	StatusInstalled = "installed" // newest entry added, enabled, updated, expanded or an unknown change
	StatusDisabled  = "disabled"  // newest entry disabled
	StatusRemoved   = "removed"   // newest entry removed
)

// Integration is one app or legacy service of a workspace with the state
// its log entries lead to: the expected answer for a client that folds
// team.integrationLogs into current installs.
type Integration struct {
	AppID, ServiceID  string   // exactly one is set
	Name              string   // app_type or service_type
	Status            string   // StatusInstalled, StatusDisabled or StatusRemoved
	Scopes            []string // granted after the newest entry (a removed install: what it had)
	InstalledBy       string   // user ID of the newest "added" entry (the user may be deactivated)
	InstalledAt       int64    // date of the newest "added" entry
	Channel           string   // legacy services that post to a channel
	Internal          bool     // built by the org (developer_type internal)
	DirectoryApproved bool     // is_app_directory_approved
	Restricted        bool     // removed and restricted: admin.apps.restricted.list lists it
}

// teamApps is the app state of one workspace.
type teamApps struct {
	installs []*install
	logs     []IntegrationLog // newest first
	requests []appRequest     // newest first
}

// install is one app or service of a workspace and its history.
type install struct {
	app         *catalogApp // nil for services
	svc         *legacyService
	id, name    string
	channel     string
	scopes      []string
	status      string
	restricted  bool
	installedBy *User
	installedAt int64
	resolvedBy  *User // who restricted it
	resolvedAt  int64
}

// appRequest is a pending admin.apps.requests.list entry.
type appRequest struct {
	id       string
	app      *catalogApp
	appID    string
	team     *Team
	user     *User
	message  string
	date     int64
	previous bool // the app was restricted before: previous_resolution
	collab   bool
}

// apps returns the workspace's app state, generating it on first use.
func (o *Org) apps(teamID string) *teamApps {
	if o.cache == nil { // an Org built by hand: nothing cached
		return o.makeTeamApps(teamID)
	}
	o.cache.mu.Lock()
	defer o.cache.mu.Unlock()
	if ta, ok := o.cache.teams[teamID]; ok {
		return ta
	}
	ta := o.makeTeamApps(teamID)
	o.cache.teams[teamID] = ta
	return ta
}

// botAppIDs maps app names to the AppID of the first bot or app user made
// for them, so that installs and bot users share IDs.
func (o *Org) botAppIDs() map[string]string {
	build := func() map[string]string {
		m := make(map[string]string)
		for _, u := range o.Users {
			if (u.IsBot || u.IsAppUser) && u.AppID != "" {
				if _, ok := m[u.RealName]; !ok {
					m[u.RealName] = u.AppID
				}
			}
		}
		return m
	}
	if o.cache == nil {
		return build()
	}
	o.cache.appIDsOnce.Do(func() { o.cache.appIDs = build() })
	return o.cache.appIDs
}

// appID is the org-wide ID of the named app (Slack app IDs are global).
func (o *Org) appID(name string) string {
	if id, ok := o.botAppIDs()[name]; ok {
		return id
	}
	return string(appendID(nil, 'A', o.nameHash(name)%idSpace))
}

// nameHash hashes a name with the org's seed.
func (o *Org) nameHash(name string) uint64 {
	h := mix64(uint64(o.Seed) ^ 0x6170702d6e616d65)
	for i := 0; i < len(name); i++ {
		h = mix64(h ^ uint64(name[i]))
	}
	return h
}

// teamIndex is the position of teamID in Teams, or -1.
func (o *Org) teamIndex(teamID string) int {
	for i, t := range o.Teams {
		if t.ID == teamID {
			return i
		}
	}
	return -1
}

// pickMember returns a person of the workspace who was a member at time t
// (t < 0: any time) and satisfies pred, searching from a hashed position;
// nil if nobody qualifies.
func (o *Org) pickMember(teamID string, t int64, h uint64, pred func(*User) bool) *User {
	n := len(o.Users)
	start := int(h % uint64(n))
	for i := range n {
		u := o.Users[(start+i)%n]
		if !u.IsHuman() || u.IsInvitedUser || !u.InTeam(teamID) {
			continue
		}
		if t >= 0 && (u.Created.Unix() > t || (u.Deleted && deactivatedAt(u) <= t)) {
			continue
		}
		if pred == nil || pred(u) {
			return u
		}
	}
	return nil
}

// actor picks who made a change at time t: preferably someone satisfying
// pred, else any member then, else the primary owner.
func (o *Org) actor(teamID string, t int64, h uint64, pred func(*User) bool) *User {
	if u := o.pickMember(teamID, t, h, pred); u != nil {
		return u
	}
	if u := o.pickMember(teamID, t, h, nil); u != nil {
		return u
	}
	return o.primaryOwner()
}

func isAdmin(u *User) bool   { return u.IsAdmin }
func isDeleted(u *User) bool { return u.Deleted }

// install scenarios.
const (
	scActive   = iota // added, maybe updated or expanded; still installed
	scCycle           // added → expanded → disabled → enabled → removed → added again
	scRemoved         // added → removed
	scDisabled        // added → disabled
	scUnknown         // a change type newer than the documentation
	scOrphan          // installed by someone since deactivated; still installed
)

// makeTeamApps generates the workspace's installs, log and requests.
func (o *Org) makeTeamApps(teamID string) *teamApps {
	ta := &teamApps{}
	ti := o.teamIndex(teamID)
	if ti < 0 {
		return ta
	}
	team := o.Teams[ti]
	r := rng{s: mix64(uint64(o.Seed) ^ 0x696e746567726174 ^ mix64(uint64(ti)))}
	now := o.Now.Unix()

	// Apps with a bot or app user in this workspace are installed.
	var forced []*catalogApp
	seen := map[string]bool{}
	for _, u := range o.Users {
		if (u.IsBot || u.IsAppUser) && !u.Deleted && u.TeamID == teamID {
			name := baseAppName(u.RealName)
			if seen[name] {
				continue
			}
			seen[name] = true
			if a := catalogByName(name); a != nil {
				forced = append(forced, a)
			}
		}
	}
	slices.SortFunc(forced, func(a, b *catalogApp) int { return cmp.Compare(a.name, b.name) })

	n := o.AppsPerWorkspace
	if n <= 0 {
		n = 20 + r.intn(41)
	}
	n = max(n, len(forced))

	type entry struct {
		app *catalogApp
		svc *legacyService
	}
	var pool []entry
	for i := range appCatalog {
		if a := &appCatalog[i]; !seen[a.name] {
			pool = append(pool, entry{app: a})
		}
	}
	for i := range legacyServices {
		for range legacyServices[i].instances {
			pool = append(pool, entry{svc: &legacyServices[i]})
		}
	}
	for i := len(pool) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		pool[i], pool[j] = pool[j], pool[i]
	}
	entries := make([]entry, 0, n)
	for _, a := range forced {
		entries = append(entries, entry{app: a})
	}
	for _, p := range pool {
		if len(entries) == n {
			break
		}
		entries = append(entries, p)
	}
	for extra := 1; len(entries) < n; extra++ {
		entries = append(entries, entry{app: customApp(extra)})
	}

	for i, en := range entries {
		ir := rng{s: mix64(r.s ^ mix64(uint64(i)+0x1000))}
		if en.app != nil {
			ta.installs = append(ta.installs, o.appInstall(team, en.app, i < len(forced), &ir, now, &ta.logs))
		} else {
			ta.installs = append(ta.installs, o.serviceInstall(team, en.svc, &ir, now, &ta.logs))
		}
	}
	slices.SortStableFunc(ta.logs, func(a, b IntegrationLog) int { return cmp.Compare(b.Date, a.Date) })
	ta.requests = o.makeRequests(team, ta, &r, now)
	return ta
}

// baseAppName strips the " 2" numbering of a second bot of the same app.
func baseAppName(realName string) string {
	if i := strings.LastIndexByte(realName, ' '); i >= 0 {
		if _, err := strconv.Atoi(realName[i+1:]); err == nil {
			return realName[:i]
		}
	}
	return realName
}

func catalogByName(name string) *catalogApp {
	for i := range appCatalog {
		if appCatalog[i].name == name {
			return &appCatalog[i]
		}
	}
	return nil
}

// customApps are the generated apps beyond the catalog (AppsPerWorkspace
// larger than the catalog), shared by every workspace.
var (
	customMu   sync.Mutex
	customApps []*catalogApp
)

// customApp returns the i-th (1-based) generated internal app.
func customApp(i int) *catalogApp {
	customMu.Lock()
	defer customMu.Unlock()
	for len(customApps) < i {
		k := len(customApps) + 1
		num := strconv.Itoa(k)
		for len(num) < 4 {
			num = "0" + num
		}
		customApps = append(customApps, &catalogApp{
			name: "Custom Integration " + num, internal: true, desc: "Internal tool",
			bot: sc("chat:write", "commands", "users:read"),
		})
	}
	return customApps[i-1]
}

// alive reports whether u was a member at time t.
func alive(u *User, t int64) bool {
	return u.Created.Unix() <= t && (!u.Deleted || deactivatedAt(u) > t)
}

// change is one step of an install's history.
type change struct{ kind, reason string }

// laterTimes spreads the changes after the first between t0 and now:
// strictly increasing, at least a minute apart, all before now.
func laterTimes(r *rng, t0, now int64, n int) []int64 {
	ts := make([]int64, n)
	t := t0
	for i := range ts {
		if i > 0 {
			left := int64(n - i + 1)
			t += 60 + r.int63n(max(1, (now-3600-t)/left))
		}
		ts[i] = t
	}
	return ts
}

// appInstall generates the history of app a in the workspace, appends its
// log entries to logs and returns the install. An app with a bot user in
// the workspace (forced) stays installed.
func (o *Org) appInstall(team *Team, a *catalogApp, forced bool, r *rng, now int64, logs *[]IntegrationLog) *install {
	in := &install{app: a, id: o.appID(a.name), name: a.name}
	scen := scActive
	x := r.intn(100)
	switch {
	case forced:
		if x < 15 {
			scen = scOrphan
		}
	case x < 38:
	case x < 50:
		scen = scCycle
	case x < 70:
		scen = scRemoved
	case x < 80:
		scen = scDisabled
	case x < 86:
		scen = scUnknown
	default:
		scen = scOrphan
	}
	scopes := append(append([]string(nil), a.bot...), a.user...)
	if r.intn(10) == 0 {
		scopes = append(scopes, unknownScopes[r.intn(len(unknownScopes))])
	}
	reason := func() string { return disableReasons[r.intn(len(disableReasons))] }
	seq := []change{{kind: "added"}}
	switch scen {
	case scActive, scOrphan:
		if r.intn(100) < 30 {
			seq = append(seq, change{kind: "updated"})
		}
		if r.intn(100) < 25 {
			seq = append(seq, change{kind: "expanded"})
		}
	case scCycle:
		seq = append(seq, change{kind: "expanded"}, change{"disabled", reason()}, change{kind: "enabled"},
			change{kind: "removed"}, change{kind: "added"})
		if r.intn(2) == 0 {
			seq = append(seq, change{kind: "updated"})
		}
	case scRemoved:
		if r.intn(3) == 0 {
			seq = append(seq, change{kind: "updated"})
		}
		seq = append(seq, change{kind: "removed"})
	case scDisabled:
		seq = append(seq, change{"disabled", reason()})
	case scUnknown:
		if r.intn(2) == 0 {
			seq = append(seq, change{kind: "scope_reduced"})
		} else {
			seq = append(seq, change{kind: "expanded"}, change{kind: "token_rotated"})
		}
	}

	horizon := now - 1100*day
	var installer *User
	var t0 int64
	if scen == scOrphan {
		installer = o.pickMember(team.ID, -1, r.next(), func(u *User) bool {
			return u.Deleted && deactivatedAt(u) > max(u.Created.Unix(), horizon)+day
		})
		if installer != nil {
			lo, hi := max(installer.Created.Unix(), horizon), deactivatedAt(installer)-3600
			t0 = lo + r.int63n(max(1, hi-lo))
			// Later changes by the installer happen before they left.
			now = min(now, hi)
		}
	}
	if installer == nil {
		t0 = horizon + r.int63n(now-2*day-horizon)
		installer = o.actor(team.ID, t0, r.next(), nil)
	}
	times := laterTimes(r, t0, now, len(seq))
	for i, ch := range seq {
		t := times[i]
		var who *User
		switch {
		case i == 0:
			who = installer
		case ch.kind == "added":
			who = o.actor(team.ID, t, r.next(), nil)
		case ch.kind == "removed" || ch.kind == "enabled" || ch.reason == "user":
			who = o.actor(team.ID, t, r.next(), isAdmin)
		case alive(installer, t):
			who = installer
		default:
			who = o.actor(team.ID, t, r.next(), isAdmin)
		}
		switch ch.kind {
		case "expanded":
			for added, tries := 0, 0; added < 1+r.intn(2) && tries < 16; tries++ {
				s := expansionScopes[r.intn(len(expansionScopes))]
				if !slices.Contains(scopes, s) {
					scopes = append(scopes, s)
					added++
				}
			}
		case "scope_reduced":
			if len(scopes) > 1 {
				scopes = scopes[:len(scopes)-1]
			}
		}
		*logs = append(*logs, IntegrationLog{
			AppID: in.id, AppType: a.name, UserID: who.ID, UserName: who.Name, Date: t,
			ChangeType: ch.kind, Scope: strings.Join(scopes, ","), Reason: ch.reason,
		})
		in.apply(ch.kind, who, t)
	}
	in.scopes = scopes
	if in.status == StatusRemoved && r.intn(2) == 0 {
		in.restricted = true
	}
	return in
}

// apply updates the install's state for a change made by who at t.
func (in *install) apply(kind string, who *User, t int64) {
	switch kind {
	case "added":
		in.status, in.installedBy, in.installedAt = StatusInstalled, who, t
	case "removed":
		in.status, in.resolvedBy, in.resolvedAt = StatusRemoved, who, t
	case "disabled":
		in.status = StatusDisabled
	default:
		in.status = StatusInstalled
	}
}

// serviceInstall generates the history of one legacy service instance.
func (o *Org) serviceInstall(team *Team, s *legacyService, r *rng, now int64, logs *[]IntegrationLog) *install {
	in := &install{svc: s, name: s.name, id: strconv.FormatUint(1_000_000_000+r.next()%8_999_999_999, 10)}
	if s.channel {
		in.channel = string(appendID(nil, 'C', r.next()%idSpace))
	}
	seq := []change{{kind: "added"}}
	switch x := r.intn(100); {
	case x < 55:
	case x < 70:
		seq = append(seq, change{kind: "updated"})
	case x < 85:
		seq = append(seq, change{"disabled", disableReasons[r.intn(len(disableReasons))]})
	default:
		seq = append(seq, change{kind: "removed"})
	}
	horizon := now - 2000*day // legacy services are older
	t0 := horizon + r.int63n(now-400*day-horizon)
	installer := o.actor(team.ID, t0, r.next(), nil)
	feed := r.intn(len(rssFeeds))
	times := laterTimes(r, t0, now, len(seq))
	for i, ch := range seq {
		t := times[i]
		who := installer
		if i > 0 && (ch.kind == "removed" || ch.reason == "user" || !alive(installer, t)) {
			who = o.actor(team.ID, t, r.next(), isAdmin)
		}
		l := IntegrationLog{
			ServiceID: in.id, ServiceType: s.name, UserID: who.ID, UserName: who.Name, Channel: in.channel,
			Date: t, ChangeType: ch.kind, Scope: s.scope, Reason: ch.reason,
		}
		if s.rss && (ch.kind == "added" || ch.kind == "updated") {
			l.RSSFeed, l.RSSFeedChangeType = true, "added"
			if ch.kind == "updated" {
				if r.intn(2) == 0 {
					l.RSSFeedChangeType = "removed"
				} else {
					feed = (feed + 1) % len(rssFeeds)
				}
			}
			l.RSSFeedTitle, l.RSSFeedURL = rssFeeds[feed].title, rssFeeds[feed].url
		}
		*logs = append(*logs, l)
		in.apply(ch.kind, who, t)
	}
	if s.scope != "" {
		in.scopes = []string{s.scope}
	}
	return in
}

// requestMessages are what people write when asking for an app.
var requestMessages = []string{
	"Our team uses this every day, could we get it approved?",
	"Needed for the Q3 project kickoff.",
	"",
	"Replaces the spreadsheet we share today — thanks!",
	"Customer asked us to use this for the joint channel.",
}

// makeRequests generates the workspace's pending app requests: 2–6 apps
// the workspace does not have, or had restricted, asked for in the last 60
// days by people who were members then.
func (o *Org) makeRequests(team *Team, ta *teamApps, r *rng, now int64) []appRequest {
	present := map[string]*install{}
	for _, in := range ta.installs {
		if in.app != nil {
			present[in.app.name] = in
		}
	}
	var cands []*catalogApp
	for i := range appCatalog {
		a := &appCatalog[i]
		if in, ok := present[a.name]; !ok || in.restricted {
			cands = append(cands, a)
		}
	}
	for i := len(cands) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		cands[i], cands[j] = cands[j], cands[i]
	}
	k := min(2+r.intn(5), len(cands))
	reqs := make([]appRequest, 0, k)
	for _, a := range cands[:k] {
		t := now - 3600 - r.int63n(60*day)
		who := o.actor(team.ID, t, r.next(), func(u *User) bool { return !u.IsAdmin })
		id := appendID(nil, 'A', r.next()%idSpace)
		id[1] = 'r'
		reqs = append(reqs, appRequest{
			id: string(id), app: a, appID: o.appID(a.name), team: team, user: who,
			message: requestMessages[r.intn(len(requestMessages))], date: t,
			previous: present[a.name] != nil, collab: a.internal && r.intn(2) == 0,
		})
	}
	slices.SortFunc(reqs, func(a, b appRequest) int {
		if c := cmp.Compare(b.date, a.date); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return reqs
}

// IntegrationLogs returns every team.integrationLogs entry of the workspace
// teamID, newest first (Date descending; entries of one date keep a fixed
// order); nil for an unknown workspace. Each workspace has
// Config.AppsPerWorkspace installs (default 20–60): catalogue apps (every
// app with a bot or app user in the workspace among them, still
// installed), the org's internal apps and legacy services, with histories
// such as added → expanded → disabled → enabled → removed → added again,
// apps still installed, removed, disabled, installed by people since
// deactivated, and a few change types newer than the documentation
// ("scope_reduced", "token_rotated") and unknown scope names.
func (o *Org) IntegrationLogs(teamID string) []IntegrationLog {
	if o.Team(teamID) == nil {
		return nil
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	return slices.Clone(o.apps(teamID).logs)
}

// Integrations returns the apps and legacy services of the workspace teamID
// with the state their log entries lead to, in no particular order; nil
// for an unknown workspace.
func (o *Org) Integrations(teamID string) []Integration {
	if o.Team(teamID) == nil {
		return nil
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	ta := o.apps(teamID)
	out := make([]Integration, len(ta.installs))
	for i, in := range ta.installs {
		it := &out[i]
		it.Name, it.Status, it.Channel, it.Restricted = in.name, in.status, in.channel, in.restricted
		it.Scopes = slices.Clone(in.scopes)
		if in.installedBy != nil {
			it.InstalledBy, it.InstalledAt = in.installedBy.ID, in.installedAt
		}
		if in.app != nil {
			it.AppID, it.Internal, it.DirectoryApproved = in.id, in.app.internal, in.app.directory
		} else {
			it.ServiceID = in.id
		}
	}
	return out
}
