package extract_test

import (
	"context"
	"errors"
	"net/http"
	"path"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// allocCase is one Source to run under a checked allocator.
type allocCase struct {
	name   string
	method string // the method a fault is injected into
	bad    string // a malformed answer for that method
	// single: the method is called once, so its one answer is the bad one
	// (the malformed record comes after a good one).
	single bool
	src    func(c *slackapi.Client, mem memory.Allocator) extract.Source
}

func allocCases(f *fixture) []allocCase {
	team, ent := f.org.Teams[0].ID, f.org.EnterpriseID
	teams := []string{f.org.Teams[0].ID, f.org.Teams[1].ID}
	day := f.org.Now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -5)
	return []allocCase{
		{"users", "users.list", `{"ok":true,"members":[{"id":"U1"},{"id":2}]}`, false, func(c *slackapi.Client, mem memory.Allocator) extract.Source {
			return extract.Users{Client: c, TeamID: team, Alloc: mem, PageSize: 40}
		}},
		{"billable_info", "team.billableInfo", `{"ok":true,"billable_info":{"U1":{"billing_active":true},"U2":{}}}`, false, func(c *slackapi.Client, mem memory.Allocator) extract.Source {
			return extract.Billable{Client: c, TeamID: team, Alloc: mem, PageSize: 40}
		}},
		{"access_logs", "team.accessLogs", `{"ok":true,"logins":[{"user_id":"U1","date_first":1,"date_last":"x"}]}`, false, func(c *slackapi.Client, mem memory.Allocator) extract.Source {
			return extract.AccessLogs{Client: c, TeamID: team, Alloc: mem, PageSize: 40, MaxPages: 3}
		}},
		{"app_events", "team.integrationLogs", `{"ok":true,"logs":[{"app_id":"A1"}]}`, false, func(c *slackapi.Client, mem memory.Allocator) extract.Source {
			return extract.IntegrationLogs{Client: c, TeamID: team, Alloc: mem, PageSize: 5}
		}},
		{"user_groups", "usergroups.list", `{"ok":true,"usergroups":[{"id":"S1"},{"id":"S2","users":"U1"}]}`, true, func(c *slackapi.Client, mem memory.Allocator) extract.Source {
			return extract.UserGroups{Client: c, TeamID: team, Alloc: mem}
		}},
		{"org_users", "admin.users.list", `{"ok":true,"users":[{"id":"W1","is_admin":"no"}]}`, false, func(c *slackapi.Client, mem memory.Allocator) extract.Source {
			return extract.OrgUsers{Client: c, EnterpriseID: ent, Alloc: mem}
		}},
		{"member_activity", "admin.analytics.getFile", gz(`{"user_id":"W1","is_active":1}` + "\n"), false, func(c *slackapi.Client, mem memory.Allocator) extract.Source {
			return &extract.MemberActivity{Client: c, EnterpriseID: ent, Alloc: mem, Workers: 1,
				Days: []time.Time{day, day.AddDate(0, 0, -1), day.AddDate(0, 0, -2)}}
		}},
		{"app_directory", "admin.apps.approved.list", `{"ok":true,"approved_apps":[{"app":{"id":"A1"}},{"app":{}}]}`, false, func(c *slackapi.Client, mem memory.Allocator) extract.Source {
			return extract.AppDirectory{Client: c, EnterpriseID: ent, TeamIDs: teams, Alloc: mem, PageSize: 3}
		}},
		{"app_requests", "admin.apps.requests.list", `{"ok":true,"app_requests":[{"id":"R1"}]}`, false, func(c *slackapi.Client, mem memory.Allocator) extract.Source {
			return extract.AppRequests{Client: c, EnterpriseID: ent, Alloc: mem, PageSize: 1}
		}},
	}
}

