package extract_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slacktest"
)

func TestUserGroupsWithMembers(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 9, Users: 300})
	team := f.org.Teams[0].ID
	tb, err := extractAll(t, extract.UserGroups{Client: f.client, TeamID: team})
	require.NoError(t, err)
	want := f.org.UserGroups(team)
	require.Len(t, want, tb.rows)
	disabled := 0
	for _, g := range want {
		i := tb.index("group_id", g.ID)
		require.GreaterOrEqual(t, i, 0, g.Handle)
		require.Equal(t, g.Handle, tb.cols["handle"][i])
		require.Equal(t, int64(len(g.Users)), tb.cols["user_count"][i], "user_count came as a string")
		require.Equal(t, g.Disabled(), tb.cols["is_disabled"][i])
		if g.Disabled() {
			disabled++
		}
	}
	require.Positive(t, disabled, "disabled groups are listed too")
	require.Equal(t, 1, f.srv.Calls("usergroups.list"))
}

func TestUserGroupsCountAsNumberOrGarbage(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 9, Users: 50})
	team := f.org.Teams[0].ID
	f.srv.Inject(slacktest.Fault{Method: "usergroups.list", Body: `{"ok":true,"usergroups":[{"id":"S1","team_id":"` + team +
		`","handle":"ops","user_count":2,"users":["U1","U2"],"date_create":1700000000,"date_delete":0}]}`})
	tb, err := extractAll(t, extract.UserGroups{Client: f.client, TeamID: team})
	require.NoError(t, err)
	require.Equal(t, []any{int64(2)}, tb.cols["user_count"])
	require.Equal(t, []any{`["U1","U2"]`}, tb.cols["members"])

	f.srv.Inject(slacktest.Fault{Method: "usergroups.list", Body: `{"ok":true,"usergroups":[{"id":"S1","user_count":"two"}]}`})
	_, err = extractAll(t, extract.UserGroups{Client: f.client, TeamID: team})
	require.ErrorContains(t, err, `usergroups.list (team `+team+`): malformed response: usergroups[0] (id S1).user_count: got string "two", want a number`)
}
