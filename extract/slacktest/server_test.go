package slacktest_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

func TestServerURL(t *testing.T) {
	srv, _ := newServer(t, slacktest.Config{Users: 20})
	require.True(t, strings.HasPrefix(srv.URL(), "http://127.0.0.1:"))
	require.True(t, strings.HasSuffix(srv.URL(), "/api/"))
	resp, err := http.Get(strings.TrimSuffix(srv.URL(), "api/") + "nope")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestAuthErrors(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 50})
	narrow := o.UserToken(o.AdminToken().UserID, "users:read", "team:read")
	var deactivated *slacktest.User
	for _, u := range o.Users {
		if u.Deleted {
			deactivated = u
			break
		}
	}
	gone := o.UserToken(deactivated.ID, "users:read")
	srv := slacktest.NewServer(o, slacktest.WithToken(narrow), slacktest.WithToken(gone))
	t.Cleanup(srv.Close)

	requireError(t, call(t, srv, "users.list", form()), "not_authed")
	requireError(t, call(t, srv, "users.list", form("token", "")), "not_authed")
	requireError(t, call(t, srv, "users.list", form("token", "xoxp-nope")), "invalid_auth")
	requireError(t, call(t, srv, "users.list", form("token", gone.Value)), "account_inactive")
	requireError(t, call(t, srv, "no.such.method", form("token", narrow.Value)), "unknown_method")

	e := requireError(t, call(t, srv, "team.billableInfo", form("token", narrow.Value)), "missing_scope")
	require.Equal(t, "admin", e.Needed)
	require.Equal(t, "users:read,team:read", e.Provided)
	e = requireError(t, call(t, srv, "team.billing.info", form("token", narrow.Value)), "missing_scope")
	require.Equal(t, "team.billing:read", e.Needed)

	// Bearer header works for form requests too; a bad header is invalid_auth.
	req, err := http.NewRequest(http.MethodPost, srv.URL()+"auth.test", strings.NewReader(""))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+narrow.Value)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.True(t, decode[slackError](t, read(t, resp)).OK)

	require.Equal(t, 1, srv.Calls("no.such.method"))
	require.Equal(t, 4, srv.Calls("users.list"))
}

func TestRequestEncodings(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 30})
	// JSON body with a bearer token; numbers allowed.
	page := decode[usersPage](t, callJSON(t, srv, "users.list", tok, map[string]any{"limit": 10, "include_locale": true}))
	require.Len(t, page.Members, 10)
	page = decode[usersPage](t, callJSON(t, srv, "users.list", tok, map[string]any{"limit": "5", "cursor": *page.ResponseMetadata.NextCursor}))
	require.Len(t, page.Members, 5)
	require.Equal(t, srv.Org().Users[10].ID, page.Members[0].ID)
	// JSON body with the token inside and a null value.
	page = decode[usersPage](t, callJSON(t, srv, "users.list", "", map[string]any{"token": tok, "limit": 3, "cursor": nil}))
	require.Len(t, page.Members, 3)
	// Malformed JSON.
	r := callJSON(t, srv, "users.list", tok, nil)
	require.True(t, decode[usersPage](t, r).OK, "a null body has no parameters")
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"users.list", strings.NewReader("{nope"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	requireError(t, read(t, resp), "invalid_json")

	// GET with a query string.
	page = decode[usersPage](t, callGET(t, srv, "users.list", form("token", tok, "limit", "4")))
	require.Len(t, page.Members, 4)
	// Empty values are absent, as slack-go sends them.
	page = decode[usersPage](t, call(t, srv, "users.list", form("token", tok, "limit", "2", "cursor", "", "team_id", "")))
	require.Len(t, page.Members, 2)
}

func TestRateLimits(t *testing.T) {
	const scale = 0.001 // 60 ms windows
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithTimeScale(scale))
	var r response
	for attempt := 0; ; attempt++ {
		srv.ResetRateLimits()
		start := time.Now()
		for i := 0; i < 20; i++ {
			r = call(t, srv, "users.list", form("token", tok))
			if r.Status != http.StatusOK {
				break
			}
		}
		r = call(t, srv, "users.list", form("token", tok))
		if time.Since(start) < 50*time.Millisecond || attempt == 5 {
			break // otherwise the machine was too slow for a 60 ms window: retry
		}
	}
	require.Equal(t, http.StatusTooManyRequests, r.Status, "the 21st call in a window is limited")
	require.Equal(t, `{"ok":false,"error":"ratelimited"}`, string(r.Body))
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	require.NoError(t, err, "integer Retry-After")
	require.GreaterOrEqual(t, secs, 1)
	require.LessOrEqual(t, secs, 60)

	// Other methods (tiers) have their own windows.
	require.True(t, decode[slackError](t, call(t, srv, "team.info", form("token", tok))).OK)

	time.Sleep(time.Duration(float64(secs)*scale*float64(time.Second)) + 5*time.Millisecond)
	require.Equal(t, http.StatusOK, call(t, srv, "users.list", form("token", tok)).Status)

	// Disabled limits never answer 429.
	free, ftok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	for i := 0; i < 30; i++ {
		require.Equal(t, http.StatusOK, call(t, free, "users.list", form("token", ftok)).Status)
	}
}

func TestRateLimitRetryAfterVirtualSeconds(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithTimeScale(0.01)) // 600 ms windows
	for i := 0; i < 50; i++ {
		require.Equal(t, http.StatusOK, call(t, srv, "team.info", form("token", tok)).Status)
	}
	r := call(t, srv, "team.info", form("token", tok))
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.Greater(t, secs, 30, "about a virtual minute remains")
	require.LessOrEqual(t, secs, 60)
}

