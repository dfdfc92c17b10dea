package slacktest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// rawCall sends one form POST on a fresh TCP connection and returns every
// byte the server sent and the error that ended reading (nil: EOF).
func rawCall(t *testing.T, srv *slacktest.Server, method string, params url.Values, readFor time.Duration) ([]byte, error) {
	t.Helper()
	u, err := url.Parse(srv.URL())
	require.NoError(t, err)
	conn, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	defer conn.Close()
	body := params.Encode()
	req := "POST /api/" + method + " HTTP/1.1\r\nHost: " + u.Host + "\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
	_, err = conn.Write([]byte(req))
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(readFor)))
	got, err := io.ReadAll(conn)
	return got, err
}

// wireHead is the status line and header block slacktest writes for a cut
// JSON answer of n bytes.
func wireHead(n int) string {
	return "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + strconv.Itoa(n) +
		"\r\nContent-Type: application/json; charset=utf-8\r\n\r\n"
}

func TestFaultResetWithoutAnswer(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	srv.Inject(slacktest.Fault{Method: "team.info", Kind: slacktest.FaultReset, Times: 2})

	got, err := rawCall(t, srv, "team.info", form("token", tok), 5*time.Second)
	require.Empty(t, got)
	require.ErrorIs(t, err, syscall.ECONNRESET)

	_, err = slackClient(srv, tok).GetTeamInfo()
	require.ErrorIs(t, err, syscall.ECONNRESET)
	require.Equal(t, 2, srv.Faulted("team.info"))
	require.Equal(t, http.StatusOK, call(t, srv, "team.info", form("token", tok)).Status)
}

func TestFaultResetAfterPartOfTheHeaders(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	p := form("token", tok, "limit", "3")
	real := call(t, srv, "users.list", p).Body
	head := wireHead(len(real))

	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultResetHeaders})
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultResetHeaders, CutAt: 20})
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultResetHeaders, CutAt: 10_000})
	for _, want := range []string{head[:len(head)/2], head[:20], head} {
		got, err := rawCall(t, srv, "users.list", p, 5*time.Second)
		require.Equal(t, want, string(got))
		require.ErrorIs(t, err, syscall.ECONNRESET)
	}

	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultResetHeaders})
	_, err := slackClient(srv, tok).GetUsersPaginated(slack.GetUsersOptionLimit(3)).Next(context.Background())
	require.Error(t, err)
}

func TestFaultResetMidBody(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	p := form("token", tok, "limit", "3")
	real := string(call(t, srv, "users.list", p).Body)

	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultResetBody, CutAt: 100})
	got, err := rawCall(t, srv, "users.list", p, 5*time.Second)
	require.Equal(t, wireHead(len(real))+real[:100], string(got))
	require.ErrorIs(t, err, syscall.ECONNRESET)

	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultResetBody})
	resp, err := http.PostForm(srv.URL()+"users.list", p)
	require.NoError(t, err, "the headers arrive whole")
	require.Equal(t, int64(len(real)), resp.ContentLength)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Error(t, err)
	require.Equal(t, real[:len(real)/2], string(body))
}

func TestFaultResetAfterAWrite(t *testing.T) {
	// A write whose answer is lost still happened: the unknown outcome.
	srv, _ := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	o := srv.Org()
	tok := addToken(srv, o.UserToken(o.AdminToken().UserID, "chat:write"))
	channel := channel(t, o, o.Teams[0].ID, "general").ID
	srv.Inject(slacktest.Fault{Method: "chat.postMessage", Kind: slacktest.FaultResetBody})
	_, _, err := slackClient(srv, tok).PostMessage(channel, slack.MsgOptionText("hello", false))
	require.Error(t, err)
	msgs := o.Messages()
	require.Len(t, msgs, 1, "the message was posted")
	require.Equal(t, "hello", msgs[0].Text)

	srv.Inject(slacktest.Fault{Method: "chat.postMessage", Kind: slacktest.FaultReset})
	_, _, err = slackClient(srv, tok).PostMessage(channel, slack.MsgOptionText("again", false))
	require.ErrorIs(t, err, syscall.ECONNRESET)
	require.Len(t, o.Messages(), 1, "a bare reset runs nothing")
}

