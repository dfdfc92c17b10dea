package slacktest

import (
	"slices"
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
