package actions_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/actions"
	"slackaudit/extract/slacktest"
)

func TestMessageValuesCannotAddMentionsOrLinks(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{Seed: 7, Users: 80})
	var victim *slacktest.User
	for _, u := range o.Users {
		if u.IsHuman() && !u.Deleted && !u.IsInvitedUser && !u.IsAdmin && !u.IsOwner && !u.IsRestricted && u.InTeam(o.Teams[0].ID) {
			u.RealName = "<!channel> <https://evil.example/login|Keep your seat>"
			victim = u
			break
		}
	}
	require.NotNil(t, victim)
	srv := slacktest.NewServer(o, slacktest.WithRateLimits(false))
	t.Cleanup(srv.Close)
	s := connect(t, srv, writeToken(srv, "chat:write"), actions.Options{Permission: actions.PermissionAct})
	// The template's own markup (<!here>) is the author's and is kept.
	msg, err := actions.ParseMessage("<!here> {{.Mention}} {{.Name}} ({{.Fields.dept}}) since {{.LastUsed}}")
	require.NoError(t, err)
	ch := o.Channels(o.Teams[0].ID)[0].ID
	target := actions.Target{UserID: victim.ID, LastUsed: "<!everyone>",
		Fields: map[string]string{"dept": "R&D <@" + victim.ID + ">"}}
	p := s.Plan(context.Background(), actions.Request{Action: actions.Notify, Channel: ch, Message: msg, Targets: []actions.Target{target}})
	require.NoError(t, p.Refusal)
	require.NoError(t, s.Execute(context.Background(), p, (&recorder{}).record))
	msgs := srv.Org().Messages()
	require.Len(t, msgs, 1)
	assert.Equal(t, "<!here> <@"+victim.ID+"> &lt;!channel&gt; &lt;https://evil.example/login|Keep your seat&gt; "+
		"(R&amp;D &lt;@"+victim.ID+"&gt;) since &lt;!everyone&gt;", msgs[0].Text)
	assert.Equal(t, "R&D <@"+victim.ID+">", target.Fields["dept"], "the caller's row is not changed")
}

func TestNotifyFirstThatCannotBeLoggedStopsTheRun(t *testing.T) {
	for _, action := range []actions.Action{actions.Deactivate, actions.UsergroupAdd} {
		t.Run(string(action), func(t *testing.T) {
			srv := org(t, slacktest.Config{Seed: 6, Users: 120})
			o := srv.Org()
			var g slacktest.UserGroup
			for _, x := range o.UserGroups(o.Teams[0].ID) {
				if x.Handle != "admins" && !x.Disabled() {
					g = x
					break
				}
			}
			ps := people(o, 3, func(u *slacktest.User) bool { return !slices.Contains(g.Users, u.ID) })
			require.Len(t, ps, 3)
			s := connect(t, srv, writeToken(srv, "chat:write", "usergroups:write"), actions.Options{Permission: actions.PermissionAct, ContinueOnError: true})
			msg, err := actions.ParseMessage("Bye {{.Name}}")
			require.NoError(t, err)
			p := s.Plan(context.Background(), actions.Request{Action: action, Group: g.ID, Message: msg, Targets: targets(ps...)})
			require.NoError(t, p.Refusal)
			var logged []string
			err = s.Execute(context.Background(), p, func(_ context.Context, st *actions.Step) error {
				if st.Action == actions.Notify {
					return errors.New("disk full")
				}
				logged = append(logged, string(st.State))
				return nil
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "step 1 (notify "+ps[0].ID+") succeeded, but logging it failed, so the run stopped: disk full")
			assert.Len(t, o.Messages(), 1, "the run stops at the first notification it cannot log")
			assert.Empty(t, logged)
			assert.False(t, o.User(ps[0].ID).Deleted, "nobody is changed")
			assert.Equal(t, 0, srv.Calls("usergroups.users.update"))
		})
	}
}
