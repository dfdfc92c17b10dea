package actions_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/actions"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// org serves a synthetic org without rate limits.
func org(t *testing.T, cfg slacktest.Config, opts ...slacktest.Option) *slacktest.Server {
	t.Helper()
	srv := slacktest.NewServer(slacktest.NewOrg(cfg), append([]slacktest.Option{slacktest.WithRateLimits(false)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// writeToken registers the primary owner's user token with the read scopes
// and extra.
func writeToken(srv *slacktest.Server, extra ...string) string {
	o := srv.Org()
	tok := o.UserToken(o.AdminToken().UserID, append(slacktest.AdminScopes(), extra...)...)
	srv.AddToken(tok)
	return tok.Value
}

func connect(t *testing.T, srv *slacktest.Server, tok string, o actions.Options) *actions.Session {
	t.Helper()
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: tok, NoRateLimit: true, TimeScale: 0.001,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	if o.SCIMURL == "" {
		o.SCIMURL = srv.SCIMURL()
	}
	s, err := actions.Connect(context.Background(), c, o)
	require.NoError(t, err)
	return s
}

// recorder collects what Execute reports.
type recorder struct {
	mu    sync.Mutex
	steps []actions.Step
}

func (r *recorder) record(_ context.Context, s *actions.Step) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps = append(r.steps, *s)
	return nil
}

func (r *recorder) states() []string {
	var out []string
	for _, s := range r.steps {
		out = append(out, string(s.Action)+":"+s.UserID+":"+string(s.State))
	}
	return out
}

// people returns n active people of the org's first workspace who are not
// owners or admins, in ID order.
func people(o *slacktest.Org, n int, keep func(*slacktest.User) bool) []*slacktest.User {
	var out []*slacktest.User
	for _, u := range o.CurrentUsers() {
		if u.IsHuman() && !u.Deleted && !u.IsInvitedUser && !u.IsAdmin && !u.IsOwner && !u.IsRestricted &&
			u.InTeam(o.Teams[0].ID) && (keep == nil || keep(u)) {
			out = append(out, u)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

func targets(us ...*slacktest.User) []actions.Target {
	var out []actions.Target
	for _, u := range us {
		out = append(out, actions.Target{UserID: u.ID, Reason: "test"})
	}
	return out
}

func TestUsergroupChangesAreWrittenWholeAndVerified(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 5, Users: 120})
	o := srv.Org()
	team := o.Teams[0].ID
	var g slacktest.UserGroup
	for _, x := range o.UserGroups(team) {
		if x.Handle != "admins" && !x.Disabled() && len(x.Users) > 2 {
			g = x
			break
		}
	}
	require.NotEmpty(t, g.ID)
	outside := people(o, 2, func(u *slacktest.User) bool { return !slices.Contains(g.Users, u.ID) })
	s := connect(t, srv, writeToken(srv, "usergroups:write"), actions.Options{Permission: actions.PermissionAct})

	req := actions.Request{Action: actions.UsergroupAdd, Group: "@" + g.Handle, Targets: targets(outside...)}
	p := s.Plan(context.Background(), req)
	require.NoError(t, p.Refusal)
	assert.Equal(t, 2, p.Changes())
	var rec recorder
	require.NoError(t, s.Execute(context.Background(), p, rec.record))
	assert.Equal(t, 1, srv.Calls("usergroups.users.update"), "one write for the whole batch")
	after := groupUsers(o, team, g.ID)
	assert.Subset(t, after, append(slices.Clone(g.Users), outside[0].ID, outside[1].ID), "nobody else was dropped")
	assert.Len(t, after, len(g.Users)+2)
	assert.Equal(t, []string{"usergroup_add:" + outside[0].ID + ":succeeded", "usergroup_add:" + outside[1].ID + ":succeeded"}, rec.states())

	// Again: already done, nothing is written.
	p = s.Plan(context.Background(), req)
	assert.Equal(t, 0, p.Changes())
	assert.Contains(t, p.Steps[0].Detail, "already done")
	require.NoError(t, s.Execute(context.Background(), p, (&recorder{}).record))
	assert.Equal(t, 1, srv.Calls("usergroups.users.update"))

	// Remove them again by group ID.
	req = actions.Request{Action: actions.UsergroupRemove, Group: g.ID, Targets: targets(outside...)}
	p = s.Plan(context.Background(), req)
	require.NoError(t, s.Execute(context.Background(), p, (&recorder{}).record))
	assert.ElementsMatch(t, g.Users, groupUsers(o, team, g.ID))
}

func groupUsers(o *slacktest.Org, team, id string) []string {
	for _, g := range o.UserGroups(team) {
		if g.ID == id {
			return g.Users
		}
	}
	return nil
}

func TestUnknownGroupListsTheGroups(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 5, Users: 60})
	s := connect(t, srv, writeToken(srv, "usergroups:write"), actions.Options{Permission: actions.PermissionAct})
	p := s.Plan(context.Background(), actions.Request{Action: actions.UsergroupAdd, Group: "nope", Targets: targets(people(srv.Org(), 1, nil)...)})
	require.Error(t, p.Refusal)
	assert.Contains(t, p.Refusal.Error(), `unknown user group "nope"`)
	assert.Contains(t, p.Refusal.Error(), "@admins")
	assert.Equal(t, actions.Skipped, p.Steps[0].State)
}

func TestNotificationsArePacedPerChannel(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 7, Users: 80})
	o := srv.Org()
	clock := &fakeClock{now: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	s := connect(t, srv, writeToken(srv, "chat:write"), actions.Options{Permission: actions.PermissionAct, Clock: clock})
	msg, err := actions.ParseMessage("Hi {{.Name}} ({{.SeatType}}), last used {{.LastUsed}}")
	require.NoError(t, err)
	ps := people(o, 3, nil)
	channel := o.Channels(o.Teams[0].ID)[0].ID

	// Three messages to one channel: a second apart.
	p := s.Plan(context.Background(), actions.Request{Action: actions.Notify, Channel: channel, Message: msg, Targets: targets(ps...)})
	require.NoError(t, p.Refusal)
	require.NoError(t, s.Execute(context.Background(), p, (&recorder{}).record))
	assert.Equal(t, []time.Duration{time.Second, time.Second}, clock.slept)
	msgs := o.Messages()
	require.Len(t, msgs, 3)
	assert.Equal(t, "Hi "+ps[0].RealName+" (member), last used unknown", msgs[0].Text)

	// Direct messages go to three channels: no waiting.
	clock.slept = nil
	p = s.Plan(context.Background(), actions.Request{Action: actions.Notify, Message: msg, Targets: targets(ps...)})
	require.NoError(t, s.Execute(context.Background(), p, (&recorder{}).record))
	assert.Empty(t, clock.slept)
	msgs = o.Messages()
	require.Len(t, msgs, 6)
	assert.Equal(t, ps[2].ID, msgs[5].User)
}

type fakeClock struct {
	now   time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return nil
}

func TestRateLimitMidBatchWaitsAndDoesNotRepeatATarget(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 9, Users: 80})
	o := srv.Org()
	ps := people(o, 4, nil)
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMPatchUser, After: 1, Status: 429, RetryAfter: 1})
	s := connect(t, srv, writeToken(srv), actions.Options{Permission: actions.PermissionAct})
	p := s.Plan(context.Background(), actions.Request{Action: actions.Deactivate, Targets: targets(ps...)})
	require.NoError(t, p.Refusal)
	var rec recorder
	require.NoError(t, s.Execute(context.Background(), p, rec.record))
	assert.Equal(t, 5, srv.Calls(slacktest.SCIMPatchUser), "four targets and one 429")
	for _, u := range ps {
		assert.True(t, o.User(u.ID).Deleted, u.ID)
	}
	assert.Len(t, rec.steps, 4)
}

