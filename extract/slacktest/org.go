package slacktest

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// Plan codes as team.billing.info reports them.
const (
	PlanFree       = "free"
	PlanPro        = "std"
	PlanBusiness   = "plus"
	PlanEnterprise = "enterprise"
	PlanCompliance = "compliance"
)

// Activity is a member's usage pattern. Sign-in rows (team.accessLogs),
// member analytics (admin.analytics.getFile) and last_active_ts
// (admin.users.list) all derive from it and LastActive: see Org.ActiveOn.
type Activity string

// The usage patterns a generated account can have.
const (
	ActivityDaily   Activity = "daily"   // active on most days (≥4 a week)
	ActivityWeekly  Activity = "weekly"  // active 1–3 days a week
	ActivityMonthly Activity = "monthly" // active a few days a month
	ActivityDormant Activity = "dormant" // used Slack before, but not in the last 28+ days
	ActivityNever   Activity = "never"   // never signed in (includes pending invites)
)

// SlackbotID is the fixed user ID of Slackbot in every workspace.
const SlackbotID = "USLACKBOT"

// defaultNow is the org's clock when Config.Now is zero.
var defaultNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// Config describes the synthetic organisation. The zero value is usable:
// every field has a default.
type Config struct {
	Seed       int64
	Users      int       // accounts in the org including guests, bots, invites, deactivated and Slackbot; default 200, at least 2
	Workspaces int       // default 1; forced to 1 unless Plan is PlanEnterprise
	Plan       string    // one of the Plan* codes; default PlanBusiness
	Now        time.Time // the org's clock; zero means 2026-11-28T12:00:00Z
	Name       string    // organisation/workspace display name; default "Acme"

	// AnalyticsStart is the first UTC day admin.analytics.getFile has data
	// for (earlier dates answer data_not_available); zero means 400 days
	// before Now. Set it later to model an org that upgraded recently.
	AnalyticsStart time.Time
	// AppsPerWorkspace is the number of apps and legacy services installed
	// (now or in the past) in each workspace, as team.integrationLogs and
	// admin.apps.* report them; zero means 20–60 per workspace, chosen from
	// the seed. Raise it for benchmarks.
	AppsPerWorkspace int
	// MembersManageUserGroups models the workspace setting that lets every
	// full member (and apps' bot tokens) change user groups. False (the
	// default) restricts it to admins and owners: anyone else calling
	// usergroups.users.update gets permission_denied. Guests never may.
	MembersManageUserGroups bool
}

// withDefaults returns cfg with every default filled in.
func (cfg Config) withDefaults() Config {
	if cfg.Users <= 0 {
		cfg.Users = 200
	}
	if cfg.Users < 2 {
		cfg.Users = 2 // the primary owner and Slackbot
	}
	if cfg.Plan == "" {
		cfg.Plan = PlanBusiness
	}
	if cfg.Plan != PlanEnterprise || cfg.Workspaces < 1 {
		cfg.Workspaces = 1
	}
	if cfg.Now.IsZero() {
		cfg.Now = defaultNow
	}
	cfg.Now = cfg.Now.UTC()
	if cfg.Name == "" {
		cfg.Name = "Acme"
	}
	return cfg
}

// Team is one workspace of the org.
type Team struct {
	ID, Name, Domain, EmailDomain string
	EnterpriseID, EnterpriseName  string // set on the enterprise plan only
}

// User is one account as the synthetic org knows it. The server renders
// users.list and the other user-facing methods from these fields.
type User struct {
	ID                               string   // "U…" on non-enterprise plans, "W…" on enterprise; Slackbot is "USLACKBOT"
	TeamID                           string   // home workspace
	Teams                            []string // workspaces the account belongs to (1 unless Grid); may be shared between users: do not modify in place
	Name                             string   // handle, e.g. "zoe.angstrom"
	RealName                         string   // may contain unicode
	DisplayName                      string
	Email                            string // empty for bots, app users and Slackbot
	Title, TZ                        string
	TZOffset                         int
	IsAdmin, IsOwner, IsPrimaryOwner bool
	IsRestricted, IsUltraRestricted  bool // multi-channel guest: restricted; single-channel guest: both true (as Slack does)
	IsBot, IsAppUser, IsInvitedUser  bool
	Deleted                          bool // deactivated
	Has2FA                           bool
	BotID, AppID                     string // bots and app users
	Created                          time.Time
	Updated                          time.Time // profile last changed (users.list "updated")
	Activity                         Activity
	LastActive                       time.Time // zero when Activity is never
	expires                          int64     // guest expiry from admin.users.invite (Unix seconds); 0: derived from seed; <0: none
	seed                             uint64    // per-user hash: colour and avatar
	tz                               uint8     // index into timezones
	order                            nameOrder // how RealName splits into first and last name
	accented                         bool      // real_name_normalized folds diacritics
}

// Org is a generated organisation: its workspaces and every account.
//
// The server's write methods (admin.users.*, usergroups.users.update,
// SCIM, chat.postMessage) change an Org while it is served; see state.go.
// Users and the *User values in it are then replaced, never changed in
// place, under the org's lock: a *User is a snapshot that stays valid.
// While writes may be in flight, read accounts through User,
// CurrentUsers and UserByEmail, not through the Users field.
type Org struct {
	Config                              // with defaults filled in
	EnterpriseID, EnterpriseName string // set when Plan is enterprise
	Teams                        []*Team
	Users                        []*User // every account, sorted by ID; deterministic until written to
	owner                        *User   // the primary owner (never changed by the write methods)
	cache                        *orgCache

	mu       sync.RWMutex // guards Users, user groups and messages once serving starts
	frozen   bool         // lazily built data was materialised before the first write
	messages []Message    // chat.postMessage, in posting order
}

// User returns the account with the given ID, or nil if unknown. Safe for
// concurrent use with the server's write methods; the result is a snapshot
// that later writes do not change.
func (o *Org) User(id string) *User {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.user(id)
}

// user is User for callers holding o.mu.
func (o *Org) user(id string) *User {
	i, ok := o.userIndex(id)
	if !ok {
		return nil
	}
	return o.Users[i]
}

// userIndex finds id in the sorted Users slice.
func (o *Org) userIndex(id string) (int, bool) {
	return slices.BinarySearchFunc(o.Users, id, func(u *User, id string) int {
		return strings.Compare(u.ID, id)
	})
}

// Team returns the workspace with the given ID, or nil if unknown.
func (o *Org) Team(id string) *Team {
	for _, t := range o.Teams {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// InTeam reports whether u belongs to the workspace teamID.
func (u *User) InTeam(teamID string) bool {
	for _, t := range u.Teams {
		if t == teamID {
			return true
		}
	}
	return false
}

// IsHuman reports whether u is a person: not a bot, an app user or Slackbot.
func (u *User) IsHuman() bool {
	return !u.IsBot && !u.IsAppUser && u.ID != SlackbotID
}
