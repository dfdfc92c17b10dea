package transform

import (
	"cmp"
	"slackaudit/warehouse/schema"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// App statuses after replaying the integration log.
const (
	AppInstalled = "installed"
	AppDisabled  = "disabled"
	AppRemoved   = "removed"
)

// AppsSchema is the apps table.
var AppsSchema = schema.Declare(schema.Table{
	Name: "apps", Kind: schema.Snapshot,
	Comment: "One row per app or legacy integration per workspace: the integration log replayed in time order into its current status, scopes, installer and risk, enriched by Enterprise Grid app management where it could be read.",
	Columns: []schema.Column{
		schema.String("team_id", "Workspace."),
		schema.String("kind", "app or service (legacy custom integration)."),
		schema.String("integration_id", "app_id for apps, service_id for legacy services: the key with team_id."),
		schema.String("app_id", "Slack app ID; NULL for legacy services.").Optional(),
		schema.String("service_id", "Legacy service instance ID; NULL for apps.").Optional(),
		schema.String("name", "Name from app management where known, else from the newest log entry."),
		schema.String("status", "installed, disabled or removed, after the newest documented change."),
		schema.Strings("scopes", "Scopes held now: those granted by the newest install and any expansion or update since; empty once removed."),
		schema.String("risk_level", "critical, high, medium, low, none (no scopes) or unknown (only scopes the risk table does not know): the riskiest scope, raised one step for user-token scopes and one for apps not approved in the Slack Marketplace."),
		schema.Strings("risk_reasons", "Why, in words: the riskiest scopes, each raise, unknown scopes and change types, an orphaned install."),
		schema.Strings("user_scopes", "Scopes held through a user token: the app acts as the person who installed it."),
		schema.Strings("unknown_scopes", "Scopes the risk table does not know, kept and rated unknown."),
		schema.Strings("sensitive_scopes", "Scopes Slack's app management marks is_sensitive; NULL when app management could not be read.").Optional(),
		schema.String("installed_by", "User who made the newest install (added entry); NULL when it predates the log.").Optional(),
		schema.String("installed_by_name", "That user's username at the time.").Optional(),
		schema.Timestamp("installed_at", "When the newest install was made.").Optional(),
		schema.Bool("installer_deactivated", "The installer's account is deactivated now: an orphaned install nobody answers for. NULL when the installer is not in any member list synced.").Optional(),
		schema.Timestamp("last_change_at", "Newest log entry."),
		schema.String("last_change_type", "Its change_type (possibly one Slack has not documented)."),
		schema.String("last_change_by", "Who made it.").Optional(),
		schema.String("last_change_by_name", "Their username at the time.").Optional(),
		schema.String("disabled_reason", "For disabled apps, the reason Slack gave.").Optional(),
		schema.String("channel", "Channel a webhook or service posts to.").Optional(),
		schema.Int64("changes", "Log entries for this app."),
		schema.Int64("unknown_changes", "Entries with a change_type Slack has not documented (kept in app_events; they change neither status nor installer)."),
		schema.String("developer_type", "third_party or internal, from app management; NULL when unknown.").Optional(),
		schema.Bool("directory_approved", "Approved in the Slack Marketplace (is_app_directory_approved); NULL when unknown.").Optional(),
		schema.String("admin_status", "approved or restricted by the organisation's admins for this workspace; NULL when not listed or not readable.").Optional(),
		schema.String("risk_table_version", "Version of the scope → risk table that rated the app."),
	},
})

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

// AppRow is one row of the apps table.
type AppRow struct {
	TeamID, Kind, ID, Name, Status string
	Scopes                         []string
	Risk                           AppRisk
	Sensitive                      []string // nil when admin.apps.* did not describe the app
	InstalledBy, InstalledByName   string
	InstalledAt                    int64 // Unix seconds; 0 when the install predates the log
	InstallerDeactivated           *bool // nil when the installer is not in any member list
	LastChangeAt                   int64
	LastChangeType                 string
	LastChangeBy, LastChangeByName string
	DisabledReason, Channel        string
	Changes, UnknownChanges        int64
	DeveloperType, AdminStatus     string
	DirectoryApproved              *bool
}

// Rows returns the current state of every app, by workspace, riskiest first.
func (a *Apps) Rows() []AppRow {
	out := make([]AppRow, 0, len(a.apps))
	for k, st := range a.apps {
		out = append(out, a.row(k, st))
	}
	slices.SortFunc(out, func(x, y AppRow) int {
		return cmp.Or(cmp.Compare(x.TeamID, y.TeamID), cmp.Compare(statusRank(x.Status), statusRank(y.Status)),
			cmp.Compare(riskRank(y.Risk.Level), riskRank(x.Risk.Level)), cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
	return out
}

func statusRank(s string) int {
	return slices.Index([]string{AppInstalled, AppDisabled, AppRemoved}, s)
}

func (a *Apps) row(k appKey, st *appState) AppRow {
	r := AppRow{TeamID: k.team, Kind: k.kind, ID: k.id, Name: st.name, Channel: st.channel,
		LastChangeAt: st.last.at.date, LastChangeType: st.last.change, LastChangeBy: st.last.user, LastChangeByName: st.last.uname,
		Changes: st.changes, UnknownChanges: st.unknown, Status: AppInstalled}
	if st.hasKnown {
		switch st.lastKnown.change {
		case "removed":
			r.Status = AppRemoved
		case "disabled":
			r.Status, r.DisabledReason = AppDisabled, st.lastKnown.reason
		}
	}
	if st.hasInstall {
		r.InstalledBy, r.InstalledByName, r.InstalledAt = st.install.user, st.install.uname, st.install.at.date
		if gone, ok := a.people[r.InstalledBy]; ok {
			r.InstallerDeactivated = &gone
		}
	}
	// Current scopes: those listed since the newest install, or after the
	// newest removal; none once removed.
	if r.Status != AppRemoved {
		for _, g := range st.grants {
			if !st.hasReset || g.at == st.reset.at && st.reset.change == "added" || g.at.after(st.reset.at) {
				r.Scopes = append(r.Scopes, g.scope)
			}
		}
		slices.Sort(r.Scopes)
	}
	in := AppRiskInput{Scopes: r.Scopes}
	if k.kind == "app" {
		if d := a.dir[dirKey{k.team, k.id}]; d != nil {
			r.AdminStatus = d.list
		}
		if d := a.dir[dirKey{k.team, k.id}]; d != nil || a.dir[dirKey{"", k.id}] != nil {
			if d == nil {
				d = a.dir[dirKey{"", k.id}]
			}
			approved := d.approved
			r.DirectoryApproved, r.DeveloperType = &approved, d.developerType
			if d.name != "" {
				r.Name = d.name
			}
			r.Sensitive = []string{}
			for _, s := range r.Scopes {
				if slices.Contains(d.sensitive, s) {
					r.Sensitive = append(r.Sensitive, s)
				}
			}
			in.UserScopes, in.DirectoryApproved, in.Internal = d.userScopes, &approved, d.internal
		}
	}
	r.Risk = RateApp(in)
	if r.Status == AppRemoved {
		r.Risk.Reasons = append([]string{"removed: holds no access"}, r.Risk.Reasons[1:]...)
	}
	if st.unknown > 0 {
		r.Risk.Reasons = append(r.Risk.Reasons, "log has change types slackaudit does not know (kept in app_events): newest is "+
			quoteIfUnknown(st.last.change))
	}
	if r.InstallerDeactivated != nil && *r.InstallerDeactivated && r.Status != AppRemoved {
		r.Risk.Reasons = append(r.Risk.Reasons, "orphaned: installed by "+orName(r.InstalledByName, r.InstalledBy)+", whose account is deactivated")
	}
	return r
}

func quoteIfUnknown(change string) string {
	if knownChanges[change] {
		return change + " (documented)"
	}
	return `"` + change + `"`
}

func orName(name, id string) string {
	if name != "" {
		return name + " (" + id + ")"
	}
	return id
}

// Emit writes the apps table in batches of at most maxRows rows.
func (a *Apps) Emit(maxRows int, emit func(arrow.RecordBatch) error) error {
	b := schema.NewBuilder(allocator(a.cfg.Alloc), AppsSchema, maxRows, emit)
	defer b.Release()
	add := appAppender(b)
	for _, r := range a.Rows() {
		if err := add(&r); err != nil {
			return err
		}
	}
	return b.Flush()
}

// appAppender looks the apps columns up once and returns what appends one
// app.
func appAppender(b *schema.Builder) func(*AppRow) error {
	team, kind, integration, appID, serviceID := b.String("team_id"), b.String("kind"), b.String("integration_id"), b.String("app_id"), b.String("service_id")
	name, status, risk, version := b.String("name"), b.String("status"), b.String("risk_level"), b.String("risk_table_version")
	scopes, reasons, userScopes, unknown, sensitive := b.Strings("scopes"), b.Strings("risk_reasons"), b.Strings("user_scopes"), b.Strings("unknown_scopes"), b.Strings("sensitive_scopes")
	installedBy, installedByName, installedAt := b.String("installed_by"), b.String("installed_by_name"), b.Timestamp("installed_at")
	orphaned, approved := b.Bool("installer_deactivated"), b.Bool("directory_approved")
	lastAt, lastType, lastBy, lastByName := b.Timestamp("last_change_at"), b.String("last_change_type"), b.String("last_change_by"), b.String("last_change_by_name")
	disabledReason, channel, developer, adminStatus := b.String("disabled_reason"), b.String("channel"), b.String("developer_type"), b.String("admin_status")
	changes, unknownChanges := b.Int64("changes"), b.Int64("unknown_changes")
	return func(r *AppRow) error {
		team.Append(r.TeamID)
		kind.Append(r.Kind)
		integration.Append(r.ID)
		if r.Kind == "app" {
			appID.Append(r.ID)
			serviceID.AppendNull()
		} else {
			appID.AppendNull()
			serviceID.Append(r.ID)
		}
		name.Append(r.Name)
		status.Append(r.Status)
		scopes.Append(r.Scopes)
		risk.Append(r.Risk.Level)
		reasons.Append(r.Risk.Reasons)
		userScopes.Append(r.Risk.UserScopes)
		unknown.Append(r.Risk.Unknown)
		if r.Sensitive != nil {
			sensitive.Append(r.Sensitive)
		} else {
			sensitive.AppendNull()
		}
		optString(installedBy, r.InstalledBy)
		optString(installedByName, r.InstalledByName)
		optTime(installedAt, r.InstalledAt)
		optBool(orphaned, r.InstallerDeactivated)
		lastAt.Append(arrow.Timestamp(r.LastChangeAt * 1e6))
		lastType.Append(r.LastChangeType)
		optString(lastBy, r.LastChangeBy)
		optString(lastByName, r.LastChangeByName)
		optString(disabledReason, r.DisabledReason)
		optString(channel, r.Channel)
		changes.Append(r.Changes)
		unknownChanges.Append(r.UnknownChanges)
		optString(developer, r.DeveloperType)
		optBool(approved, r.DirectoryApproved)
		optString(adminStatus, r.AdminStatus)
		version.Append(RiskTableVersion)
		return b.Row()
	}
}

func optString(sb *array.StringBuilder, s string) {
	if s == "" {
		sb.AppendNull()
		return
	}
	sb.Append(s)
}

func optTime(tb *array.TimestampBuilder, unix int64) {
	if unix == 0 {
		tb.AppendNull()
		return
	}
	tb.Append(arrow.Timestamp(unix * 1e6))
}

func optBool(bb *array.BooleanBuilder, v *bool) {
	if v == nil {
		bb.AppendNull()
		return
	}
	bb.Append(*v)
}
