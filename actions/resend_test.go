package actions_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/actions"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// lostAnswer lets Slack carry out the first call of method, then loses
// the answer: a 502 in its place, or with reset the connection breaks.
// The write was made; the client cannot know.
type lostAnswer struct {
	method string
	reset  bool
	n      atomic.Int32
}

func (l *lostAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/"+l.method) || l.n.Add(1) != 1 {
		return resp, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if l.reset {
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	return &http.Response{StatusCode: http.StatusBadGateway, Status: "502 Bad Gateway", Header: http.Header{},
		Body: io.NopCloser(strings.NewReader("bad gateway")), Request: r}, nil
}

// noDial fails the first connection attempt for method: nothing is sent.
type noDial struct {
	method string
	n      atomic.Int32
}

func (d *noDial) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/"+d.method) && d.n.Add(1) == 1 {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: r.URL.Host}}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// connectVia is connect with the client's requests going through rt.
func connectVia(t *testing.T, srv *slacktest.Server, tok string, o actions.Options, rt http.RoundTripper) *actions.Session {
	t.Helper()
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: tok, NoRateLimit: true, TimeScale: 0.001,
		HTTPClient: &http.Client{Transport: rt}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	o.SCIMURL = srv.SCIMURL()
	s, err := actions.Connect(context.Background(), c, o)
	require.NoError(t, err)
	return s
}

// gridOrg serves a three-workspace Grid org and returns an org-level token
// that may manage workspace membership.
func gridOrg(t *testing.T) (*slacktest.Server, string) {
	t.Helper()
	srv := org(t, slacktest.Config{Seed: 31, Users: 200, Workspaces: 3, Plan: slacktest.PlanEnterprise})
	tok := srv.Org().OrgToken("admin", "admin.teams:read", "admin.users:read", "admin.users:write", "users:read",
		"users:read.email", "team:read", "team.billing:read")
	srv.AddToken(tok)
	return srv, tok.Value
}

// gridPerson is an active full member of the org; in the first and second
// workspaces when both is set, else in the first only.
func gridPerson(t *testing.T, o *slacktest.Org, both bool) *slacktest.User {
	t.Helper()
	for _, u := range o.CurrentUsers() {
		if u.IsHuman() && !u.Deleted && !u.IsInvitedUser && !u.IsAdmin && !u.IsOwner && !u.IsRestricted &&
			u.InTeam(o.Teams[0].ID) && u.InTeam(o.Teams[1].ID) == both {
			return u
		}
	}
	t.Fatal("no such person in the synthetic org")
	return nil
}

func TestNotifyIsNotSentTwiceWhenTheAnswerIsLost(t *testing.T) {
	for _, tc := range []struct {
		name, detail string
		reset        bool
	}{
		{"502", "outcome unknown: chat.postMessage: HTTP 502 from Slack;", false},
		{"connection reset", "outcome unknown: chat.postMessage: no answer after the request was sent: ", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := org(t, slacktest.Config{Seed: 7, Users: 80})
			o := srv.Org()
			rt := &lostAnswer{method: "chat.postMessage", reset: tc.reset}
			s := connectVia(t, srv, writeToken(srv, "chat:write"), actions.Options{Permission: actions.PermissionAct}, rt)
			msg, err := actions.ParseMessage("Hi {{.Name}}")
			require.NoError(t, err)
			p := s.Plan(context.Background(), actions.Request{Action: actions.Notify, Message: msg, Targets: targets(people(o, 1, nil)...)})
			require.NoError(t, p.Refusal)
			var rec recorder
			err = s.Execute(context.Background(), p, rec.record)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "for 1 of them the outcome is unknown")
			assert.Len(t, o.Messages(), 1, "one target, one message")
			assert.Equal(t, 1, srv.Calls("chat.postMessage"))
			require.Len(t, rec.steps, 1)
			assert.Equal(t, actions.Failed, rec.steps[0].State)
			assert.Contains(t, rec.steps[0].Detail, tc.detail)
			assert.Contains(t, rec.steps[0].Detail, "check the conversation before running again")
		})
	}
}

func TestNotifyIsNotResentAfterAServerError(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 7, Users: 80})
	o := srv.Org()
	ps := people(o, 3, nil)
	srv.Inject(slacktest.Fault{Method: "chat.postMessage", After: 1, Status: http.StatusBadGateway})
	s := connect(t, srv, writeToken(srv, "chat:write"), actions.Options{Permission: actions.PermissionAct, ContinueOnError: true})
	msg, err := actions.ParseMessage("Hi {{.Name}}")
	require.NoError(t, err)
	p := s.Plan(context.Background(), actions.Request{Action: actions.Notify, Message: msg, Targets: targets(ps...)})
	require.NoError(t, p.Refusal)
	var rec recorder
	require.Error(t, s.Execute(context.Background(), p, rec.record))
	assert.Equal(t, 3, srv.Calls("chat.postMessage"), "one request per person: the 502 is not retried")
	assert.Equal(t, []string{"notify:" + ps[0].ID + ":succeeded", "notify:" + ps[1].ID + ":failed", "notify:" + ps[2].ID + ":succeeded"}, rec.states())
	assert.Contains(t, rec.steps[1].Detail, "outcome unknown")
	assert.Equal(t, "HTTP 502 from Slack", rec.steps[1].SlackError)
}

