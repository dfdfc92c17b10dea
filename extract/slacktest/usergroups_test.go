package slacktest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

type userGroupJS struct {
	ID          string   `json:"id"`
	TeamID      string   `json:"team_id"`
	IsUsergroup bool     `json:"is_usergroup"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Handle      string   `json:"handle"`
	DateCreate  int64    `json:"date_create"`
	DateUpdate  int64    `json:"date_update"`
	DateDelete  int64    `json:"date_delete"`
	AutoType    *string  `json:"auto_type"`
	CreatedBy   string   `json:"created_by"`
	UpdatedBy   string   `json:"updated_by"`
	DeletedBy   *string  `json:"deleted_by"`
	Users       []string `json:"users"`
	UserCount   *string  `json:"user_count"` // a string, as Slack documents it
	Prefs       *struct {
		Channels []string `json:"channels"`
		Groups   []string `json:"groups"`
	} `json:"prefs"`
}

type userGroupsPage struct {
	OK         bool          `json:"ok"`
	Usergroups []userGroupJS `json:"usergroups"`
}

type groupUsersJS struct {
	OK    bool     `json:"ok"`
	Users []string `json:"users"`
}

type groupUpdateJS struct {
	OK        bool        `json:"ok"`
	Usergroup userGroupJS `json:"usergroup"`
}

// newGroupsServer serves a Business+ org with tokens for user groups: the
// primary owner's (AdminToken plus usergroups:write), a full member's and
// a bot's.
func newGroupsServer(t *testing.T, cfg slacktest.Config) (srv *slacktest.Server, admin, member, bot string) {
	t.Helper()
	o := slacktest.NewOrg(cfg)
	srv = slacktest.NewServer(o, slacktest.WithRateLimits(false))
	t.Cleanup(srv.Close)
	team := o.Teams[0].ID
	admin = addToken(srv, o.UserToken(o.AdminToken().UserID, "usergroups:read", "usergroups:write", "users:read"))
	member = addToken(srv, o.UserToken(find(t, o, isMember(team)).ID, "usergroups:read", "usergroups:write"))
	bot = addToken(srv, o.BotToken("usergroups:read", "usergroups:write"))
	return srv, admin, member, bot
}

func TestUserGroupsGenerated(t *testing.T) {
	srv, admin, _, _ := newGroupsServer(t, slacktest.Config{Seed: 5, Users: 400})
	o := srv.Org()
	team := o.Teams[0].ID
	groups := o.UserGroups(team)
	require.GreaterOrEqual(t, len(groups), 3)
	require.LessOrEqual(t, len(groups), 8)
	require.Equal(t, "admins", groups[0].Handle)
	require.Equal(t, "admin", groups[0].AutoType)
	require.True(t, groups[len(groups)-1].Disabled())
	handles := map[string]bool{}
	for i, g := range groups {
		require.False(t, handles[g.Handle], "handles are unique")
		handles[g.Handle] = true
		require.True(t, strings.HasPrefix(g.ID, "S"))
		require.Equal(t, team, g.TeamID)
		require.Less(t, g.DateCreate, g.DateUpdate)
		require.Equal(t, i == len(groups)-1, g.DateDelete > 0)
		if i > 0 {
			require.LessOrEqual(t, len(g.Users), 60)
		}
		for _, id := range g.Users {
			u := o.User(id)
			require.NotNil(t, u)
			require.True(t, u.IsHuman() && !u.Deleted && !u.IsInvitedUser && u.InTeam(team), id)
			if i == 0 {
				require.True(t, u.IsAdmin || u.IsOwner)
			}
		}
	}
	// The same seed gives the same groups.
	again := slacktest.NewOrg(slacktest.Config{Seed: 5, Users: 400})
	require.Equal(t, groups, again.UserGroups(team))
	require.Nil(t, o.UserGroups("T0NOPE"))

	// usergroups.list: everything with every include flag.
	p := decode[userGroupsPage](t, call(t, srv, "usergroups.list", form("token", admin,
		"include_users", "true", "include_count", "true", "include_disabled", "true")))
	require.True(t, p.OK)
	require.Len(t, p.Usergroups, len(groups))
	for i, got := range p.Usergroups {
		g := groups[i]
		require.Equal(t, g.ID, got.ID)
		require.True(t, got.IsUsergroup)
		require.Equal(t, g.Name, got.Name)
		require.Equal(t, g.Handle, got.Handle)
		require.Equal(t, g.Description, got.Description)
		require.Equal(t, g.DateDelete, got.DateDelete)
		require.Equal(t, g.Users, nonNil(got.Users))
		require.NotNil(t, got.UserCount)
		require.Equal(t, itoa(len(g.Users)), *got.UserCount)
		require.NotNil(t, got.Prefs)
		if g.AutoType == "" {
			require.Nil(t, got.AutoType)
		} else {
			require.Equal(t, g.AutoType, *got.AutoType)
		}
		require.Equal(t, g.Disabled(), got.DeletedBy != nil)
	}
	// user_count is a JSON string.
	r := call(t, srv, "usergroups.list", form("token", admin, "include_count", "true"))
	require.Contains(t, string(r.Body), `"user_count":"`)

	// Defaults: no disabled groups, no users, no count.
	r = call(t, srv, "usergroups.list", form("token", admin))
	p = decode[userGroupsPage](t, r)
	require.Len(t, p.Usergroups, len(groups)-1)
	require.NotContains(t, string(r.Body), `"users"`)
	require.NotContains(t, string(r.Body), `"user_count"`)
	requireError(t, call(t, srv, "usergroups.list", form("token", admin, "include_count", "maybe")), "invalid_arguments")
}