func TestFaultHangHoldsUntilTheClientGivesUp(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultHang})
	const deadline = 300 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	_, err := slackClient(srv, tok).GetUsersPaginated(slack.GetUsersOptionLimit(3)).Next(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.GreaterOrEqual(t, time.Since(start), deadline, "the hang held until the client's deadline")
	require.Eventually(t, func() bool { return !heldCalls() }, 5*time.Second, 10*time.Millisecond,
		"the server lets go of a call whose client gave up")
	require.Equal(t, http.StatusOK, call(t, srv, "users.list", form("token", tok)).Status)
}

func TestFaultHangEndsWithClose(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMPatchUser, Kind: slacktest.FaultHang})
	srv.Inject(slacktest.Fault{Method: "team.info", Kind: slacktest.FaultStallBody})
	errs := make(chan error, 2)
	go func() {
		req, _ := http.NewRequest(http.MethodPatch, srv.SCIMURL()+"Users/"+srv.Org().Users[1].ID, strings.NewReader(`{}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errs <- err
	}()
	go func() {
		resp, err := http.PostForm(srv.URL()+"team.info", form("token", tok))
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		errs <- err
	}()
	require.Eventually(t, func() bool {
		return srv.Faulted(slacktest.SCIMPatchUser) == 1 && srv.Faulted("team.info") == 1 && heldCalls()
	}, 5*time.Second, time.Millisecond, "both calls are held")

	closed := make(chan struct{})
	go func() { srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited on hung calls")
	}
	require.Eventually(t, func() bool { return !heldCalls() }, time.Second, time.Millisecond, "no handler outlives Close")
	for range 2 {
		require.Error(t, <-errs, "the connection closed without a (whole) answer")
	}
}

// heldCalls reports whether any goroutine is held by a slacktest fault.
func heldCalls() bool {
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	return strings.Contains(stacks, "slacktest.(*call).hang") || strings.Contains(stacks, "slacktest.(*call).stallBody")
}

func TestFaultHangWithDelayAnswersLate(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false), slacktest.WithTimeScale(0.01))
	real := call(t, srv, "team.info", form("token", tok)).Body
	srv.Inject(slacktest.Fault{Method: "team.info", Kind: slacktest.FaultHang, Delay: 20 * time.Second}) // 200 ms at 0.01
	start := time.Now()
	r := call(t, srv, "team.info", form("token", tok))
	require.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond)
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, string(real), string(r.Body))
}

func TestFaultStallMidBody(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	p := form("token", tok, "limit", "3")
	real := string(call(t, srv, "users.list", p).Body)

	// Raw: the headers and 100 bytes, then nothing until the reader's deadline.
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultStallBody, CutAt: 100})
	got, err := rawCall(t, srv, "users.list", p, 300*time.Millisecond)
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	want := "HTTP/1.1 200 OK\r\nContent-Length: " + strconv.Itoa(len(real)) + "\r\nContent-Type: application/json; charset=utf-8\r\nDate: "
	require.True(t, strings.HasPrefix(string(got), want), "%q", got)
	require.True(t, strings.HasSuffix(string(got), "\r\n\r\n"+real[:100]), "%q", got)

	// slack-go: the headers arrive, the body read holds until the deadline.
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultStallBody})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = slackClient(srv, tok).GetUsersPaginated(slack.GetUsersOptionLimit(3)).Next(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Eventually(t, func() bool { return !heldCalls() }, 5*time.Second, 10*time.Millisecond)
}

func TestFaultStallWithDelayCompletes(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false), slacktest.WithTimeScale(0.01))
	p := form("token", tok, "limit", "3")
	real := string(call(t, srv, "users.list", p).Body)
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultStallBody, CutAt: 10, Delay: 20 * time.Second})
	start := time.Now()
	r := call(t, srv, "users.list", p)
	require.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond)
	require.Equal(t, real, string(r.Body))
}

func TestFaultTruncate(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	p := form("token", tok, "limit", "3")
	real := string(call(t, srv, "users.list", p).Body)

	// A true Content-Length: a whole HTTP answer whose JSON ends early.
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultTruncate, CutAt: 120})
	r := call(t, srv, "users.list", p)
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, "120", r.Header.Get("Content-Length"))
	require.Equal(t, real[:120], string(r.Body))
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultTruncate})
	_, err := slackClient(srv, tok).GetUsersPaginated(slack.GetUsersOptionLimit(3)).Next(context.Background())
	require.ErrorIs(t, err, io.ErrUnexpectedEOF, "slack-go's decoder meets the end of the body")

	// A lying Content-Length: the whole length is declared, the connection closes after the cut.
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultTruncate, CutAt: 120, LyingLength: true})
	got, err := rawCall(t, srv, "users.list", p, 5*time.Second)
	require.NoError(t, err, "closed, not reset")
	require.Equal(t, wireHead(len(real))+real[:120], string(got))

	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultTruncate, LyingLength: true})
	resp, err := http.PostForm(srv.URL()+"users.list", p)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	require.Equal(t, real[:len(real)/2], string(body))
	require.Empty(t, srv.PendingFaults())
}

func TestFaultConnectionKindsOnSCIM(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 4, Users: 50}, slacktest.WithRateLimits(false))
	id := srv.Org().Users[1].ID
	real := scimDo(t, srv, http.MethodGet, "Users/"+id, tok, nil).Body
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMGetUser, Kind: slacktest.FaultTruncate, CutAt: 50})
	r := scimDo(t, srv, http.MethodGet, "Users/"+id, tok, nil)
	require.Equal(t, string(real[:50]), string(r.Body))

	srv.Inject(slacktest.Fault{Method: slacktest.SCIMGetUser, Kind: slacktest.FaultReset})
	req, _ := http.NewRequest(http.MethodGet, srv.SCIMURL()+"Users/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	tr := &http.Transport{DisableKeepAlives: true} // a fresh connection: Go retries nothing
	defer tr.CloseIdleConnections()
	_, err := (&http.Client{Transport: tr}).Do(req)
	require.True(t, errors.Is(err, syscall.ECONNRESET), "%v", err)
}

func TestFaultCutsOnSCIMWrites(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 4, Users: 50}, slacktest.WithRateLimits(false))
	o := srv.Org()
	people := []*slacktest.User{}
	for _, u := range o.CurrentUsers() {
		if u.IsHuman() && !u.IsOwner && !u.IsAdmin {
			people = append(people, u)
		}
	}

	// A 204 has no body to cut: the DELETE is answered as is, the fault waits.
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMDeleteUser, Kind: slacktest.FaultTruncate})
	r := scimDo(t, srv, http.MethodDelete, "Users/"+people[0].ID, tok, nil)
	require.Equal(t, http.StatusNoContent, r.Status)
	require.Zero(t, srv.Faulted(slacktest.SCIMDeleteUser))
	require.Len(t, srv.PendingFaults(), 1)
	// The next DELETE fails (404 with a SCIM error body), and that body is cut.
	r = scimDo(t, srv, http.MethodDelete, "Users/UNOSUCH", tok, nil)
	require.Equal(t, http.StatusNotFound, r.Status)
	require.False(t, json.Valid(r.Body))
	require.True(t, strings.HasPrefix(string(r.Body), `{"schemas":[`))
	require.Equal(t, 1, srv.Faulted(slacktest.SCIMDeleteUser))

	// A PATCH whose answer is lost mid-headers still deactivated the account.
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMPatchUser, Kind: slacktest.FaultResetHeaders})
	req, _ := http.NewRequest(http.MethodPatch, srv.SCIMURL()+"Users/"+people[1].ID, strings.NewReader(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/scim+json")
	_, err := http.DefaultClient.Do(req)
	require.Error(t, err)
	require.True(t, o.User(people[1].ID).Deleted, "the write happened; only its answer was lost")
}
