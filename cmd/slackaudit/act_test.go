package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// actScopes are what a workspace admin's token needs for every act and
// notify command, besides the read scopes of a sync.
var actScopes = []string{"usergroups:write", "chat:write"}

// actOrg serves a workspace org and returns the primary owner's token with
// the read and write scopes.
func actOrg(t *testing.T, cfg slacktest.Config, opts ...slacktest.Option) (*slacktest.Server, string) {
	t.Helper()
	srv, _ := orgServer(t, cfg, opts...)
	o := srv.Org()
	tok := o.UserToken(o.AdminToken().UserID, append(slacktest.AdminScopes(), actScopes...)...)
	srv.AddToken(tok)
	return srv, tok.Value
}

// act runs slackaudit against srv with a fast client clock: Retry-After
// waits are scaled down as the synthetic org's are.
func (c *cli) act(srv *slacktest.Server, args ...string) result {
	c.t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return c.env[k] },
		now: func() time.Time { return testNow }, notifyEvery: c.notifyEvery,
		tune: func(cfg *slackapi.Config) { cfg.NoRateLimit = true; cfg.TimeScale = 0.001; cfg.Logger = quiet() }}
	args = append(args, "--api-url", srv.URL())
	if args[0] == "act" {
		args = append(args, "--scim-url", srv.SCIMURL())
	}
	code := run(context.Background(), args, e)
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	for _, s := range c.secrets {
		require.NotContains(c.t, r.stdout, s, "a token reached stdout")
		require.NotContains(c.t, r.stderr, s, "a token reached stderr")
	}
	return r
}

// actPeople returns n active full members of the first workspace (no
// owners, admins, guests, bots or invitations), in ID order, after skip.
func actPeople(o *slacktest.Org, skip, n int) []*slacktest.User {
	var out []*slacktest.User
	for _, u := range o.CurrentUsers() {
		if u.IsHuman() && !u.Deleted && !u.IsInvitedUser && !u.IsAdmin && !u.IsOwner && !u.IsRestricted && u.InTeam(o.Teams[0].ID) {
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, u)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

func ids(us []*slacktest.User) string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return strings.Join(out, ",")
}

func TestActDeactivateDryRunReadModeThenForReal(t *testing.T) {
	t.Parallel()
	srv, tok := actOrg(t, slacktest.Config{Seed: 41, Users: 150})
	o := srv.Org()
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL()).code)
	targets := actPeople(o, 0, 3)
	sql := fmt.Sprintf("SELECT user_id, email, real_name, seat_type, last_used_at, days_since_last_use FROM licenses JOIN users USING (user_id) WHERE user_id IN ('%s') ORDER BY user_id",
		strings.ReplaceAll(ids(targets), ",", "','"))

	// A dry run shows the plan and changes nothing.
	r := c.act(srv, "act", "deactivate", "--db", db, "--from-sql", sql)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Plan: deactivate account — 3 targets, 3 to change")
	assert.Contains(t, r.stdout, "Slack Business+")
	assert.Contains(t, r.stdout, targets[0].Email)
	assert.Contains(t, r.stdout, "member seat")
	assert.Contains(t, r.stdout, "Dry run: nothing was changed. To carry out 3 changes, run again with --yes.")
	assert.Contains(t, r.stdout, "permission is read")
	assert.Equal(t, 0, srv.Calls(slacktest.SCIMPatchUser))
	assert.Equal(t, 3, queryInt(t, db, "SELECT count(*) FROM actions_log WHERE dry_run AND result = 'planned' AND action = 'deactivate'"))

	// --yes on a read connection is refused, and logged.
	r = c.act(srv, "act", "deactivate", "--db", db, "--from-sql", sql, "--yes")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "read-only (permission read)")
	assert.Contains(t, r.stderr, "--permission act")
	assert.Equal(t, 0, srv.Calls(slacktest.SCIMPatchUser))
	assert.Equal(t, 3, queryInt(t, db, "SELECT count(*) FROM actions_log WHERE NOT dry_run AND result = 'skipped' AND detail LIKE 'refused: read-only%'"))

	// With permission act, from the environment.
	c.env["SLACKAUDIT_PERMISSION"] = "act"
	r = c.act(srv, "act", "deactivate", "--db", db, "--from-sql", sql, "--yes", "--reason", "SEC-42 seat review")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Done: 3 succeeded, 0 failed, 0 skipped.")
	assert.Equal(t, 3, srv.Calls(slacktest.SCIMPatchUser))
	for _, u := range targets {
		assert.True(t, o.User(u.ID).Deleted, u.ID)
	}
	assert.Equal(t, 3, queryInt(t, db, "SELECT count(*) FROM actions_log WHERE NOT dry_run AND result = 'succeeded' AND reason LIKE 'SEC-42 seat review; unused for%' AND actor_user_id = ?", o.AdminToken().UserID))

	// A later sync shows them deactivated.
	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL()).code)
	assert.Equal(t, 3, queryInt(t, db, "SELECT count(*) FROM users WHERE deleted AND user_id IN (SELECT user_id FROM ("+sql+"))"))
	assert.Equal(t, 3, queryInt(t, db, "SELECT count(*) FROM licenses WHERE seat_type = 'deactivated' AND user_id IN (SELECT user_id FROM ("+sql+"))"))

	// Running it again is a no-op.
	r = c.act(srv, "act", "deactivate", "--db", db, "--users", ids(targets), "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "already done: already deactivated")
	assert.Contains(t, r.stdout, "Nothing to change")
	assert.Equal(t, 3, srv.Calls(slacktest.SCIMPatchUser))

	// And back.
	r = c.act(srv, "act", "reactivate", "--db", db, "--users", ids(targets), "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	for _, u := range targets {
		assert.False(t, o.User(u.ID).Deleted, u.ID)
	}
	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL()).code)
	assert.Equal(t, 0, queryInt(t, db, "SELECT count(*) FROM users WHERE deleted AND user_id IN (SELECT user_id FROM ("+sql+"))"))

	r = c.run("query", "--db", db, "--named", "recent_actions", "--format", "csv")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 1+4*3, strings.Count(r.stdout, "\n"), "header, refused, deactivated, skipped, reactivated — dry runs left out:\n"+r.stdout)
}

