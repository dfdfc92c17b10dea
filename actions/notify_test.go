package actions_test

import (
	"context"
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
