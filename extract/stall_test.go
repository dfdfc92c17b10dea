package extract_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// stallClient is a client for base whose 30 s stall deadline lasts a
// second (TimeScale shortens it no further).
func stallClient(t *testing.T, base string) *slackapi.Client {
	t.Helper()
	c, err := slackapi.New(slackapi.Config{APIURL: base, Token: "xoxp-stall-test-0000", TimeScale: testScale,
		NoRateLimit: true, Logger: quiet})
	require.NoError(t, err)
	return c
}

// silentListener accepts connections and never reads or answers.
func silentListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String() + "/api/"
}

func TestStallWithoutAnswerFailsAfterBoundedRetries(t *testing.T) {
	t.Parallel()
	c := stallClient(t, silentListener(t))
	_, err := extractAll(t, extract.Users{Client: c, TeamID: "T1"})
	require.Error(t, err)
	assert.Equal(t, "users.list (team T1): no answer from Slack for 30 s, 5 times — check --api-url and the network", err.Error())
	e, ok := slackapi.AsError(err)
	require.True(t, ok)
	assert.Equal(t, slackapi.KindNetwork, e.Kind)
	assert.EqualValues(t, 5, c.Calls()["users.list"], "one call and MaxRetries (4) retries")
}

// midBodyServer answers the headers and half a page, then sends nothing
// more, for the first stalls calls; later calls get the whole page.
func midBodyServer(t *testing.T, stalls int32) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	const page = `{"ok":true,"members":[{"id":"U1","name":"ann"}],"response_metadata":{"next_cursor":""}}`
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if calls.Add(1) > stalls {
			w.Write([]byte(page))
			return
		}
		w.Write([]byte(page[:30]))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestStallMidBodyIsRetriedAndRecovers(t *testing.T) {
	t.Parallel()
	srv, calls := midBodyServer(t, 2)
	c := stallClient(t, srv.URL+"/api/")
	got, err := extractAll(t, extract.Users{Client: c, TeamID: "T1"})
	require.NoError(t, err)
	assert.Equal(t, []string{"U1"}, got.strings("user_id"))
	assert.EqualValues(t, 3, calls.Load(), "two stalled answers, then a whole one")
}

func TestStallMidBodyEveryTimeNamesTheMethod(t *testing.T) {
	t.Parallel()
	srv, calls := midBodyServer(t, 100)
	c := stallClient(t, srv.URL+"/api/")
	_, err := extractAll(t, extract.Billable{Client: c, TeamID: "T9"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "team.billableInfo (team T9): no answer from Slack for 30 s, 5 times")
	assert.Contains(t, err.Error(), "check --api-url")
	assert.EqualValues(t, 5, calls.Load())
}

func TestStallOnAWriteIsNotResent(t *testing.T) {
	t.Parallel()
	srv, calls := midBodyServer(t, 100)
	c := stallClient(t, srv.URL+"/api/")
	var r struct{ slackapi.Envelope }
	err := c.Call(context.Background(), "chat.postMessage", "T1", url.Values{"channel": {"C1"}, "text": {"hi"}}, &r)
	require.Error(t, err)
	assert.True(t, errors.Is(err, slackapi.ErrOutcomeUnknown), "%v", err)
	assert.Contains(t, err.Error(), "chat.postMessage")
	assert.EqualValues(t, 1, calls.Load(), "a message is never sent twice")
}

func TestStallDeadlineIsConfigurable(t *testing.T) {
	t.Parallel()
	c, err := slackapi.New(slackapi.Config{APIURL: silentListener(t), Token: "xoxp-stall-test-0000", TimeScale: testScale,
		NoRateLimit: true, StallTimeout: 5 * time.Second, MaxRetries: 1, Logger: quiet})
	require.NoError(t, err)
	_, err = c.AuthTest(context.Background())
	assert.EqualError(t, err, "auth.test: no answer from Slack for 5 s, 2 times — check --api-url and the network")
}

func TestStallInAnAnalyticsFileNamesTheMethodAndDay(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/gzip")
		w.Write([]byte(gz(`{"user_id":"W1","is_active":true}` + "\n"))[:12])
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	// A stall mid-file is fetched again, within MaxRetries.
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL + "/api/", Token: "xoxp-stall-test-0000", TimeScale: testScale,
		NoRateLimit: true, MaxRetries: 1, Logger: quiet})
	require.NoError(t, err)
	day := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	_, err = extractAll(t, &extract.MemberActivity{Client: c, EnterpriseID: "E1", Days: []time.Time{day}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "admin.analytics.getFile (team E1): no answer from Slack for 30 s, 2 times (date 2026-03-04, mid-file)")
	assert.EqualValues(t, 2, calls.Load())
}

func TestLongRateLimitWaitsAreReported(t *testing.T) {
	for _, pacing := range []bool{false, true} {
		f := newFixture(t, slacktest.Config{Seed: 2, Users: 50}, slacktest.WithRateLimits(false))
		f.srv.Inject(slacktest.Fault{Method: "team.accessLogs", Status: 429, RetryAfter: 30})
		c, err := slackapi.New(slackapi.Config{APIURL: f.srv.URL(), Token: f.org.AdminToken().Value, TimeScale: testScale,
			NoRateLimit: !pacing, Logger: quiet})
		require.NoError(t, err)
		var mu sync.Mutex
		waits := map[string]time.Duration{}
		ctx := slackapi.WithWaitHook(context.Background(), func(method string, d time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			waits[method] = max(waits[method], d)
		})
		err = extract.AccessLogs{Client: c, TeamID: f.org.Teams[0].ID}.Extract(ctx, func(arrow.RecordBatch) error { return nil })
		require.NoError(t, err)
		assert.InDelta(t, 30, waits["team.accessLogs"].Seconds(), 1, "pacing %v: the wait Slack asked for, at Slack's pace", pacing)
	}
}