// groupMembers reads a user group's members with usergroups.users.list, as
// a client would.
func groupMembers(t *testing.T, srv *slacktest.Server, tok, group string) []string {
	t.Helper()
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: tok, NoRateLimit: true, Logger: quiet()})
	require.NoError(t, err)
	var r struct {
		slackapi.Envelope
		Users []string `json:"users"`
	}
	require.NoError(t, c.Call(context.Background(), "usergroups.users.list", "", map[string][]string{"usergroup": {group}}, &r))
	return r.Users
}

func TestActUsergroupAddRemoveIdempotent(t *testing.T) {
	t.Parallel()
	srv, tok := actOrg(t, slacktest.Config{Seed: 42, Users: 150})
	o := srv.Org()
	team := o.Teams[0].ID
	var g slacktest.UserGroup
	for _, x := range o.UserGroups(team) {
		if x.Handle != "admins" && !x.Disabled() && len(x.Users) >= 2 {
			g = x
			break
		}
	}
	require.NotEmpty(t, g.ID, "a team group with members")
	var outside []*slacktest.User
	for _, u := range actPeople(o, 0, 40) {
		if !slices.Contains(g.Users, u.ID) && len(outside) < 2 {
			outside = append(outside, u)
		}
	}
	require.Len(t, outside, 2)
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok, "SLACKAUDIT_PERMISSION": "act"})
	// One by ID, one by email.
	targets := outside[0].ID + "," + outside[1].Email

	r := c.act(srv, "act", "usergroup", "add", "--db", db, "--group", "@"+g.Handle, "--users", targets)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Plan: add to user group @"+g.Handle+" ("+g.ID+") — 2 targets, 2 to change")
	assert.Contains(t, r.stdout, fmt.Sprintf("User group: @%s (%s), %d members now", g.Handle, g.ID, len(g.Users)))
	assert.ElementsMatch(t, g.Users, groupMembers(t, srv, tok, g.ID), "a dry run changes nothing")

	r = c.act(srv, "act", "usergroup", "add", "--db", db, "--group", g.Handle, "--users", targets, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Done: 2 succeeded")
	assert.ElementsMatch(t, append(slices.Clone(g.Users), outside[0].ID, outside[1].ID), groupMembers(t, srv, tok, g.ID))
	assert.Equal(t, 1, srv.Calls("usergroups.users.update"))
	// A later sync shows the new members.
	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL(), "--skip", "access_logs").code)
	assert.Equal(t, len(g.Users)+2, queryInt(t, db, "SELECT count(*) FROM user_group_members WHERE group_id = ?", g.ID))
	assert.Equal(t, 2, queryInt(t, db, "SELECT count(*) FROM user_group_members WHERE group_id = ? AND user_id IN (?, ?)", g.ID, outside[0].ID, outside[1].ID))

	r = c.act(srv, "act", "usergroup", "add", "--db", db, "--group", g.ID, "--users", targets, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "already done: already in @"+g.Handle)
	assert.Equal(t, 1, srv.Calls("usergroups.users.update"), "a re-run writes nothing")

	// Remove them and the primary owner: the owner is guarded.
	owner := o.AdminToken().UserID
	r = c.act(srv, "act", "usergroup", "remove", "--db", db, "--group", g.Handle, "--users", targets+","+owner, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "guard: the primary owner is never removed or deactivated")
	assert.ElementsMatch(t, g.Users, groupMembers(t, srv, tok, g.ID))
	assert.Equal(t, 2, queryInt(t, db, "SELECT count(*) FROM actions_log WHERE action = 'usergroup_remove' AND result = 'succeeded' AND object = ?", "@"+g.Handle+" ("+g.ID+")"))
}