// nonNil turns a nil slice into an empty one, as JSON [] decodes.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestUserGroupsUsersList(t *testing.T) {
	srv, admin, _, bot := newGroupsServer(t, slacktest.Config{Seed: 5, Users: 400})
	groups := srv.Org().UserGroups(srv.Org().Teams[0].ID)
	for _, tok := range []string{admin, bot} {
		for _, g := range groups[:len(groups)-1] {
			p := decode[groupUsersJS](t, call(t, srv, "usergroups.users.list", form("token", tok, "usergroup", g.ID)))
			require.True(t, p.OK)
			require.Equal(t, nonNil(g.Users), nonNil(p.Users))
		}
	}
	disabled := groups[len(groups)-1]
	requireError(t, call(t, srv, "usergroups.users.list", form("token", admin, "usergroup", disabled.ID)), "no_such_subteam")
	p := decode[groupUsersJS](t, call(t, srv, "usergroups.users.list", form("token", admin, "usergroup", disabled.ID, "include_disabled", "true")))
	require.Equal(t, nonNil(disabled.Users), nonNil(p.Users))
	requireError(t, call(t, srv, "usergroups.users.list", form("token", admin, "usergroup", "S0NOPE")), "no_such_subteam")
	requireError(t, call(t, srv, "usergroups.users.list", form("token", admin)), "invalid_arguments")
	r := call(t, srv, "usergroups.users.list", form("token", admin, "usergroup", groups[1].ID))
	require.True(t, strings.HasPrefix(string(r.Body), `{"ok":true,"users":[`), "%s", r.Body)
}

func TestUserGroupsUsersUpdate(t *testing.T) {
	srv, admin, member, bot := newGroupsServer(t, slacktest.Config{Seed: 5, Users: 400})
	o := srv.Org()
	team := o.Teams[0].ID
	g := o.UserGroups(team)[1]
	var people []string
	for _, u := range o.CurrentUsers() {
		if isMember(team)(u) && len(people) < 3 {
			people = append(people, u.ID)
		}
	}

	// Replace the membership; spaces and duplicates are tolerated.
	r := call(t, srv, "usergroups.users.update", form("token", admin, "usergroup", g.ID,
		"users", people[2]+", "+people[0]+","+people[1]+","+people[0], "include_count", "true"))
	up := decode[groupUpdateJS](t, r)
	require.True(t, up.OK, "%s", r.Body)
	require.Equal(t, g.ID, up.Usergroup.ID)
	require.Equal(t, people, up.Usergroup.Users)
	require.Equal(t, "3", *up.Usergroup.UserCount)
	require.Equal(t, o.Now.Unix(), up.Usergroup.DateUpdate)
	require.Equal(t, o.AdminToken().UserID, up.Usergroup.UpdatedBy)
	// Later reads see it.
	got := decode[groupUsersJS](t, call(t, srv, "usergroups.users.list", form("token", admin, "usergroup", g.ID)))
	require.Equal(t, people, got.Users)
	require.Equal(t, people, o.UserGroups(team)[1].Users)
	// Replacing again is idempotent.
	requireOK(t, call(t, srv, "usergroups.users.update", form("token", admin, "usergroup", g.ID, "users", strings.Join(people, ","))))
	require.Equal(t, people, o.UserGroups(team)[1].Users)

	// Errors leave the group unchanged.
	deactivated := find(t, o, func(u *slacktest.User) bool { return u.Deleted && u.IsHuman() })
	botUser := find(t, o, func(u *slacktest.User) bool { return u.IsBot })
	for _, tt := range []struct{ users, code string }{
		{"", "no_users_provided"},
		{" , ,", "no_users_provided"},
		{people[0] + ",U0NOPE", "invalid_users"},
		{people[0] + "," + botUser.ID, "invalid_users"},
		{people[0] + "," + slacktest.SlackbotID, "invalid_users"},
		{people[0] + "," + deactivated.ID, "failed_for_some_users"},
		{tooMany(5001), "subteam_max_users_exceeded"},
	} {
		requireError(t, call(t, srv, "usergroups.users.update", form("token", admin, "usergroup", g.ID, "users", tt.users)), tt.code)
	}
	requireOK(t, call(t, srv, "usergroups.users.update", form("token", admin, "usergroup", g.ID, "users", strings.Join(people[:1], ","))))
	require.Equal(t, people[:1], o.UserGroups(team)[1].Users)
	requireError(t, call(t, srv, "usergroups.users.update", form("token", admin, "usergroup", "S0NOPE", "users", people[0])), "no_such_subteam")
	requireError(t, call(t, srv, "usergroups.users.update", form("token", admin, "users", people[0])), "missing_argument")

	// Only admins and owners by default: members and bots are refused.
	requireError(t, call(t, srv, "usergroups.users.update", form("token", member, "usergroup", g.ID, "users", people[0])), "permission_denied")
	requireError(t, call(t, srv, "usergroups.users.update", form("token", bot, "usergroup", g.ID, "users", people[0])), "permission_denied")
	// A disabled group can be updated and stays disabled.
	groups := o.UserGroups(team)
	disabled := groups[len(groups)-1]
	requireOK(t, call(t, srv, "usergroups.users.update", form("token", admin, "usergroup", disabled.ID, "users", people[1])))
	require.True(t, o.UserGroups(team)[len(groups)-1].Disabled())
	require.Equal(t, 15, srv.Calls("usergroups.users.update"), "every call counts, refused ones too")
}

