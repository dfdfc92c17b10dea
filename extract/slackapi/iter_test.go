package slackapi_test

import (
	"context"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// testScale runs rate-limit windows, Retry-After and backoff 1000 times
// faster than real time, on both ends.
const testScale = 0.001

// bodies is an HTTP transport that counts the answers it hands out and
// the ones closed.
type bodies struct {
	mu             sync.Mutex
	opened, closed int
}

func (b *bodies) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.opened++
	b.mu.Unlock()
	resp.Body = &countedBody{ReadCloser: resp.Body, b: b}
	return resp, nil
}

func (b *bodies) open() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.opened - b.closed
}

type countedBody struct {
	io.ReadCloser
	b    *bodies
	once sync.Once
}

func (c *countedBody) Close() error {
	c.once.Do(func() {
		c.b.mu.Lock()
		c.b.closed++
		c.b.mu.Unlock()
	})
	return c.ReadCloser.Close()
}

// gridOrg is a Grid organisation with two workspaces and an org-level
// token that can read every list, and a client that counts its answers.
func gridOrg(t *testing.T) (*slacktest.Org, *slacktest.Server, *slackapi.Client, *bodies) {
	t.Helper()
	org := slacktest.NewOrg(slacktest.Config{Seed: 23, Users: 300, Workspaces: 2, Plan: slacktest.PlanEnterprise, AppsPerWorkspace: 12})
	srv := slacktest.NewServer(org, slacktest.WithTimeScale(testScale), slacktest.WithRateLimits(false))
	t.Cleanup(srv.Close)
	tok := org.OrgToken("admin", "admin.teams:read", "admin.users:read", "admin.analytics:read", "admin.apps:read",
		"users:read", "users:read.email", "team:read", "team.billing:read", "usergroups:read")
	srv.AddToken(tok)
	b := &bodies{}
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: tok.Value, TimeScale: testScale,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), HTTPClient: &http.Client{Transport: b}})
	require.NoError(t, err)
	return org, srv, c, b
}

// list is one iterator, as a sequence of anything, and the method it calls.
type list struct {
	name, method string
	seq          func(ctx context.Context) iter.Seq2[any, error]
}

func erase[T any](s iter.Seq2[T, error]) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		for v, err := range s {
			if !yield(v, err) {
				return
			}
		}
	}
}

func lists(org *slacktest.Org, c *slackapi.Client) []list {
	team, ent := org.Teams[0].ID, org.EnterpriseID
	day := org.Now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -5)
	return []list{
		{"Users", "users.list", func(ctx context.Context) iter.Seq2[any, error] {
			return erase(c.Users(ctx, slackapi.ListUsers{TeamID: team, PageSize: 20}))
		}},
		{"OrgUsers", "admin.users.list", func(ctx context.Context) iter.Seq2[any, error] {
			return erase(c.OrgUsers(ctx, slackapi.ListOrgUsers{EnterpriseID: ent}))
		}},
		{"BillableInfo", "team.billableInfo", func(ctx context.Context) iter.Seq2[any, error] {
			return erase(c.BillableInfo(ctx, slackapi.ListBillable{TeamID: team, PageSize: 20}))
		}},
		{"AccessLogs", "team.accessLogs", func(ctx context.Context) iter.Seq2[any, error] {
			return erase(c.AccessLogs(ctx, slackapi.ListAccessLogs{TeamID: team, PageSize: 20}))
		}},
		{"IntegrationLogs", "team.integrationLogs", func(ctx context.Context) iter.Seq2[any, error] {
			return erase(c.IntegrationLogs(ctx, slackapi.ListIntegrationLogs{TeamID: team, PageSize: 5}))
		}},
		{"UserGroups", "usergroups.list", func(ctx context.Context) iter.Seq2[any, error] {
			return erase(c.UserGroups(ctx, slackapi.ListUserGroups{TeamID: team}))
		}},
		{"Apps", "admin.apps.approved.list", func(ctx context.Context) iter.Seq2[any, error] {
			return erase(c.Apps(ctx, slackapi.ListApps{TeamID: team, List: slackapi.AppsApproved, PageSize: 2}))
		}},
		{"AppRequests", "admin.apps.requests.list", func(ctx context.Context) iter.Seq2[any, error] {
			return erase(c.AppRequests(ctx, slackapi.ListAppRequests{EnterpriseID: ent, PageSize: 1}))
		}},
		{"MemberAnalytics", "admin.analytics.getFile", func(ctx context.Context) iter.Seq2[any, error] {
			return erase(c.MemberAnalytics(ctx, ent, day))
		}},
	}
}

