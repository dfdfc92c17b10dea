package slacktest

import (
	"slices"
	"strings"
)

// How an Org changes while it is served.
//
// Org.mu guards the accounts (Users and the *User values in it), user-group
// membership and posted messages. Every request takes it once: shared for
// reads, exclusive for the write methods, and lets go before sending its
// response. Writers never change a *User in place: they store a changed
// copy (updateUser), so a *User handed out earlier is a consistent
// snapshot. Exported accessors (User, CurrentUsers, UserByEmail,
// UserGroups, Messages, AccessLogs, Integrations, IntegrationLogs,
// BotToken) take the lock themselves; code running inside a request uses
// the unexported forms (user, groups, …), because a read lock must not be
// taken twice.

// freeze materialises every data set the server otherwise builds lazily
// from the generated accounts: each workspace's apps and their histories,
// its user groups, and the app IDs of bot users. It runs before the first
// write, so those data sets describe the org as generated, whatever was
// read or written before (an app's installer who is deactivated later stays
// its installer). Callers hold o.mu exclusively.
func (o *Org) freeze() {
	if o.frozen {
		return
	}
	o.botAppIDs()
	for _, t := range o.Teams {
		o.apps(t.ID)
		o.groups(t.ID)
	}
	o.frozen = true
}

// prepare builds what the server would otherwise build on the first call
// that needs it: the data sets freeze materialises and every workspace's
// sign-in index. Each is a pass over the accounts, about a second at a
// million of them, longer than a time-scaled client waits for an answer;
// and the first caller holds the cache's lock while it builds. The server
// calls it before it answers anything, so the results describe the org as
// generated, as freeze's do.
func (o *Org) prepare() {
	o.botAppIDs()
	for _, t := range o.Teams {
		o.apps(t.ID)
		o.groups(t.ID)
	}
	o.indexLogins()
}

// CurrentUsers returns the accounts as they are now, sorted by ID: a copy
// of Users taken under the org's lock, safe to use while the server
// serves writes.
func (o *Org) CurrentUsers() []*User {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return slices.Clone(o.Users)
}

// UserByEmail returns the account with the given e-mail address (compared
// without regard to case), or nil. Accounts created by admin.users.invite
// are found this way.
func (o *Org) UserByEmail(email string) *User {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.userByEmail(email)
}

// userByEmail is UserByEmail for callers holding o.mu.
func (o *Org) userByEmail(email string) *User {
	for _, u := range o.Users {
		if u.Email != "" && strings.EqualFold(u.Email, email) {
			return u
		}
	}
	return nil
}

// updateUser stores a changed copy of u and returns it. Callers hold o.mu
// exclusively.
func (o *Org) updateUser(u *User, change func(*User)) *User {
	i, ok := o.userIndex(u.ID)
	if !ok {
		panic("slacktest: updateUser of an unknown account " + u.ID)
	}
	nu := *o.Users[i]
	change(&nu)
	o.Users[i] = &nu
	return &nu
}

// insertUser adds a new account in ID order. Callers hold o.mu exclusively.
func (o *Org) insertUser(u *User) {
	i, found := o.userIndex(u.ID)
	if found {
		panic("slacktest: duplicate account " + u.ID)
	}
	o.Users = slices.Insert(o.Users, i, u)
	o.dropLogins("")
}

// setActive deactivates or reactivates u, as SCIM and admin.users.assign
// do: the profile changes now (Updated, which is also the deactivation
// time), and a deactivated account leaves every user group. Callers hold
// o.mu exclusively.
func (o *Org) setActive(u *User, active bool) *User {
	if u.Deleted == !active {
		return u
	}
	u = o.updateUser(u, func(nu *User) {
		nu.Deleted = !active
		nu.Updated = o.Now
	})
	if !active {
		o.leaveGroups(u.ID, "")
	}
	return u
}

// joinTeam adds teamID to u's workspaces. Callers hold o.mu exclusively.
func (o *Org) joinTeam(u *User, teamID string) *User {
	u = o.updateUser(u, func(nu *User) {
		teams := make([]string, 0, len(nu.Teams)+1)
		nu.Teams = append(append(teams, nu.Teams...), teamID)
		if len(nu.Teams) == 1 {
			nu.TeamID = teamID
		}
	})
	o.dropLogins(teamID)
	return u
}

// leaveTeam removes teamID from u's workspaces and user groups there. An
// account that leaves its home workspace gets its next one as home; one
// that leaves its last workspace keeps its home ID but lists no workspace
// (a Grid account can belong to the org alone). Callers hold o.mu
// exclusively.
func (o *Org) leaveTeam(u *User, teamID string) *User {
	u = o.updateUser(u, func(nu *User) {
		teams := make([]string, 0, len(nu.Teams))
		for _, t := range nu.Teams {
			if t != teamID {
				teams = append(teams, t)
			}
		}
		nu.Teams = teams
		if nu.TeamID == teamID && len(teams) > 0 {
			nu.TeamID = teams[0]
		}
	})
	o.leaveGroups(u.ID, teamID)
	o.dropLogins(teamID)
	return u
}

// nextUserID returns a new account ID above every generated one (Slack's
// IDs grow over time), so new accounts sort last and earlier cursors stay
// valid. salt spreads the gaps. Callers hold o.mu exclusively.
func (o *Org) nextUserID(salt string) string {
	prefix := byte('U')
	if o.Plan == PlanEnterprise {
		prefix = 'W'
	}
	var hi uint64
	for i := len(o.Users) - 1; i >= 0; i-- {
		if v, ok := parseID(o.Users[i].ID, prefix); ok {
			hi = v
			break
		}
	}
	v := hi + 1 + o.nameHash(salt)%997
	if v >= idSpace {
		panic("slacktest: account ID space exhausted")
	}
	return string(appendID(nil, prefix, v))
}

// parseID decodes an ID written by appendID with the given prefix.
func parseID(id string, prefix byte) (uint64, bool) {
	if len(id) != idLen || id[0] != prefix || id[1] != '0' {
		return 0, false
	}
	var v uint64
	for i := 2; i < idLen; i++ {
		d := strings.IndexByte(base36, id[i])
		if d < 0 {
			return 0, false
		}
		v = v*36 + uint64(d)
	}
	return v, true
}

// privilege ranks an account for the rule that a token may only change
// accounts with the same or fewer permissions.
func privilege(u *User) int {
	switch {
	case u.IsPrimaryOwner:
		return 3
	case u.IsOwner:
		return 2
	case u.IsAdmin:
		return 1
	}
	return 0
}

// isAdminOrOwner reports whether u may use admin-only features.
func isAdminOrOwner(u *User) bool { return u != nil && (u.IsAdmin || u.IsOwner) }