func TestActRateLimitMidBatchResumes(t *testing.T) {
	t.Parallel()
	srv, tok := actOrg(t, slacktest.Config{Seed: 43, Users: 120})
	o := srv.Org()
	ps := actPeople(o, 0, 4)
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMPatchUser, After: 2, Status: 429, RetryAfter: 2})
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok, "SLACKAUDIT_PERMISSION": "act"})
	db := tempDB(t)
	r := c.act(srv, "act", "deactivate", "--db", db, "--users", ids(ps), "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 5, srv.Calls(slacktest.SCIMPatchUser), "four targets, one 429, no target twice")
	assert.Equal(t, 4, queryInt(t, db, "SELECT count(DISTINCT target_user_id) FROM actions_log WHERE result = 'succeeded'"))
}

func TestActGuards(t *testing.T) {
	t.Parallel()
	srv, tok := actOrg(t, slacktest.Config{Seed: 44, Users: 150})
	o := srv.Org()
	owner := o.AdminToken().UserID
	var bot, admin string
	for _, u := range o.CurrentUsers() {
		if u.IsBot && bot == "" && u.InTeam(o.Teams[0].ID) {
			bot = u.ID
		}
		if u.IsAdmin && !u.IsOwner && !u.Deleted && admin == "" {
			admin = u.ID
		}
	}
	require.NotEmpty(t, bot)
	require.NotEmpty(t, admin)
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok, "SLACKAUDIT_PERMISSION": "act"})
	r := c.act(srv, "act", "deactivate", "--db", db, "--users", owner+","+bot+",USLACKBOT", "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "guard: the primary owner is never removed or deactivated")
	assert.Contains(t, r.stdout, "guard: bots, apps and Slackbot are never changed")
	assert.Equal(t, 2, strings.Count(r.stdout, "bots, apps and Slackbot"), "the bot and Slackbot")
	assert.Contains(t, r.stdout, "Nothing to change")
	assert.Equal(t, 0, srv.Calls(slacktest.SCIMPatchUser))

	// An admin's own token never deactivates the admin.
	adminTok := o.UserToken(admin, append(slacktest.AdminScopes(), actScopes...)...)
	srv.AddToken(adminTok)
	ac := newCLI(t, map[string]string{"SLACK_TOKEN": adminTok.Value, "SLACKAUDIT_PERMISSION": "act"})
	r = ac.act(srv, "act", "deactivate", "--db", db, "--users", admin, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "guard: the token's own user is never removed or deactivated")
	assert.False(t, o.User(admin).Deleted)

	// --max refuses a larger batch whole.
	ps := actPeople(o, 0, 4)
	r = c.act(srv, "act", "deactivate", "--db", db, "--users", ids(ps), "--max", "3", "--yes")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "the plan makes 4 changes, more than --max 3 allows: nothing was done")
	assert.Contains(t, r.stdout, "refused: 4 changes exceed --max 3")
	assert.Equal(t, 0, srv.Calls(slacktest.SCIMPatchUser))
	assert.Equal(t, 4, queryInt(t, db, "SELECT count(*) FROM actions_log WHERE detail = 'refused: 4 changes exceed --max 3'"))

	// Unknown targets are listed and nothing is done.
	r = c.act(srv, "act", "deactivate", "--db", db, "--users", ps[0].ID+",U0NOBODY,nobody@example.com", "--yes")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stdout, "Unknown (no such account): U0NOBODY, nobody@example.com")
	assert.Contains(t, r.stderr, "2 of the targets match no account (U0NOBODY, nobody@example.com): nothing was done")
	assert.Equal(t, 0, srv.Calls(slacktest.SCIMPatchUser))
	assert.False(t, o.User(ps[0].ID).Deleted)
}

