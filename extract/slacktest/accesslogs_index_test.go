package slacktest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// signInRows returns the rows of one workspace's first 1000-row page by
// user ID.
func signInRows(t *testing.T, srv *slacktest.Server, tok, teamID string) map[string][]loginJS {
	t.Helper()
	p := accessLogs(t, srv, "token", tok, "team_id", teamID, "count", "1000")
	require.Less(t, len(p.Logins), 1000, "the whole workspace fits one page")
	out := map[string][]loginJS{}
	for _, l := range p.Logins {
		out[l.UserID] = append(out[l.UserID], l)
	}
	return out
}

// TestAccessLogsFollowMembership checks that a workspace's sign-in rows
// follow its membership while the org is served: the index behind
// team.accessLogs is built on the first listing and must not keep serving
// the membership it was built from.
func TestAccessLogsFollowMembership(t *testing.T) {
	srv, org := newWriteGrid(t, 300, 3)
	o := srv.Org()
	t0, t1 := o.Teams[0].ID, o.Teams[1].ID
	u := find(t, o, func(u *slacktest.User) bool { return isMember(t0)(u) && !u.InTeam(t1) && !u.LastActive.IsZero() })
	home := signInRows(t, srv, org.Value, t0)[u.ID]
	require.NotEmpty(t, home, "%s has signed in", u.ID)
	before := signInRows(t, srv, org.Value, t1)
	require.NotContains(t, before, u.ID)

	requireOK(t, call(t, srv, "admin.users.assign", form("token", org.Value, "team_id", t1, "user_id", u.ID)))
	joined := signInRows(t, srv, org.Value, t1)
	require.Equal(t, home, joined[u.ID], "sign-in is org-wide: the same rows in the new workspace")
	require.Len(t, joined, len(before)+1)

	requireOK(t, call(t, srv, "admin.users.invite", form("token", org.Value, "team_id", t1, "email", "new.person@example.com",
		"channel_ids", o.Channels(t1)[0].ID)))
	require.Equal(t, joined, signInRows(t, srv, org.Value, t1), "a pending invitation has no sign-in rows")

	requireOK(t, call(t, srv, "admin.users.remove", form("token", org.Value, "team_id", t1, "user_id", u.ID)))
	require.Equal(t, before, signInRows(t, srv, org.Value, t1))
}

// TestAccessLogsTiesStayBelowAPage checks that the rows sharing one
// date_first do not grow with the org: a client restarting at Slack's
// 100-page cap with before = the oldest date_first it has read must get
// past them, so there must be fewer than one page of 1000 (one second
// once held a tenth of the accounts' rows: over 100,000 at a million),
// yet enough that pages and restarts meet ties.
func TestAccessLogsTiesStayBelowAPage(t *testing.T) {
	for _, users := range []int{3000, 40_000} {
		o := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: users})
		perSecond := map[int64]int{}
		for _, l := range o.AccessLogs(o.Teams[0].ID) {
			perSecond[l.DateFirst]++
		}
		largest := 0
		for _, n := range perSecond {
			largest = max(largest, n)
		}
		require.Less(t, largest, 1000, "%d accounts", users)
		require.Greater(t, largest, 100, "%d accounts: an SSO cut-over still makes many rows share a second", users)
	}
}
