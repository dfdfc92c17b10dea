package actions_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/actions"
	"slackaudit/extract/slacktest"
)

func TestOnePersonInTwoWorkspacesIsTwoSteps(t *testing.T) {
	srv, tok := gridOrg(t)
	o := srv.Org()
	t1, t2 := o.Teams[0].ID, o.Teams[1].ID
	u := gridPerson(t, o, true)
	s := connect(t, srv, tok, actions.Options{Permission: actions.PermissionAct, Max: 2})
	// As --from-sql "SELECT user_id, team_id FROM users …" returns them:
	// one row per workspace, one repeated, one naming no one.
	req := actions.Request{Action: actions.WorkspaceRemove, Targets: []actions.Target{
		{UserID: u.ID, TeamID: t1}, {UserID: u.ID, TeamID: t2}, {UserID: u.ID, TeamID: t1}, {TeamID: t2}, {Email: u.Email, TeamID: t2}}}
	p := s.Plan(context.Background(), req)
	require.NoError(t, p.Refusal)
	assert.Equal(t, 2, p.Changes(), "--max counts changes, not rows")
	var rec recorder
	require.NoError(t, s.Execute(context.Background(), p, rec.record))
	assert.Equal(t, []string{"workspace_remove:" + u.ID + ":succeeded", "workspace_remove:" + u.ID + ":succeeded",
		"workspace_remove:" + u.ID + ":skipped", "workspace_remove::skipped", "workspace_remove:" + u.ID + ":skipped"}, rec.states())
	assert.Equal(t, []string{t1, t2, t1, t2, t2}, []string{rec.steps[0].Workspace, rec.steps[1].Workspace,
		rec.steps[2].Workspace, rec.steps[3].Workspace, rec.steps[4].Workspace})
	assert.Equal(t, "duplicate of step 1", rec.steps[2].Detail)
	assert.Equal(t, "no user_id or email", rec.steps[3].Detail)
	assert.Equal(t, "duplicate of step 2: the same account", rec.steps[4].Detail)
	assert.False(t, o.User(u.ID).InTeam(t1))
	assert.False(t, o.User(u.ID).InTeam(t2))

	// Again: both already done.
	p = s.Plan(context.Background(), req)
	assert.Equal(t, 0, p.Changes())
	assert.Equal(t, "already done: not a member of "+t2, p.Steps[1].Detail)
}

func TestMaxCountsEachWorkspace(t *testing.T) {
	srv, tok := gridOrg(t)
	o := srv.Org()
	u := gridPerson(t, o, true)
	s := connect(t, srv, tok, actions.Options{Permission: actions.PermissionAct, Max: 1})
	p := s.Plan(context.Background(), actions.Request{Action: actions.WorkspaceRemove, Targets: []actions.Target{
		{UserID: u.ID, TeamID: o.Teams[0].ID}, {UserID: u.ID, TeamID: o.Teams[1].ID}}})
	require.Error(t, p.Refusal)
	assert.Contains(t, p.Refusal.Error(), "2 changes, more than --max 1")
	require.Error(t, s.Execute(context.Background(), p, (&recorder{}).record))
	assert.Equal(t, 0, srv.Calls("admin.users.remove"))
}

func TestPrimaryOwnerGuardHoldsInEveryWorkspace(t *testing.T) {
	srv, tok := gridOrg(t)
	o := srv.Org()
	var owner *slacktest.User
	for _, u := range o.CurrentUsers() {
		if u.IsPrimaryOwner {
			owner = u
		}
	}
	require.NotNil(t, owner)
	s := connect(t, srv, tok, actions.Options{Permission: actions.PermissionAct})
	var rows []actions.Target
	for _, team := range o.Teams {
		rows = append(rows, actions.Target{UserID: owner.ID, TeamID: team.ID})
	}
	p := s.Plan(context.Background(), actions.Request{Action: actions.WorkspaceRemove, Targets: rows})
	require.NoError(t, p.Refusal)
	assert.Equal(t, 0, p.Changes())
	for _, st := range p.Steps {
		assert.Contains(t, st.Detail, "guard: the primary owner")
	}
}

func TestReactivateRefusesAMessageFirst(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 8, Users: 60})
	o := srv.Org()
	u := people(o, 1, nil)[0]
	s := connect(t, srv, writeToken(srv, "chat:write"), actions.Options{Permission: actions.PermissionAct})
	require.NoError(t, s.Execute(context.Background(), s.Plan(context.Background(),
		actions.Request{Action: actions.Deactivate, Targets: targets(u)}), (&recorder{}).record))
	msg, err := actions.ParseMessage("Welcome back {{.Name}}")
	require.NoError(t, err)
	p := s.Plan(context.Background(), actions.Request{Action: actions.Reactivate, Message: msg, Targets: targets(u)})
	require.ErrorIs(t, p.Refusal, actions.ErrNotifyDeactivated)
	var rec recorder
	require.ErrorIs(t, s.Execute(context.Background(), p, rec.record), actions.ErrNotifyDeactivated)
	assert.Equal(t, []string{"reactivate:" + u.ID + ":skipped"}, rec.states())
	assert.Equal(t, "refused: a message cannot reach a deactivated account", rec.steps[0].Detail)
	assert.Equal(t, 0, srv.Calls("chat.postMessage"))
	assert.True(t, o.User(u.ID).Deleted)
}