func TestActPlanGates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		plan string
		args []string
		want string // "" means allowed: the dry run plans
	}{
		{"free notify", slacktest.PlanFree, []string{"notify", "--message", "hi"}, "sending notifications needs Pro, Business+ or Enterprise Grid: Acme (T"},
		{"free usergroup", slacktest.PlanFree, []string{"act", "usergroup", "add", "--group", "x"}, "changing user groups needs Pro, Business+ or Enterprise Grid"},
		{"free deactivate", slacktest.PlanFree, []string{"act", "deactivate"}, "is on Slack Free; the token needs the admin scope"},
		{"pro deactivate", slacktest.PlanPro, []string{"act", "deactivate"}, "deactivating accounts (Slack's SCIM API) needs Business+ or Enterprise Grid: Acme (T"},
		{"pro notify", slacktest.PlanPro, []string{"notify", "--message", "hi"}, ""},
		{"pro usergroup", slacktest.PlanPro, []string{"act", "usergroup", "add", "--group", "admins"}, ""},
		{"business+ workspace", slacktest.PlanBusiness, []string{"act", "workspace", "remove", "--team", "T1"}, "removing people from workspaces needs Enterprise Grid and an org-level token: Acme (T"},
		{"business+ deactivate", slacktest.PlanBusiness, []string{"act", "deactivate"}, ""},
		{"grid workspace token", slacktest.PlanEnterprise, []string{"act", "workspace", "add", "--team", "T1"}, "is on Enterprise Grid, but this is a workspace token"},
		{"grid deactivate", slacktest.PlanEnterprise, []string{"act", "deactivate"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, tok := actOrg(t, slacktest.Config{Seed: 45, Users: 60, Plan: tc.plan})
			u := actPeople(srv.Org(), 0, 1)[0]
			c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
			db := tempDB(t)
			r := c.act(srv, append(tc.args, "--db", db, "--users", u.ID)...)
			if tc.want == "" {
				require.Equal(t, exitOK, r.code, r.stderr)
				assert.Contains(t, r.stdout, "Dry run")
				return
			}
			assert.Equal(t, exitFailure, r.code)
			assert.Contains(t, r.stderr, tc.want)
			assert.Contains(t, r.stdout, "refused: plan gate")
			assert.Equal(t, 1, queryInt(t, db, "SELECT count(*) FROM actions_log WHERE detail = 'refused: plan gate'"))
		})
	}
	// The Grid org token may act on workspaces.
	srv, tok := gridActOrg(t, 60)
	u := gridPeople(srv.Org(), 1, func(u *slacktest.User) bool { return u.InTeam(srv.Org().Teams[1].ID) })[0]
	r := newCLI(t, map[string]string{"SLACK_TOKEN": tok}).act(srv, "act", "workspace", "remove", "--team", srv.Org().Teams[1].ID, "--users", u.ID, "--db", tempDB(t))
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Dry run")
}

