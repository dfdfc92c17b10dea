package slacktest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// slackClient is slack-go pointed at srv, without retries unless opts add them.
func slackClient(srv *slacktest.Server, token string, opts ...slack.Option) *slack.Client {
	return slack.New(token, append([]slack.Option{slack.OptionAPIURL(srv.URL())}, opts...)...)
}

// serverErrorRetries is slack-go retrying 5xx answers up to n times, with
// millisecond backoff.
func serverErrorRetries(n int) slack.Option {
	cfg := slack.RetryConfig{MaxRetries: n, BackoffInitial: time.Millisecond, BackoffMax: time.Millisecond}
	cfg.Handlers = []slack.RetryHandler{slack.NewServerErrorRetryHandler(cfg)}
	return slack.OptionRetryConfig(cfg)
}

func TestFault5xxBurstLongerThanRetries(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	api := slackClient(srv, tok, serverErrorRetries(3))
	srv.Inject(slacktest.Fault{Method: "team.info", Status: http.StatusServiceUnavailable, Times: 10})

	_, err := api.GetTeamInfo()
	var sc slack.StatusCodeError
	require.ErrorAs(t, err, &sc)
	require.Equal(t, http.StatusServiceUnavailable, sc.Code)
	require.Equal(t, 4, srv.Calls("team.info"), "one call and three retries")
	require.Equal(t, 4, srv.Faulted("team.info"))
	pending := srv.PendingFaults()
	require.Len(t, pending, 1)
	require.Equal(t, 6, pending[0].Times, "six faulted calls are left")

	// The rest of the burst, on the wire: an nginx-style HTML page.
	r := call(t, srv, "team.info", form("token", tok))
	require.Equal(t, http.StatusServiceUnavailable, r.Status)
	require.Equal(t, "text/html; charset=utf-8", r.Header.Get("Content-Type"))
	require.Equal(t, "<html>\n<head><title>503 Service Unavailable</title></head>\n<body>\n<center><h1>503 Service Unavailable</h1></center>\n"+
		"<hr><center>slacktest</center>\n</body>\n</html>\n", string(r.Body))
}

func TestFault5xxJSONBodyForever(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	srv.Inject(slacktest.Fault{Method: "users.list", Status: http.StatusBadGateway, Error: "bad_gateway", Times: slacktest.Forever})
	for range 25 {
		r := call(t, srv, "users.list", form("token", tok))
		require.Equal(t, http.StatusBadGateway, r.Status)
		require.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
		require.Equal(t, `{"ok":false,"error":"bad_gateway"}`, string(r.Body))
	}
	require.Equal(t, []slacktest.Fault{{Method: "users.list", Status: http.StatusBadGateway, Error: "bad_gateway", Times: slacktest.Forever}},
		srv.PendingFaults(), "a Forever fault is never spent")
	require.Equal(t, 25, srv.Faulted("users.list"))

	srv.ClearFaults()
	require.Empty(t, srv.PendingFaults())
	require.Equal(t, http.StatusOK, call(t, srv, "users.list", form("token", tok)).Status)
	srv.ResetCalls()
	require.Zero(t, srv.Faulted("users.list"))
}

func TestFault429StormWithLongRetryAfter(t *testing.T) {
	// Retry-After stays in virtual seconds whatever the time scale: a client
	// that scales its waits by 0.001 waits 30 ms for each.
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithTimeScale(0.001))
	api := slackClient(srv, tok)
	srv.Inject(slacktest.Fault{Method: "users.list", After: 1, Status: http.StatusTooManyRequests, RetryAfter: 30, Times: 20})

	_, err := api.GetUsersPaginated(slack.GetUsersOptionLimit(5)).Next(context.Background())
	require.NoError(t, err, "the first call passes")
	for i := range 20 {
		_, err := api.GetUsersPaginated(slack.GetUsersOptionLimit(5)).Next(context.Background())
		var rl *slack.RateLimitedError
		require.ErrorAs(t, err, &rl, "call %d", i+2)
		require.Equal(t, 30*time.Second, rl.RetryAfter)
	}
	r := call(t, srv, "users.list", form("token", tok, "limit", "5"))
	require.Equal(t, http.StatusOK, r.Status, "the storm is over after 20 calls")
	require.Equal(t, 22, srv.Calls("users.list"))
	require.Equal(t, 20, srv.Faulted("users.list"))
	require.Empty(t, srv.PendingFaults())

	// On the wire: 429, Retry-After 30, {"ok":false,"error":"ratelimited"}.
	srv.Inject(slacktest.Fault{Method: "users.list", Status: http.StatusTooManyRequests, RetryAfter: 30})
	r = call(t, srv, "users.list", form("token", tok))
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	require.Equal(t, "30", r.Header.Get("Retry-After"))
	require.Equal(t, `{"ok":false,"error":"ratelimited"}`, string(r.Body))
}