// allocFixture is a Grid org and an org token that can read every data set.
func allocFixture(t *testing.T) (*fixture, string) {
	t.Helper()
	f := newFixture(t, slacktest.Config{Seed: 17, Users: 400, Workspaces: 2, Plan: slacktest.PlanEnterprise, AppsPerWorkspace: 12},
		slacktest.WithRateLimits(false))
	tok := f.org.OrgToken("admin", "admin.teams:read", "admin.users:read", "admin.analytics:read", "admin.apps:read",
		"users:read", "users:read.email", "team:read", "team.billing:read", "usergroups:read")
	f.srv.AddToken(tok)
	return f, tok.Value
}

func TestSourcesFreeEveryBatch(t *testing.T) {
	f, tok := allocFixture(t)
	for _, tc := range allocCases(f) {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			rows := 0
			err := tc.src(newClient(t, f.srv, tok), mem).Extract(context.Background(), func(rec arrow.RecordBatch) error {
				rows += int(rec.NumRows())
				return nil
			})
			require.NoError(t, err)
			assert.Positive(t, rows)
		})
	}
}

func TestSourcesFreeEveryBatchWhenEmitFails(t *testing.T) {
	f, tok := allocFixture(t)
	stop := errors.New("the consumer stopped")
	for _, tc := range allocCases(f) {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			err := tc.src(newClient(t, f.srv, tok), mem).Extract(context.Background(), func(arrow.RecordBatch) error { return stop })
			assert.ErrorIs(t, err, stop)
		})
	}
}

func TestSourcesFreeEveryBatchOnAMalformedPageMidStream(t *testing.T) {
	f, tok := allocFixture(t)
	for _, tc := range allocCases(f) {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			f.srv.Inject(slacktest.Fault{Method: tc.method, After: 1 - boolInt(tc.single), Body: tc.bad})
			err := tc.src(newClient(t, f.srv, tok), mem).Extract(context.Background(), func(arrow.RecordBatch) error { return nil })
			require.Error(t, err)
			e, ok := slackapi.AsError(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, slackapi.KindMalformed, e.Kind, "%v", err)
			assert.Contains(t, err.Error(), tc.method)
		})
	}
}

// cancelAfter is an HTTP client that cancels the extraction once n
// answers of method have come back.
func cancelAfter(method string, n int32, cancel context.CancelFunc) *http.Client {
	var seen atomic.Int32
	return &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if path.Base(r.URL.Path) == method && seen.Add(1) == n {
			cancel()
		}
		return resp, err
	})}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestSourcesFreeEveryBatchWhenCancelled(t *testing.T) {
	f, tok := allocFixture(t)
	for _, tc := range allocCases(f) {
		if tc.single {
			continue // one call: nothing is left to cancel once it answered
		}
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c, err := slackapi.New(slackapi.Config{APIURL: f.srv.URL(), Token: tok, TimeScale: testScale, Logger: quiet,
				HTTPClient: cancelAfter(tc.method, 2, cancel)})
			require.NoError(t, err)
			err = tc.src(c, mem).Extract(ctx, func(arrow.RecordBatch) error { return nil })
			assert.ErrorIs(t, err, context.Canceled)
		})
	}
}

func TestWorkspacesFreeEveryBatch(t *testing.T) {
	ws := []slackapi.Workspace{{TeamID: "T1", Name: "One", Domain: "one", Plan: slackapi.PlanBusinessPlus}, {TeamID: "T2", Name: "Two", Domain: "two", Plan: slackapi.PlanPro}}
	for _, fail := range []bool{false, true} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		stop := errors.New("the consumer stopped")
		rows := 0
		err := extract.Workspaces{List: ws, Alloc: mem}.Extract(context.Background(), func(rec arrow.RecordBatch) error {
			rows += int(rec.NumRows())
			if fail {
				return stop
			}
			return nil
		})
		assert.Equal(t, 2, rows)
		if fail {
			assert.ErrorIs(t, err, stop)
		} else {
			assert.NoError(t, err)
		}
		mem.AssertSize(t, 0)
	}
}