func TestMessageTemplateErrorsStopThePlan(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 7, Users: 40})
	s := connect(t, srv, writeToken(srv, "chat:write"), actions.Options{Permission: actions.PermissionAct})
	msg, err := actions.ParseMessage("cost: {{.Fields.monthly_cost}}")
	require.NoError(t, err)
	p := s.Plan(context.Background(), actions.Request{Action: actions.Notify, Message: msg, Targets: targets(people(srv.Org(), 1, nil)...)})
	require.Error(t, p.Refusal)
	assert.Contains(t, p.Refusal.Error(), "monthly_cost")
	require.Error(t, s.Execute(context.Background(), p, (&recorder{}).record))
	assert.Equal(t, 0, srv.Calls("chat.postMessage"))

	_, err = actions.ParseMessage("{{.Name")
	assert.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "template"))
}

func TestGroupWriteRefusedForSomeUsersIsAppliedOneByOne(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 6, Users: 120})
	o := srv.Org()
	team := o.Teams[0].ID
	var g slacktest.UserGroup
	for _, x := range o.UserGroups(team) {
		if x.Handle != "admins" && !x.Disabled() {
			g = x
			break
		}
	}
	ps := people(o, 3, func(u *slacktest.User) bool { return !slices.Contains(g.Users, u.ID) })
	tok := writeToken(srv, "usergroups:write")
	s := connect(t, srv, tok, actions.Options{Permission: actions.PermissionAct, ContinueOnError: true})
	p := s.Plan(context.Background(), actions.Request{Action: actions.UsergroupAdd, Group: g.ID, Targets: targets(ps...)})
	require.NoError(t, p.Refusal)
	require.Equal(t, 3, p.Changes())

	// Between the plan and the write, the second person is deactivated.
	other := connect(t, srv, tok, actions.Options{Permission: actions.PermissionAct})
	require.NoError(t, other.Execute(context.Background(), other.Plan(context.Background(),
		actions.Request{Action: actions.Deactivate, Targets: targets(ps[1])}), (&recorder{}).record))

	var rec recorder
	err := s.Execute(context.Background(), p, rec.record)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1 of 3 changes failed")
	assert.Equal(t, []string{
		"usergroup_add:" + ps[0].ID + ":succeeded",
		"usergroup_add:" + ps[1].ID + ":failed",
		"usergroup_add:" + ps[2].ID + ":succeeded",
	}, rec.states())
	assert.Equal(t, "failed_for_some_users", rec.steps[1].SlackError)
	assert.ElementsMatch(t, append(slices.Clone(g.Users), ps[0].ID, ps[2].ID), groupUsers(o, team, g.ID))
	assert.Equal(t, 1+3, srv.Calls("usergroups.users.update"), "the batch, then each person")
}