func TestIteratorsStoppedEarlyReleaseEverything(t *testing.T) {
	org, srv, c, b := gridOrg(t)
	for _, l := range lists(org, c) {
		t.Run(l.name, func(t *testing.T) {
			srv.ResetCalls()
			n := 0
			for _, err := range l.seq(context.Background()) {
				require.NoError(t, err)
				n++
				break
			}
			assert.Equal(t, 1, n)
			assert.Equal(t, 1, srv.Calls(l.method), "no page is read after the consumer stops")
			assert.Zero(t, b.open(), "every answer is closed")
		})
	}
}

func TestIteratorsReadEveryPage(t *testing.T) {
	org, srv, c, b := gridOrg(t)
	for _, l := range lists(org, c) {
		t.Run(l.name, func(t *testing.T) {
			srv.ResetCalls()
			n := 0
			for _, err := range l.seq(context.Background()) {
				require.NoError(t, err)
				n++
			}
			assert.Greater(t, n, 1)
			if l.method != "usergroups.list" && l.method != "admin.analytics.getFile" { // neither pages
				assert.Greater(t, srv.Calls(l.method), 1, "the list is read past its first page")
			}
			assert.Zero(t, b.open(), "every answer is closed")
		})
	}
}

func TestIteratorErrorIsTheLastElement(t *testing.T) {
	org, srv, c, b := gridOrg(t)
	srv.Inject(slacktest.Fault{Method: "users.list", After: 1, Body: `{"ok":true,"members":[{"id":"U1"},{"id":2}]}`})
	var records, errs int
	var last error
	for _, err := range c.Users(context.Background(), slackapi.ListUsers{TeamID: org.Teams[0].ID, PageSize: 20}) {
		if err != nil {
			errs++
			last = err
			continue
		}
		require.Zero(t, errs, "no record after the error")
		records++
	}
	assert.Equal(t, 20, records, "the first page, then the error")
	require.Equal(t, 1, errs)
	e, ok := slackapi.AsError(last)
	require.True(t, ok, "%v", last)
	assert.Equal(t, slackapi.KindMalformed, e.Kind)
	assert.Contains(t, last.Error(), "users.list")
	assert.Zero(t, b.open())
}

func TestMemberListsMustHoldTheTokensUser(t *testing.T) {
	org, _, c, _ := gridOrg(t)
	ctx := context.Background()
	drain := func(s iter.Seq2[any, error]) (int, error) {
		n := 0
		for _, err := range s {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
	n, err := drain(erase(c.Users(ctx, slackapi.ListUsers{TeamID: org.Teams[0].ID, MustList: "U0NOTLISTED"})))
	require.Error(t, err)
	assert.Positive(t, n, "the members are read before the list is judged")
	e, _ := slackapi.AsError(err)
	require.NotNil(t, e)
	assert.Equal(t, slackapi.KindImplausible, e.Kind)
	assert.Contains(t, err.Error(), "not the token's own user U0NOTLISTED")

	_, err = drain(erase(c.OrgUsers(ctx, slackapi.ListOrgUsers{EnterpriseID: org.EnterpriseID, MustList: "W0NOTLISTED"})))
	e, _ = slackapi.AsError(err)
	require.NotNil(t, e, "%v", err)
	assert.Equal(t, slackapi.KindImplausible, e.Kind)
	assert.Contains(t, err.Error(), "admin.users.list")

	for u, err := range c.Users(ctx, slackapi.ListUsers{TeamID: org.Teams[0].ID}) {
		require.NoError(t, err)
		assert.Equal(t, org.Teams[0].ID, u.TeamID, "an account is in the workspace it is listed in")
		_, err = drain(erase(c.Users(ctx, slackapi.ListUsers{TeamID: org.Teams[0].ID, MustList: u.ID})))
		assert.NoError(t, err)
		break
	}
}