func TestFaults(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	p := form("token", tok)

	// 429 on the second call.
	srv.Inject(slacktest.Fault{Method: "users.list", After: 1, Status: http.StatusTooManyRequests, RetryAfter: 3})
	require.Equal(t, http.StatusOK, call(t, srv, "users.list", p).Status)
	r := call(t, srv, "users.list", p)
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	require.Equal(t, "3", r.Header.Get("Retry-After"))
	require.Equal(t, "ratelimited", decodeAny(t, r).Error)
	require.Equal(t, http.StatusOK, call(t, srv, "users.list", p).Status)

	// 500 twice, with an HTML body; other methods unaffected.
	srv.Inject(slacktest.Fault{Method: "users.list", Status: http.StatusInternalServerError, Times: 2})
	require.Equal(t, http.StatusOK, call(t, srv, "team.info", p).Status)
	for range 2 {
		r = call(t, srv, "users.list", p)
		require.Equal(t, http.StatusInternalServerError, r.Status)
		require.Contains(t, r.Header.Get("Content-Type"), "text/html")
		require.Contains(t, string(r.Body), "<html>")
	}
	require.Equal(t, http.StatusOK, call(t, srv, "users.list", p).Status)

	// Malformed body with HTTP 200, then a Slack error, queued in order.
	srv.Inject(slacktest.Fault{Method: "users.list", Body: `{"ok":true,"members":[{"id":"U1"`})
	srv.Inject(slacktest.Fault{Method: "users.list", Error: "fatal_error"})
	r = call(t, srv, "users.list", p)
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, `{"ok":true,"members":[{"id":"U1"`, string(r.Body))
	requireError(t, call(t, srv, "users.list", p), "fatal_error")
	require.Equal(t, http.StatusOK, call(t, srv, "users.list", p).Status)

	// 503 with a default Retry-After for 429 faults.
	srv.Inject(slacktest.Fault{Method: "team.info", Status: http.StatusServiceUnavailable})
	srv.Inject(slacktest.Fault{Method: "auth.test", Status: http.StatusTooManyRequests})
	require.Equal(t, http.StatusServiceUnavailable, call(t, srv, "team.info", p).Status)
	r = call(t, srv, "auth.test", p)
	require.Equal(t, "1", r.Header.Get("Retry-After"))

	// Faults come after authentication: an unauthenticated call does not consume one.
	srv.Inject(slacktest.Fault{Method: "team.info", Status: http.StatusBadGateway})
	requireError(t, call(t, srv, "team.info", form("token", "xoxp-bad")), "invalid_auth")
	require.Equal(t, http.StatusBadGateway, call(t, srv, "team.info", p).Status)

	// Every request is counted, faulted or not.
	require.Equal(t, 9, srv.Calls("users.list"))
	counts := srv.CallCounts()
	require.Equal(t, map[string]int{"users.list": 9, "team.info": 4, "auth.test": 1}, counts)
	srv.ResetCalls()
	require.Equal(t, 0, srv.Calls("users.list"))
	require.Empty(t, srv.CallCounts())
	counts["users.list"] = 99 // a copy
	require.Equal(t, 0, srv.Calls("users.list"))
}

func TestConcurrentCallsAndFaults(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 200}, slacktest.WithRateLimits(false))
	srv.Inject(slacktest.Fault{Method: "users.list", Status: http.StatusBadGateway, Times: 5})
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				r := call(t, srv, "users.list", form("token", tok, "limit", "50"))
				mu.Lock()
				statuses[r.Status]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Equal(t, map[int]int{http.StatusOK: 35, http.StatusBadGateway: 5}, statuses)
	require.Equal(t, 40, srv.Calls("users.list"))
}

func TestLoggerNeverLogsTokens(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	l := slog.New(slog.NewTextHandler(&lockedWriter{w: &buf, mu: &mu}, nil))
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithLogger(l))
	call(t, srv, "users.list", form("token", tok))
	call(t, srv, "users.list", form("token", "xoxp-wrong"))
	srv.Close()
	mu.Lock()
	defer mu.Unlock()
	out := buf.String()
	require.Contains(t, out, "method=users.list")
	require.Contains(t, out, "status=200")
	require.Contains(t, out, "error=invalid_auth")
	require.NotContains(t, out, tok)
	require.NotContains(t, out, "xoxp")
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func decodeAny(t testing.TB, r response) slackError {
	t.Helper()
	var e slackError
	require.NoError(t, jsonUnmarshal(r.Body, &e))
	return e
}

// TestConcurrentDerivedData hits the methods whose data is generated on
// first use from many goroutines at once (run with -race).
func TestConcurrentDerivedData(t *testing.T) {
	srv, tok := newGrid(t, 400, 3)
	o := srv.Org()
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			team := o.Teams[i%3].ID
			for _, m := range []string{"team.integrationLogs", "team.accessLogs", "admin.apps.approved.list", "admin.apps.requests.list"} {
				r := call(t, srv, m, form("token", tok.Value, "team_id", team, "count", "7", "page", strconv.Itoa(1+i%4)))
				require.True(t, decodeAny(t, r).OK, "%s: %s", m, r.Body)
			}
		}()
	}
	wg.Wait()
	for _, team := range o.Teams {
		require.Equal(t, slacktest.NewOrg(o.Config).IntegrationLogs(team.ID), o.IntegrationLogs(team.ID))
	}
}