func TestActUsageErrors(t *testing.T) {
	t.Parallel()
	c := newCLI(t, map[string]string{"SLACK_TOKEN": "xoxp-not-used-here-0000"})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"act"}, "wrong number of arguments"},
		{[]string{"act", "frobnicate", "--users", "U1"}, "say usergroup, workspace, deactivate or reactivate"},
		{[]string{"act", "usergroup", "add", "--users", "U1"}, "needs --group"},
		{[]string{"act", "deactivate"}, "say whom to act on"},
		{[]string{"act", "deactivate", "--users", "U1", "--from-sql", "SELECT 1"}, "give one of --users, --from-query or --from-sql"},
		{[]string{"act", "deactivate", "--users", "U1", "--permission", "write"}, "use read"},
		{[]string{"act", "deactivate", "--from-query", "no_such_query"}, "no named query"},
		{[]string{"act", "workspace", "invite", "--team", "T1", "--email", "a@b.c"}, "needs --channels"},
		{[]string{"act", "deactivate", "--users", "U1", "--notify-first", "{{.Name"}, "--notify-first"},
		{[]string{"act", "reactivate", "--users", "U1", "--notify-first", "Welcome back"}, "--notify-first cannot reach a deactivated account"},
		{[]string{"act", "deactivate", "--users", "U1", "--max", "0"}, "--max 0"},
		{[]string{"notify", "--users", "U1"}, "needs --message"},
		{[]string{"notify", "--message", "hi"}, "say whom to notify"},
	} {
		r := c.run(tc.args...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.want, tc.args)
	}
	for _, name := range []string{"act", "notify"} {
		r := c.run(name, "--help")
		assert.Equal(t, exitOK, r.code)
		assert.Contains(t, r.stdout, "Examples:")
	}
}

func TestActLogsWithoutASync(t *testing.T) {
	t.Parallel()
	srv, tok := actOrg(t, slacktest.Config{Seed: 46, Users: 60})
	db := tempDB(t)
	r := newCLI(t, map[string]string{"SLACK_TOKEN": tok}).act(srv, "act", "deactivate", "--db", db, "--users", ids(actPeople(srv.Org(), 0, 2)))
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 2, queryInt(t, db, "SELECT count(*) FROM actions_log WHERE dry_run AND result = 'planned'"))
	assert.Equal(t, 0, queryInt(t, db, "SELECT count(*) FROM sync_runs"))
	assert.Equal(t, 0, queryInt(t, db, "SELECT count(*) FROM actions_log WHERE source LIKE ?", "%"+tok+"%"))
}

func TestActFromNamedQuery(t *testing.T) {
	t.Parallel()
	srv, tok := actOrg(t, slacktest.Config{Seed: 47, Users: 200})
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL()).code)
	n := queryInt(t, db, "SELECT count(*) FROM licenses WHERE is_paid_seat_type AND (last_used_at IS NULL OR days_since_last_use >= 90)")
	require.Greater(t, n, 25, "enough inactive seats to trip --max")

	r := c.act(srv, "act", "deactivate", "--db", db, "--from-query", "inactive_paid_seats", "--param", "days=90")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "more than --max 25 allows")

	r = c.act(srv, "act", "deactivate", "--db", db, "--from-query", "inactive_paid_seats", "--param", "days=90", "--max", "1000")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, fmt.Sprintf("Plan: deactivate account — %d targets", n))
	assert.Contains(t, r.stdout, "Targets from: --from-query inactive_paid_seats (days=90)")
	assert.Regexp(t, `(never used|unused for \d+ days), (member|admin|owner|multi_channel_guest) seat`, r.stdout)
	assert.Equal(t, 0, srv.Calls(slacktest.SCIMPatchUser))

	// --from-sql runs read-only, and needs a user_id column.
	r = c.act(srv, "act", "deactivate", "--db", db, "--from-sql", "DELETE FROM users RETURNING user_id")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "read-only")
	assert.Positive(t, queryInt(t, db, "SELECT count(*) FROM users"))
	r = c.act(srv, "act", "deactivate", "--db", db, "--from-sql", "SELECT name FROM users")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "no user_id (or email) column")
	r = c.act(srv, "act", "deactivate", "--db", db, "--from-sql", "SELECT user_id FROM users WHERE false")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "Nothing to do")
}
