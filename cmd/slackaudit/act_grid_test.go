package main

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// gridActOrg serves a three-workspace Grid org and returns an org-level
// token with the read and write admin scopes.
func gridActOrg(t *testing.T, users int) (*slacktest.Server, string) {
	t.Helper()
	srv, _ := orgServer(t, slacktest.Config{Seed: 31, Users: users, Workspaces: 3, Plan: slacktest.PlanEnterprise})
	tok := srv.Org().OrgToken("admin", "admin.teams:read", "admin.users:read", "admin.users:write", "admin.analytics:read",
		"users:read", "users:read.email", "team:read", "team.billing:read")
	srv.AddToken(tok)
	return srv, tok.Value
}

// gridPeople returns n full members of workspace team that keep accepts.
func gridPeople(o *slacktest.Org, n int, keep func(*slacktest.User) bool) []*slacktest.User {
	var out []*slacktest.User
	for _, u := range o.CurrentUsers() {
		if u.IsHuman() && !u.Deleted && !u.IsInvitedUser && !u.IsAdmin && !u.IsOwner && !u.IsRestricted && keep(u) {
			out = append(out, u)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

func TestActWorkspaceMembershipOnGrid(t *testing.T) {
	t.Parallel()
	srv, tok := gridActOrg(t, 300)
	o := srv.Org()
	t2, t3 := o.Teams[1].ID, o.Teams[2].ID
	leaving := gridPeople(o, 2, func(u *slacktest.User) bool { return u.InTeam(t2) })
	joining := gridPeople(o, 2, func(u *slacktest.User) bool { return !u.InTeam(t3) })
	require.Len(t, leaving, 2)
	require.Len(t, joining, 2)
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok, "SLACKAUDIT_PERMISSION": "act"})

	r := c.act(srv, "act", "workspace", "remove", "--db", db, "--team", t2, "--users", ids(leaving), "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Enterprise Grid")
	assert.Contains(t, r.stdout, "removed from "+t2)
	r = c.act(srv, "act", "workspace", "add", "--db", db, "--team", t3, "--users", ids(joining), "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	channel := o.Channels(t3)[0].ID
	r = c.act(srv, "act", "workspace", "invite", "--db", db, "--team", t3, "--email", "new.hire@acme.example.com", "--channels", channel, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "invited to "+t3)

	// The Grid sync shows the new memberships.
	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL(), "--since", "7d").code)
	for _, u := range leaving {
		assert.Equal(t, 0, queryInt(t, db, "SELECT count(*) FROM users WHERE team_id = ? AND user_id = ?", t2, u.ID), u.ID)
	}
	for _, u := range joining {
		assert.Equal(t, 1, queryInt(t, db, "SELECT count(*) FROM users WHERE team_id = ? AND user_id = ?", t3, u.ID), u.ID)
	}
	assert.Equal(t, 1, queryInt(t, db, "SELECT count(*) FROM users WHERE team_id = ? AND email = 'new.hire@acme.example.com' AND is_invited_user", t3))

	// Everything again: all already done, nothing sent.
	srv.ResetCalls()
	r = c.act(srv, "act", "workspace", "remove", "--db", db, "--team", t2, "--users", ids(leaving), "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "already done: not a member of "+t2)
	r = c.act(srv, "act", "workspace", "add", "--db", db, "--team", t3, "--users", ids(joining), "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "already done: already a member of "+t3)
	r = c.act(srv, "act", "workspace", "invite", "--db", db, "--team", t3, "--email", "NEW.HIRE@acme.example.com", "--channels", channel, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "already done")
	assert.Equal(t, 0, srv.Calls("admin.users.remove")+srv.Calls("admin.users.assign")+srv.Calls("admin.users.invite"))

	// An unknown workspace is listed, and nothing is done.
	r = c.act(srv, "act", "workspace", "remove", "--db", db, "--team", "T00NOPE", "--users", ids(joining), "--yes")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "unknown workspace T00NOPE: the organisation's workspaces are "+o.Teams[0].ID)
	assert.Equal(t, 0, srv.Calls("admin.users.remove"))
}

func TestActHalfFailedBatchIsLoggedPerTarget(t *testing.T) {
	t.Parallel()
	srv, tok := gridActOrg(t, 300)
	o := srv.Org()
	t2 := o.Teams[1].ID
	ps := gridPeople(o, 4, func(u *slacktest.User) bool { return u.InTeam(t2) })
	require.Len(t, ps, 4)
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok, "SLACKAUDIT_PERMISSION": "act"})

	// The second removal fails: the run stops there.
	srv.Inject(slacktest.Fault{Method: "admin.users.remove", After: 1, Error: "failed_to_remove_user_from_workspace"})
	r := c.act(srv, "act", "workspace", "remove", "--db", db, "--team", t2, "--users", ids(ps), "--yes")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "1 of 2 changes failed")
	assert.Contains(t, r.stdout, "not attempted: step 2 failed (pass --continue-on-error")
	assert.Equal(t, 2, srv.Calls("admin.users.remove"))
	assert.Equal(t, "1:succeeded:,2:failed:failed_to_remove_user_from_workspace,3:skipped:,4:skipped:",
		queryString(t, db, "SELECT string_agg(step || ':' || result || ':' || coalesce(slack_error, ''), ',' ORDER BY step) FROM actions_log WHERE batch_id = 1"))
	assert.False(t, o.User(ps[0].ID).InTeam(t2))
	for _, u := range ps[1:] {
		assert.True(t, o.User(u.ID).InTeam(t2), u.ID)
	}

	// Again with --continue-on-error, and the (now) first removal fails:
	// the first target is already done, the rest go ahead.
	srv.Inject(slacktest.Fault{Method: "admin.users.remove", Error: "failed_to_remove_user_from_workspace"})
	r = c.act(srv, "act", "workspace", "remove", "--db", db, "--team", t2, "--users", ids(ps), "--yes", "--continue-on-error")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stdout, "Done: 2 succeeded, 1 failed, 1 skipped.")
	assert.Equal(t, "1:skipped:,2:failed:failed_to_remove_user_from_workspace,3:succeeded:,4:succeeded:",
		queryString(t, db, "SELECT string_agg(step || ':' || result || ':' || coalesce(slack_error, ''), ',' ORDER BY step) FROM actions_log WHERE batch_id = 2"))
	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL(), "--since", "7d").code)
	assert.Equal(t, ps[1].ID, queryString(t, db, "SELECT string_agg(user_id, ',') FROM users WHERE team_id = ? AND user_id IN (?, ?, ?, ?)", t2, ps[0].ID, ps[1].ID, ps[2].ID, ps[3].ID),
		"exactly the failed target is still a member")
}

