package slacktest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// writeScopes are every scope the write methods and the reads that check
// them need.
var writeScopes = []string{"admin", "admin.users:read", "admin.users:write", "users:read", "users:read.email",
	"usergroups:read", "usergroups:write", "chat:write", "team:read", "team.billing:read"}

// newWriteGrid serves an Enterprise Grid org with rate limits off and
// returns an org token with writeScopes.
func newWriteGrid(t testing.TB, users, workspaces int, opts ...slacktest.Option) (*slacktest.Server, slacktest.Token) {
	t.Helper()
	o := slacktest.NewOrg(slacktest.Config{Seed: 21, Users: users, Plan: slacktest.PlanEnterprise, Workspaces: workspaces})
	tok := o.OrgToken(writeScopes...)
	srv := slacktest.NewServer(o, append([]slacktest.Option{slacktest.WithToken(tok), slacktest.WithRateLimits(false)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, tok
}

// addToken registers a token and returns its value.
func addToken(srv *slacktest.Server, tok slacktest.Token) string {
	srv.AddToken(tok)
	return tok.Value
}

// requireOK asserts an HTTP 200 {"ok":true,…}.
func requireOK(t testing.TB, r response) {
	t.Helper()
	e := decode[slackError](t, r)
	require.True(t, e.OK, "body: %s", r.Body)
}

// find returns the first current account satisfying pred.
func find(t testing.TB, o *slacktest.Org, pred func(*slacktest.User) bool) *slacktest.User {
	t.Helper()
	for _, u := range o.CurrentUsers() {
		if pred(u) {
			return u
		}
	}
	t.Fatal("no account matches")
	return nil
}

// isMember is an active full member (no admin, owner or guest) of teamID.
func isMember(teamID string) func(*slacktest.User) bool {
	return func(u *slacktest.User) bool {
		return u.IsHuman() && !u.Deleted && !u.IsInvitedUser && !u.IsAdmin && !u.IsOwner && !u.IsRestricted &&
			(teamID == "" || u.InTeam(teamID))
	}
}

// members returns users.list of a workspace by ID.
func members(t testing.TB, srv *slacktest.Server, tok, teamID string) map[string]member {
	t.Helper()
	all, _ := listAll(t, srv, tok, 1000, "team_id", teamID)
	m := make(map[string]member, len(all))
	for _, u := range all {
		m[u.ID] = u
	}
	return m
}