func TestFaultSCIM429Storm(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 4, Users: 50}, slacktest.WithRateLimits(false))
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMListUsers, Status: http.StatusTooManyRequests, RetryAfter: 30, Times: 3})
	for range 3 {
		r := scimDo(t, srv, http.MethodGet, "Users", tok, nil)
		requireSCIMError(t, r, http.StatusTooManyRequests, "ratelimited")
		require.Equal(t, "30", r.Header.Get("Retry-After"))
	}
	scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, "Users", tok, nil))
}

func TestFaultAfterCountsOnlyAuthenticatedCalls(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	srv.Inject(slacktest.Fault{Method: "auth.test", After: 2, Status: http.StatusInternalServerError})
	requireError(t, call(t, srv, "auth.test", form("token", "xoxp-nope")), "invalid_auth")
	require.Equal(t, []slacktest.Fault{{Method: "auth.test", After: 2, Times: 1, Status: http.StatusInternalServerError}}, srv.PendingFaults())
	for range 2 {
		require.Equal(t, http.StatusOK, call(t, srv, "auth.test", form("token", tok)).Status)
	}
	require.Equal(t, http.StatusInternalServerError, call(t, srv, "auth.test", form("token", tok)).Status)
	require.Equal(t, 1, srv.Faulted("auth.test"))
}

func TestInjectRefusesFaultsThatCannotFire(t *testing.T) {
	srv, _ := newServer(t, slacktest.Config{Seed: 1, Users: 20})
	for _, tc := range []struct {
		f    slacktest.Fault
		want string
	}{
		{slacktest.Fault{Method: "users.lst"}, `Inject FaultStatus on "users.lst": the server serves no such method`},
		{slacktest.Fault{Method: "users.list", Kind: 99}, `Inject FaultKind(99) on "users.list": unknown kind`},
		{slacktest.Fault{Method: "users.list", Kind: slacktest.FaultTruncate, CutAt: -1}, `Inject FaultTruncate on "users.list": CutAt, Delay and RetryAfter cannot be negative`},
		{slacktest.Fault{Method: "team.integrationLogs", Kind: slacktest.FaultRepeatCursor}, `Inject FaultRepeatCursor on "team.integrationLogs": the method does not page by cursor`},
		{slacktest.Fault{Method: "users.list", Kind: slacktest.FaultEndlessPages}, `Inject FaultEndlessPages on "users.list": the method has no count/page paging`},
		{slacktest.Fault{Method: "usergroups.list", Kind: slacktest.FaultDuplicatePage}, `Inject FaultDuplicatePage on "usergroups.list": the method does not page`},
		{slacktest.Fault{Method: "team.info", Kind: slacktest.FaultEmptyPage}, `Inject FaultEmptyPage on "team.info": the method's answer has no list`},
		{slacktest.Fault{Method: slacktest.SCIMGetUser, Kind: slacktest.FaultDuplicateItems}, `Inject FaultDuplicateItems on "scim.Users.get": the method's answer has no list`},
		{slacktest.Fault{Method: "admin.analytics.getFile", Kind: slacktest.FaultEchoToken}, `Inject FaultEchoToken on "admin.analytics.getFile": its success is a gzip file, not JSON: set Error`},
	} {
		require.PanicsWithValue(t, "slacktest: "+tc.want, func() { srv.Inject(tc.f) })
	}
	require.Empty(t, srv.PendingFaults())
}

func TestFaultKindNames(t *testing.T) {
	require.Equal(t, "FaultHang", slacktest.FaultHang.String())
	require.Equal(t, "FaultEchoToken", slacktest.FaultEchoToken.String())
	require.Equal(t, "FaultKind(200)", slacktest.FaultKind(200).String())
}

// requireSlackError asserts a slack-go error carrying a Slack error code.
func requireSlackError(t *testing.T, err error, code string) slack.SlackErrorResponse {
	t.Helper()
	var se slack.SlackErrorResponse
	require.True(t, errors.As(err, &se), "%v", err)
	require.Equal(t, code, se.Err)
	return se
}