func TestActGridOrgTokenDeactivatesAndChangesGroups(t *testing.T) {
	t.Parallel()
	srv, _ := orgServer(t, slacktest.Config{Seed: 32, Users: 200, Workspaces: 2, Plan: slacktest.PlanEnterprise})
	o := srv.Org()
	tok := o.OrgToken("admin", "admin.teams:read", "admin.users:read", "admin.users:write", "admin.analytics:read",
		"users:read", "users:read.email", "team:read", "team.billing:read", "usergroups:read", "usergroups:write")
	srv.AddToken(tok)
	t2 := o.Teams[1].ID
	ps := gridPeople(o, 2, func(u *slacktest.User) bool { return u.InTeam(t2) })
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok.Value, "SLACKAUDIT_PERMISSION": "act"})

	// Deactivation through SCIM with the org token, seen by the org sync.
	r := c.act(srv, "act", "deactivate", "--db", db, "--users", ids(ps), "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "("+o.EnterpriseID+"), Enterprise Grid")
	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL(), "--since", "7d").code)
	for _, u := range ps {
		assert.Equal(t, 0, queryInt(t, db, "SELECT count(*) FROM org_users WHERE user_id = ? AND is_active", u.ID), u.ID)
	}

	// User groups: an org token must say which workspace.
	r = c.act(srv, "act", "usergroup", "add", "--db", db, "--group", "admins", "--users", ids(ps))
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "needs --team")
	var g slacktest.UserGroup
	for _, x := range o.UserGroups(t2) {
		if !x.Disabled() && x.Handle != "admins" {
			g = x
			break
		}
	}
	joiner := gridPeople(o, 1, func(u *slacktest.User) bool { return u.InTeam(t2) && !slices.Contains(g.Users, u.ID) })[0]
	outsider := gridPeople(o, 1, func(u *slacktest.User) bool { return !u.InTeam(t2) })[0]
	r = c.act(srv, "act", "usergroup", "add", "--db", db, "--team", t2, "--group", g.Handle, "--users", joiner.ID+","+outsider.ID+","+ps[0].ID, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "not a member of "+t2)
	assert.Contains(t, r.stdout, "account is deactivated")
	assert.Contains(t, groupUsersOf(o, t2, g.ID), joiner.ID)
	assert.NotContains(t, groupUsersOf(o, t2, g.ID), outsider.ID)
}

func groupUsersOf(o *slacktest.Org, team, id string) []string {
	for _, g := range o.UserGroups(team) {
		if g.ID == id {
			return g.Users
		}
	}
	return nil
}
