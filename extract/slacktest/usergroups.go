package slacktest

import (
	"slices"
	"strings"
)

// User groups (Slack's "subteams"). Each workspace has 3–8, generated from
// the seed on first use: "admins" (auto_type admin: the workspace's active
// admins and owners), then team groups such as engineering, sales and
// oncall with 0–60 members drawn from the workspace's active people (no
// single-channel guests, bots or pending invitations); the last one is
// disabled (date_delete > 0). Membership changes
// through usergroups.users.update, and an account leaves a workspace's
// groups when it leaves the workspace (admin.users.remove) and every group
// when it is deactivated (SCIM), as Slack drops deactivated people from
// groups; reactivation does not restore them.

// UserGroup is one user group of a workspace as usergroups.list reports it.
type UserGroup struct {
	ID, TeamID                      string
	Name, Handle, Description       string
	AutoType                        string // "admin" for the admins group, "" otherwise (JSON null)
	DateCreate, DateUpdate          int64  // Unix seconds
	DateDelete                      int64  // 0 while enabled; disabled groups have the time they were disabled
	CreatedBy, UpdatedBy, DeletedBy string // user IDs; DeletedBy "" while enabled (JSON null)
	Users                           []string
}

// Disabled reports whether the group is disabled (date_delete > 0).
func (g *UserGroup) Disabled() bool { return g.DateDelete > 0 }

// teamGroups is the user groups of one workspace, in creation order.
type teamGroups struct {
	list []*UserGroup
}

// find returns the group with the given ID, or nil.
func (tg *teamGroups) find(id string) *UserGroup {
	for _, g := range tg.list {
		if g.ID == id {
			return g
		}
	}
	return nil
}

// groupTemplates are the team groups a workspace draws from, besides admins.
var groupTemplates = []struct{ name, handle, desc string }{
	{"Engineering", "engineering", "Everyone who builds the product"},
	{"Sales", "sales", "Account executives and sales engineers"},
	{"On-call", "oncall", "This week's on-call rotation"},
	{"Marketing", "marketing", ""},
	{"Customer Support", "support", "Ask us anything about a customer"},
	{"Design", "design", "Product and brand design"},
	{"Leadership", "leadership", "Leadership team"},
	{"Finance", "finance", ""},
	{"People Ops", "people-ops", "HR, recruiting and office"},
	{"Security", "security", "Report phishing and incidents here"},
}

const (
	saltGroups      = 0x67726f7570732d73
	maxGroupMembers = 60   // generated team groups have 0–60 members
	maxSubteamUsers = 5000 // usergroups.users.update refuses more: subteam_max_users_exceeded
)

// UserGroups returns the current user groups of the workspace teamID,
// disabled ones included, in the order usergroups.list sends them; nil for
// an unknown workspace. Each is a copy: safe to keep and to use while the
// server serves writes.
func (o *Org) UserGroups(teamID string) []UserGroup {
	if o.Team(teamID) == nil {
		return nil
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	tg := o.groups(teamID)
	out := make([]UserGroup, len(tg.list))
	for i, g := range tg.list {
		out[i] = *g
		out[i].Users = slices.Clone(g.Users)
	}
	return out
}

// groups returns the workspace's user groups, generating them on first use.
// Callers hold o.mu (shared is enough; membership changes need it exclusively).
func (o *Org) groups(teamID string) *teamGroups {
	if o.cache == nil {
		return o.makeGroups(teamID)
	}
	o.cache.mu.Lock()
	defer o.cache.mu.Unlock()
	if tg, ok := o.cache.groups[teamID]; ok {
		return tg
	}
	tg := o.makeGroups(teamID)
	o.cache.groups[teamID] = tg
	return tg
}

// makeGroups generates the workspace's user groups from the seed and the
// accounts as generated.
func (o *Org) makeGroups(teamID string) *teamGroups {
	tg := &teamGroups{}
	ti := o.teamIndex(teamID)
	if ti < 0 {
		return tg
	}
	r := rng{s: mix64(uint64(o.Seed) ^ saltGroups ^ mix64(uint64(ti)))}
	var people, admins []string
	for _, u := range o.Users {
		if u.IsHuman() && !u.Deleted && !u.IsInvitedUser && !u.IsUltraRestricted && u.InTeam(teamID) {
			people = append(people, u.ID)
			if isAdminOrOwner(u) {
				admins = append(admins, u.ID)
			}
		}
	}
	n := 3 + r.below(6)
	picks := make([]int, len(groupTemplates))
	for i := range picks {
		picks[i] = i
	}
	for i := len(picks) - 1; i > 0; i-- {
		j := r.below(i + 1)
		picks[i], picks[j] = picks[j], picks[i]
	}
	now := o.Now.Unix()
	owner := o.primaryOwner().ID
	for k := range n {
		g := &UserGroup{TeamID: teamID}
		id := appendID(nil, 'S', r.next()%idSpace)
		g.ID = string(id)
		g.DateCreate = now - 30*day - r.int63n(900*day)
		g.DateUpdate = g.DateCreate + r.int63n(now-day-g.DateCreate)
		g.CreatedBy, g.UpdatedBy = pickID(admins, &r, owner), pickID(admins, &r, owner)
		if k == 0 {
			g.Name, g.Handle, g.Description, g.AutoType = "Admins", "admins", "Workspace admins and owners", "admin"
			g.CreatedBy, g.Users = SlackbotID, slices.Clone(admins)
		} else {
			t := groupTemplates[picks[k-1]]
			g.Name, g.Handle, g.Description = t.name, t.handle, t.desc
			g.Users = sample(people, min(r.below(maxGroupMembers+1), len(people)), &r)
		}
		if k == n-1 {
			g.DateDelete = g.DateUpdate + r.int63n(now-g.DateUpdate)
			g.DeletedBy = pickID(admins, &r, owner)
		}
		tg.list = append(tg.list, g)
	}
	return tg
}

// pickID returns a random element of ids, or def when there is none.
func pickID(ids []string, r *rng, def string) string {
	if len(ids) == 0 {
		return def
	}
	return ids[r.below(len(ids))]
}

// sample returns k distinct elements of ids (sorted, as ids is) chosen at random.
func sample(ids []string, k int, r *rng) []string {
	chosen := make(map[int]bool, k)
	for len(chosen) < k {
		chosen[r.below(len(ids))] = true
	}
	out := make([]string, 0, k)
	for i, id := range ids {
		if chosen[i] {
			out = append(out, id)
		}
	}
	return out
}

// leaveGroups removes userID from the user groups of workspace teamID, or
// of every workspace when teamID is "". Callers hold o.mu exclusively.
func (o *Org) leaveGroups(userID, teamID string) {
	for _, t := range o.Teams {
		if teamID != "" && t.ID != teamID {
			continue
		}
		for _, g := range o.groups(t.ID).list {
			if i, ok := slices.BinarySearch(g.Users, userID); ok {
				g.Users = slices.Delete(slices.Clone(g.Users), i, i+1)
			}
		}
	}
}

// groupsOf maps each account to the enabled user groups it belongs to, in
// every workspace (SCIM's groups attribute). Callers hold o.mu.
func (o *Org) groupsOf() map[string][]*UserGroup {
	m := make(map[string][]*UserGroup)
	for _, t := range o.Teams {
		for _, g := range o.groups(t.ID).list {
			if g.Disabled() {
				continue
			}
			for _, id := range g.Users {
				m[id] = append(m[id], g)
			}
		}
	}
	return m
}

// splitIDs splits a comma-separated list of IDs, dropping blanks and
// duplicates and sorting the rest.
func splitIDs(s string) []string {
	var ids []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