func TestWritesAreResentWhenSlackCannotHaveActed(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 7, Users: 80})
	o := srv.Org()
	ps := people(o, 2, nil)
	srv.Inject(slacktest.Fault{Method: "chat.postMessage", Status: http.StatusTooManyRequests, RetryAfter: 1})
	s := connectVia(t, srv, writeToken(srv, "chat:write"), actions.Options{Permission: actions.PermissionAct}, &noDial{method: "chat.postMessage"})
	msg, err := actions.ParseMessage("Hi {{.Name}}")
	require.NoError(t, err)
	p := s.Plan(context.Background(), actions.Request{Action: actions.Notify, Message: msg, Targets: targets(ps...)})
	var rec recorder
	require.NoError(t, s.Execute(context.Background(), p, rec.record), "a failed dial and a 429 are retried")
	assert.Equal(t, 3, srv.Calls("chat.postMessage"), "the dial reached nothing; the 429, its retry and the second message did")
	assert.Len(t, o.Messages(), 2)
}

func TestIdempotentWritesAreRetriedAfterAServerError(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 5, Users: 120})
	o := srv.Org()
	g := o.UserGroups(o.Teams[0].ID)[0]
	for _, x := range o.UserGroups(o.Teams[0].ID) {
		if x.Handle != "admins" && !x.Disabled() {
			g = x
			break
		}
	}
	ps := people(o, 2, func(u *slacktest.User) bool { return !slices.Contains(g.Users, u.ID) })
	srv.Inject(slacktest.Fault{Method: "usergroups.users.update", Status: http.StatusBadGateway})
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMPatchUser, Status: http.StatusBadGateway})
	s := connect(t, srv, writeToken(srv, "usergroups:write"), actions.Options{Permission: actions.PermissionAct})

	p := s.Plan(context.Background(), actions.Request{Action: actions.UsergroupAdd, Group: g.ID, Targets: targets(ps[0])})
	require.NoError(t, s.Execute(context.Background(), p, (&recorder{}).record))
	assert.Equal(t, 2, srv.Calls("usergroups.users.update"), "the whole list is written again")

	p = s.Plan(context.Background(), actions.Request{Action: actions.Deactivate, Targets: targets(ps[1])})
	require.NoError(t, s.Execute(context.Background(), p, (&recorder{}).record))
	assert.Equal(t, 2, srv.Calls(slacktest.SCIMPatchUser), "setting active again is harmless")
	assert.True(t, o.User(ps[1].ID).Deleted)
}

func TestWorkspaceWritesWithALostAnswerAreUnknownThenAlreadyDone(t *testing.T) {
	for _, tc := range []struct {
		action actions.Action
		method string
		both   bool // the person starts in both workspaces
		rerun  string
	}{
		{actions.WorkspaceRemove, "admin.users.remove", true, "already done: not a member of "},
		{actions.WorkspaceAdd, "admin.users.assign", false, "already done: already a member of "},
	} {
		t.Run(string(tc.action), func(t *testing.T) {
			srv, tok := gridOrg(t)
			o := srv.Org()
			u := gridPerson(t, o, tc.both)
			team := o.Teams[1].ID
			s := connectVia(t, srv, tok, actions.Options{Permission: actions.PermissionAct}, &lostAnswer{method: tc.method})
			req := actions.Request{Action: tc.action, TeamID: team, Targets: targets(u)}
			p := s.Plan(context.Background(), req)
			require.NoError(t, p.Refusal)
			var rec recorder
			err := s.Execute(context.Background(), p, rec.record)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "the outcome is unknown")
			assert.Equal(t, !tc.both, o.User(u.ID).InTeam(team), "Slack made the change")
			assert.Equal(t, 1, srv.Calls(tc.method), "and it was not sent again")
			require.Len(t, rec.steps, 1)
			assert.Equal(t, actions.Failed, rec.steps[0].State)
			assert.Contains(t, rec.steps[0].Detail, "outcome unknown: "+tc.method+" (team "+team+"): HTTP 502 from Slack")
			assert.Contains(t, rec.steps[0].Detail, "check the workspace's members before running again")

			p = s.Plan(context.Background(), req)
			require.NoError(t, p.Refusal)
			assert.Equal(t, 0, p.Changes())
			assert.Equal(t, tc.rerun+team, p.Steps[0].Detail)
		})
	}
}

func TestInviteWithALostAnswerIsUnknown(t *testing.T) {
	srv, tok := gridOrg(t)
	o := srv.Org()
	team := o.Teams[1].ID
	ch := o.Channels(team)[0].ID
	s := connectVia(t, srv, tok, actions.Options{Permission: actions.PermissionAct}, &lostAnswer{method: "admin.users.invite"})
	p := s.Plan(context.Background(), actions.Request{Action: actions.WorkspaceInvite, TeamID: team, Channels: []string{ch},
		Targets: []actions.Target{{Email: "new.hire@example.com"}}})
	require.NoError(t, p.Refusal)
	var rec recorder
	require.Error(t, s.Execute(context.Background(), p, rec.record))
	assert.Equal(t, 1, srv.Calls("admin.users.invite"))
	require.Len(t, rec.steps, 1)
	assert.Equal(t, actions.Failed, rec.steps[0].State, "not \"already done\": this run may have sent it")
	assert.Contains(t, rec.steps[0].Detail, "outcome unknown")
	assert.Contains(t, rec.steps[0].Detail, "pending invitations")
}