// tooMany is a list of n distinct made-up user IDs.
func tooMany(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "U0ZZ" + strings.Repeat("0", 7-len(itoa(i))) + itoa(i)
	}
	return strings.Join(ids, ",")
}

func TestUserGroupsPermissionSetting(t *testing.T) {
	srv, _, member, bot := newGroupsServer(t, slacktest.Config{Seed: 5, Users: 400, MembersManageUserGroups: true})
	o := srv.Org()
	team := o.Teams[0].ID
	g := o.UserGroups(team)[2]
	someone := find(t, o, isMember(team)).ID
	requireOK(t, call(t, srv, "usergroups.users.update", form("token", member, "usergroup", g.ID, "users", someone)))
	requireOK(t, call(t, srv, "usergroups.users.update", form("token", bot, "usergroup", g.ID, "users", someone)))
	guest := find(t, o, func(u *slacktest.User) bool { return u.IsRestricted && !u.Deleted && !u.IsInvitedUser })
	guestTok := addToken(srv, o.UserToken(guest.ID, "usergroups:write"))
	requireError(t, call(t, srv, "usergroups.users.update", form("token", guestTok, "usergroup", g.ID, "users", someone)), "permission_denied")
}

func TestUserGroupsPlansTokensAndGrid(t *testing.T) {
	for _, plan := range []string{slacktest.PlanFree, slacktest.PlanPro} {
		o := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 40, Plan: plan})
		srv := slacktest.NewServer(o)
		tok := addToken(srv, o.UserToken(o.AdminToken().UserID, "usergroups:read", "usergroups:write"))
		for _, m := range []string{"usergroups.list", "usergroups.users.list", "usergroups.users.update"} {
			r := call(t, srv, m, form("token", tok, "usergroup", "S0NOPE", "users", "U0NOPE"))
			if plan == slacktest.PlanFree {
				requireError(t, r, "plan_upgrade_required")
			} else {
				require.NotEqual(t, "plan_upgrade_required", decode[slackError](t, r).Error)
			}
		}
		srv.Close()
	}
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 40})
	e := requireError(t, call(t, srv, "usergroups.users.update", form("token", tok, "usergroup", "S1", "users", "U1")), "missing_scope")
	require.Equal(t, "usergroups:write", e.Needed)
	requireOK(t, call(t, srv, "usergroups.list", form("token", tok)))

	// Grid: an org token names the workspace; accounts of another workspace
	// are failed_for_some_users.
	grid, org := newWriteGrid(t, 300, 3)
	o := grid.Org()
	requireError(t, call(t, grid, "usergroups.list", form("token", org.Value)), "missing_argument")
	t1, t2 := o.Teams[1].ID, o.Teams[2].ID
	p := decode[userGroupsPage](t, call(t, grid, "usergroups.list", form("token", org.Value, "team_id", t1)))
	require.NotEmpty(t, p.Usergroups)
	for _, g := range p.Usergroups {
		require.Equal(t, t1, g.TeamID)
	}
	outsider := find(t, o, func(u *slacktest.User) bool { return isMember(t2)(u) && !u.InTeam(t1) })
	requireError(t, call(t, grid, "usergroups.users.update", form("token", org.Value, "team_id", t1,
		"usergroup", p.Usergroups[1].ID, "users", outsider.ID)), "failed_for_some_users")
	requireError(t, call(t, grid, "usergroups.users.list", form("token", org.Value, "team_id", t2,
		"usergroup", p.Usergroups[1].ID)), "no_such_subteam")
}

func TestUserGroupsJSONBody(t *testing.T) {
	srv, admin, _, _ := newGroupsServer(t, slacktest.Config{Seed: 5, Users: 100})
	o := srv.Org()
	g := o.UserGroups(o.Teams[0].ID)[1]
	someone := find(t, o, isMember(o.Teams[0].ID)).ID
	r := callJSON(t, srv, "usergroups.users.update", admin, map[string]any{"usergroup": g.ID, "users": someone})
	var up groupUpdateJS
	require.NoError(t, json.Unmarshal(r.Body, &up))
	require.True(t, up.OK, "%s", r.Body)
	require.Equal(t, []string{someone}, up.Usergroup.Users)
}
