package transform

import (
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// knownChanges are the change_type values Slack documents. Others are kept
// in app_events and counted in apps.unknown_changes; they change neither
// status nor the installer.
var knownChanges = map[string]bool{"added": true, "removed": true, "enabled": true, "disabled": true, "updated": true, "expanded": true}

// Apps replays team.integrationLogs entries (app_events) into the current
// state of every app and legacy service per workspace (apps), enriched by
// the admin.apps.* lists (app_directory) and the member lists (users,
// org_users, for orphaned installs), and rates each app's risk.
//
// The replay does not depend on the order entries arrive in, and an entry
// seen twice changes nothing: an app's state is a function of its newest
// entries, kept as it goes. An entry is ordered by its date and, within a
// second, by its place in Slack's newest-first listing. Memory is
// O(apps × scopes), whatever the number of entries.
type Apps struct {
	cfg    AppsConfig
	apps   map[appKey]*appState
	people map[string]bool // user ID → deactivated, for every listed account
	dir    map[dirKey]*dirEntry
	intern map[string]string
}

// AppsConfig configures the apps transform.
type AppsConfig struct {
	// Alloc allocates the batches Emit builds; memory.DefaultAllocator when nil.
	Alloc memory.Allocator
}

// NewApps returns an empty replay.
func NewApps(cfg AppsConfig) *Apps {
	return &Apps{cfg: cfg, apps: map[appKey]*appState{}, people: map[string]bool{}, dir: map[dirKey]*dirEntry{}, intern: map[string]string{}}
}

type appKey struct{ team, kind, id string }

type dirKey struct{ team, app string }

// dirEntry is what admin.apps.* says about an app in a workspace.
type dirEntry struct {
	name, developerType, list string
	approved, internal        bool
	sensitive, userScopes     []string
}

// order places an entry in time: later date first, then smaller position.
type order struct{ date, pos int64 }

func (o order) after(p order) bool { return o.date > p.date || (o.date == p.date && o.pos < p.pos) }

// event is one entry's fields the replay keeps.
type event struct {
	at                  order
	change, user, uname string
	reason              string
}

type scopeGrant struct {
	scope string
	at    order // the newest entry that lists it
}

// appState is one app's replay so far.
type appState struct {
	name, channel                           string
	last                                    event // newest entry of any change type
	lastKnown                               event // newest entry with a documented change type
	install                                 event // newest "added"
	reset                                   event // newest "added" or "removed"
	hasLast, hasKnown, hasInstall, hasReset bool
	grants                                  []scopeGrant
	changes, unknown                        int64
}

// Observe takes a batch of app_events, app_directory, users or org_users.
func (a *Apps) Observe(table string, rec arrow.RecordBatch) error {
	c := &cols{rec: rec, table: table}
	switch table {
	case "app_events":
		return a.events(c)
	case "app_directory":
		return a.directory(c)
	case "users":
		user, deleted := c.str("user_id"), c.boolean("deleted")
		if c.err != nil {
			return c.err
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			a.person(user.Value(i), flag(deleted, i))
		}
	case "org_users":
		user, active := c.str("user_id"), c.boolean("is_active")
		if c.err != nil {
			return c.err
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			a.person(user.Value(i), active.IsValid(i) && !active.Value(i))
		}
	}
	return nil
}

// person records a listed account; deactivated anywhere wins.
func (a *Apps) person(id string, deactivated bool) {
	if was, ok := a.people[id]; ok {
		if deactivated && !was {
			a.people[id] = true
		}
		return
	}
	a.people[strings.Clone(id)] = deactivated
}

// str returns s as a string the replay may keep: one copy per distinct value.
func (a *Apps) str(s string) string {
	if v, ok := a.intern[s]; ok {
		return v
	}
	v := strings.Clone(s)
	a.intern[v] = v
	return v
}

func (a *Apps) events(c *cols) error {
	team, kind, id := c.str("team_id"), c.str("kind"), c.str("integration_id")
	appType, svcType := c.str("app_type"), c.str("service_type")
	user, uname, channel := c.str("user_id"), c.str("user_name"), c.str("channel")
	change, scope, reason := c.str("change_type"), c.str("scope"), c.str("reason")
	pos, at := c.int64s("position"), c.timestamp("changed_at")
	if c.err != nil {
		return c.err
	}
	for i := 0; i < int(c.rec.NumRows()); i++ {
		k := appKey{team.Value(i), kind.Value(i), id.Value(i)}
		st := a.apps[k]
		if st == nil {
			k = appKey{a.str(k.team), a.str(k.kind), strings.Clone(k.id)}
			st = &appState{}
			a.apps[k] = st
		}
		e := event{at: order{int64(at.Value(i)) / 1e6, pos.Value(i)}, change: a.str(change.Value(i))}
		if user.IsValid(i) {
			e.user, e.uname = a.str(user.Value(i)), a.str(uname.Value(i))
		}
		if reason.IsValid(i) {
			e.reason = a.str(reason.Value(i))
		}
		st.changes++
		newest := !st.hasLast || e.at.after(st.last.at)
		if newest {
			st.last, st.hasLast = e, true
			name := appType
			if kind.Value(i) == "service" {
				name = svcType
			}
			if name.IsValid(i) {
				st.name = a.str(name.Value(i))
			}
			if channel.IsValid(i) {
				st.channel = a.str(channel.Value(i))
			}
		}
		if !knownChanges[e.change] {
			st.unknown++
		} else if !st.hasKnown || e.at.after(st.lastKnown.at) {
			st.lastKnown, st.hasKnown = e, true
		}
		switch e.change {
		case "added":
			if !st.hasInstall || e.at.after(st.install.at) {
				st.install, st.hasInstall = e, true
			}
			fallthrough
		case "removed":
			if !st.hasReset || e.at.after(st.reset.at) {
				st.reset, st.hasReset = e, true
			}
		}
		if e.change != "removed" && scope.IsValid(i) {
			a.grant(st, scope.Value(i), e.at)
		}
	}
	return nil
}

// grant records that an entry at lists the comma-separated scopes.
func (a *Apps) grant(st *appState, scopes string, at order) {
	for s := range strings.SplitSeq(scopes, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		j := slices.IndexFunc(st.grants, func(g scopeGrant) bool { return g.scope == s })
		if j < 0 {
			st.grants = append(st.grants, scopeGrant{a.str(s), at})
		} else if at.after(st.grants[j].at) {
			st.grants[j].at = at
		}
	}
}

func (a *Apps) directory(c *cols) error {
	team, list, app := c.str("team_id"), c.str("list"), c.str("app_id")
	name, dev := c.str("name"), c.str("developer_type")
	approved, internal := c.boolean("is_app_directory_approved"), c.boolean("is_internal")
	sensitive := column[*array.List](c, "sensitive_scopes", "list<string>")
	userScopes := column[*array.List](c, "user_scopes", "list<string>")
	if c.err != nil {
		return c.err
	}
	for i := 0; i < int(c.rec.NumRows()); i++ {
		d := &dirEntry{list: a.str(list.Value(i)), approved: flag(approved, i), internal: flag(internal, i),
			sensitive: a.strings(sensitive, i), userScopes: a.strings(userScopes, i)}
		if name.IsValid(i) {
			d.name = a.str(name.Value(i))
		}
		if dev.IsValid(i) {
			d.developerType = a.str(dev.Value(i))
		}
		k := dirKey{a.str(team.Value(i)), a.str(app.Value(i))}
		// An app both approved and restricted in a workspace: approved wins,
		// as Slack's own lists do.
		if old, ok := a.dir[k]; !ok || old.list != "approved" {
			a.dir[k] = d
		}
		if _, ok := a.dir[dirKey{"", k.app}]; !ok {
			a.dir[dirKey{"", k.app}] = d
		}
	}
	return nil
}

// strings returns list element i as kept strings.
func (a *Apps) strings(l *array.List, i int) []string {
	if l.IsNull(i) {
		return nil
	}
	vals := l.ListValues().(*array.String)
	start, end := l.ValueOffsets(i)
	out := make([]string, 0, end-start)
	for j := start; j < end; j++ {
		out = append(out, a.str(vals.Value(int(j))))
	}
	return out
}