func TestReadPermissionAndDryRunChangeNothing(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 8, Users: 60})
	ps := people(srv.Org(), 2, nil)
	tok := writeToken(srv)

	s := connect(t, srv, tok, actions.Options{})
	p := s.Plan(context.Background(), actions.Request{Action: actions.Deactivate, Targets: targets(ps...)})
	require.NoError(t, p.Refusal)
	var rec recorder
	err := s.Execute(context.Background(), p, rec.record)
	require.ErrorIs(t, err, actions.ErrReadOnly)
	assert.Equal(t, []string{"deactivate:" + ps[0].ID + ":skipped", "deactivate:" + ps[1].ID + ":skipped"}, rec.states())

	s = connect(t, srv, tok, actions.Options{Permission: actions.PermissionAct})
	p = s.Plan(context.Background(), actions.Request{Action: actions.Deactivate, Targets: targets(ps...), DryRun: true})
	rec = recorder{}
	require.NoError(t, s.Execute(context.Background(), p, rec.record))
	assert.Equal(t, []string{"deactivate:" + ps[0].ID + ":planned", "deactivate:" + ps[1].ID + ":planned"}, rec.states())
	assert.Equal(t, 0, srv.Calls(slacktest.SCIMPatchUser))
	assert.False(t, srv.Org().User(ps[0].ID).Deleted)

	_, err = actions.ParsePermission("write")
	assert.Error(t, err)
}

func TestSCIMErrorsNameSlacksCode(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 8, Users: 60})
	o := srv.Org()
	u := people(o, 1, nil)[0]
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMPatchUser, Status: 403, Error: "permission_denied"})
	s := connect(t, srv, writeToken(srv), actions.Options{Permission: actions.PermissionAct})
	p := s.Plan(context.Background(), actions.Request{Action: actions.Deactivate, Targets: targets(u)})
	var rec recorder
	require.Error(t, s.Execute(context.Background(), p, rec.record))
	require.Len(t, rec.steps, 1)
	assert.Equal(t, actions.Failed, rec.steps[0].State)
	assert.Equal(t, "permission_denied", rec.steps[0].SlackError)
	assert.Contains(t, rec.steps[0].Detail, "SCIM PATCH /Users/"+u.ID+": permission_denied: HTTP 403")
	assert.False(t, o.User(u.ID).Deleted)
}

func TestTheSameAccountTwiceIsOneStep(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 8, Users: 60})
	u := people(srv.Org(), 1, nil)[0]
	s := connect(t, srv, writeToken(srv), actions.Options{Permission: actions.PermissionAct})
	p := s.Plan(context.Background(), actions.Request{Action: actions.Deactivate,
		Targets: []actions.Target{{UserID: u.ID}, {Email: strings.ToUpper(u.Email)}, {UserID: u.ID}}})
	require.NoError(t, p.Refusal)
	require.Len(t, p.Steps, 3, "every row is a step")
	assert.Equal(t, 1, p.Changes())
	assert.Equal(t, "duplicate of step 1: the same account", p.Steps[1].Detail)
	assert.Equal(t, "duplicate of step 1", p.Steps[2].Detail)
	var rec recorder
	require.NoError(t, s.Execute(context.Background(), p, rec.record))
	assert.Equal(t, []string{"deactivate:" + u.ID + ":succeeded", "deactivate:" + u.ID + ":skipped", "deactivate:" + u.ID + ":skipped"}, rec.states())
	assert.Equal(t, 1, srv.Calls(slacktest.SCIMPatchUser))
}

func TestInterruptLogsTheRestAsNotAttempted(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 8, Users: 60})
	ps := people(srv.Org(), 3, nil)
	s := connect(t, srv, writeToken(srv), actions.Options{Permission: actions.PermissionAct})
	ctx, cancel := context.WithCancel(context.Background())
	p := s.Plan(ctx, actions.Request{Action: actions.Deactivate, Targets: targets(ps...)})
	var rec recorder
	err := s.Execute(ctx, p, func(ctx context.Context, st *actions.Step) error {
		cancel() // Ctrl-C after the first outcome
		return rec.record(ctx, st)
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, []string{"deactivate:" + ps[0].ID + ":succeeded", "deactivate:" + ps[1].ID + ":skipped", "deactivate:" + ps[2].ID + ":skipped"}, rec.states())
	assert.Equal(t, "not attempted: interrupted", rec.steps[2].Detail)
	assert.Equal(t, 1, srv.Calls(slacktest.SCIMPatchUser))
}
