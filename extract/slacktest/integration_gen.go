package slacktest

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// How each workspace's apps and their histories are generated. Every choice
// comes from the org's seed, in a fixed order, so the same seed gives the
// same history.

// install scenarios.
const (
	scActive   = iota // added, maybe updated or expanded; still installed
	scCycle           // added → expanded → disabled → enabled → removed → added again
	scRemoved         // added → removed
	scDisabled        // added → disabled
	scUnknown         // a change type newer than the documentation
	scOrphan          // installed by someone since deactivated; still installed
)

// appEntry is an app, or an instance of a legacy service, to install.
type appEntry struct {
	app *catalogApp
	svc *legacyService
}

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
	forced, seen := o.botApps(teamID)
	n := o.AppsPerWorkspace
	if n <= 0 {
		n = 20 + r.intn(41)
	}
	n = max(n, len(forced))
	entries := pickApps(forced, shuffledPool(seen, &r), n)
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

// botApps are the catalogue apps with a bot or app user in the workspace,
// by name: they are installed. seen holds every such app's name.
func (o *Org) botApps(teamID string) (forced []*catalogApp, seen map[string]bool) {
	seen = map[string]bool{}
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
	return forced, seen
}

// shuffledPool is every catalogue app not in seen and every legacy service
// instance, shuffled.
func shuffledPool(seen map[string]bool, r *rng) []appEntry {
	var pool []appEntry
	for i := range appCatalog {
		if a := &appCatalog[i]; !seen[a.name] {
			pool = append(pool, appEntry{app: a})
		}
	}
	for i := range legacyServices {
		for range legacyServices[i].instances {
			pool = append(pool, appEntry{svc: &legacyServices[i]})
		}
	}
	for i := len(pool) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		pool[i], pool[j] = pool[j], pool[i]
	}
	return pool
}

// pickApps is n installs: the forced apps first, then the pool, then
// generated internal apps.
func pickApps(forced []*catalogApp, pool []appEntry, n int) []appEntry {
	entries := make([]appEntry, 0, n)
	for _, a := range forced {
		entries = append(entries, appEntry{app: a})
	}
	for _, p := range pool {
		if len(entries) == n {
			break
		}
		entries = append(entries, p)
	}
	for extra := 1; len(entries) < n; extra++ {
		entries = append(entries, appEntry{app: customApp(extra)})
	}
	return entries
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

// customApp returns the i-th (1-based) generated internal app: the apps
// beyond the catalog (AppsPerWorkspace larger than the catalog), the same in
// every workspace.
func customApp(i int) *catalogApp {
	return &catalogApp{
		name: fmt.Sprintf("Custom Integration %04d", i), internal: true, desc: "Internal tool",
		bot: sc("chat:write", "commands", "users:read"),
	}
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
	scen := appScenario(forced, r)
	scopes := append(append([]string(nil), a.bot...), a.user...)
	if r.intn(10) == 0 {
		scopes = append(scopes, unknownScopes[r.intn(len(unknownScopes))])
	}
	seq := appChanges(scen, r)
	installer, t0, now := o.appInstaller(team, scen, r, now)
	times := laterTimes(r, t0, now, len(seq))
	for i, ch := range seq {
		t := times[i]
		who := installer
		if i > 0 {
			who = o.changedBy(team, ch, installer, t, r)
		}
		scopes = changeScopes(ch.kind, scopes, r)
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

// appScenario picks how an app's history goes.
func appScenario(forced bool, r *rng) int {
	x := r.intn(100)
	switch {
	case forced:
		if x < 15 {
			return scOrphan
		}
	case x < 38:
	case x < 50:
		return scCycle
	case x < 70:
		return scRemoved
	case x < 80:
		return scDisabled
	case x < 86:
		return scUnknown
	default:
		return scOrphan
	}
	return scActive
}

// appChanges are the changes of a history in scenario scen.
func appChanges(scen int, r *rng) []change {
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
	return seq
}

// appInstaller picks who installed an app and when (t0), in the last 1,100
// days; in scenario scOrphan someone since deactivated, whose later changes
// happen before they left (end: the history's end).
func (o *Org) appInstaller(team *Team, scen int, r *rng, now int64) (installer *User, t0, end int64) {
	horizon := now - 1100*day
	if scen == scOrphan {
		installer = o.pickMember(team.ID, -1, r.next(), func(u *User) bool {
			return u.Deleted && deactivatedAt(u) > max(u.Created.Unix(), horizon)+day
		})
		if installer != nil {
			lo, hi := max(installer.Created.Unix(), horizon), deactivatedAt(installer)-3600
			t0 = lo + r.int63n(max(1, hi-lo))
			return installer, t0, min(now, hi)
		}
	}
	t0 = horizon + r.int63n(now-2*day-horizon)
	return o.actor(team.ID, t0, r.next(), nil), t0, now
}

// changedBy picks who made a change after the install, at t: an admin
// removes, enables and disables for a user; the installer, while a member,
// makes the rest.
func (o *Org) changedBy(team *Team, ch change, installer *User, t int64, r *rng) *User {
	switch {
	case ch.kind == "added":
		return o.actor(team.ID, t, r.next(), nil)
	case ch.kind == "removed" || ch.kind == "enabled" || ch.reason == "user":
		return o.actor(team.ID, t, r.next(), isAdmin)
	case alive(installer, t):
		return installer
	}
	return o.actor(team.ID, t, r.next(), isAdmin)
}

// changeScopes returns the scopes after a change of kind: expanded adds one
// or two, scope_reduced drops the last.
func changeScopes(kind string, scopes []string, r *rng) []string {
	switch kind {
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
	return scopes
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
