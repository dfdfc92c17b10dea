package slacktest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

func TestFaultMalformedBody(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	p := form("token", tok, "limit", "3")
	real := string(call(t, srv, "users.list", p).Body)

	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultMalformed})
	r := call(t, srv, "users.list", p)
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
	require.Equal(t, real[:len(real)-1]+"]", string(r.Body), "every item, then a wrong closing byte")
	require.False(t, json.Valid(r.Body))

	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultMalformed})
	_, err := slackClient(srv, tok).GetUsersPaginated(slack.GetUsersOptionLimit(3)).Next(context.Background())
	var syntax *json.SyntaxError
	require.ErrorAs(t, err, &syntax, "slack-go cannot decode it")

	// Body replaces the answer, as with FaultStatus.
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultMalformed, Body: `{"ok":true,"members":[{"id":`})
	require.Equal(t, `{"ok":true,"members":[{"id":`, string(call(t, srv, "users.list", p).Body))
	require.Equal(t, 3, srv.Faulted("users.list"))
}

func TestFaultMalformedAnalyticsFile(t *testing.T) {
	srv, tok := newGrid(t, 60, 2)
	p := form("token", tok.Value, "type", "member", "date", analyticsDay(t, srv))
	real := call(t, srv, "admin.analytics.getFile", p)
	zr, err := gzip.NewReader(bytes.NewReader(real.Body))
	require.NoError(t, err)
	_, err = io.ReadAll(zr)
	require.NoError(t, err)

	srv.Inject(slacktest.Fault{Method: "admin.analytics.getFile", Kind: slacktest.FaultMalformed})
	r := call(t, srv, "admin.analytics.getFile", p)
	require.Equal(t, "application/gzip", r.Header.Get("Content-Type"))
	require.Equal(t, real.Body[:len(real.Body)-1], r.Body[:len(r.Body)-1])
	require.Equal(t, real.Body[len(real.Body)-1]^0x20, r.Body[len(r.Body)-1])
	zr, err = gzip.NewReader(bytes.NewReader(r.Body))
	require.NoError(t, err)
	_, err = io.ReadAll(zr)
	require.ErrorIs(t, err, gzip.ErrChecksum, "the file fails its length check")
}

// analyticsDay is a day whose member analytics file exists.
func analyticsDay(t *testing.T, srv *slacktest.Server) string {
	t.Helper()
	return srv.Org().Now.AddDate(0, 0, -3).UTC().Format("2006-01-02")
}

func TestFaultHTMLPageWithStatus200(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	srv.Inject(slacktest.Fault{Method: "team.info", Kind: slacktest.FaultHTML200})
	r := call(t, srv, "team.info", form("token", tok))
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, "text/html; charset=utf-8", r.Header.Get("Content-Type"))
	require.True(t, strings.HasPrefix(string(r.Body), "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Sign in to the network</title>"), "%s", r.Body)

	srv.Inject(slacktest.Fault{Method: "team.info", Kind: slacktest.FaultHTML200, Body: "<html><body>Proxy error</body></html>"})
	_, err := slackClient(srv, tok).GetTeamInfo()
	var syntax *json.SyntaxError
	require.ErrorAs(t, err, &syntax, "slack-go tries to decode the page")

	srv.Inject(slacktest.Fault{Method: slacktest.SCIMListUsers, Kind: slacktest.FaultHTML200})
	r = scimDo(t, srv, http.MethodGet, "Users", tok, nil)
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, "text/html; charset=utf-8", r.Header.Get("Content-Type"))
	require.Contains(t, string(r.Body), "Accept the terms of use")
}

func TestFaultEchoedTokenInAnError(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	srv.Inject(slacktest.Fault{Method: "team.info", Kind: slacktest.FaultEchoToken, Error: "invalid_arguments"})
	r := call(t, srv, "team.info", form("token", tok))
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, `{"ok":false,"error":"invalid_arguments","warning":"arguments_echoed: token=`+tok+
		`","response_metadata":{"messages":["[ERROR] invalid_arguments: token=`+tok+`"]}}`, string(r.Body))

	// Through a bearer header too, and through slack-go's error value.
	srv.Inject(slacktest.Fault{Method: "team.info", Kind: slacktest.FaultEchoToken, Error: "invalid_arguments", Status: http.StatusBadRequest})
	r = callJSON(t, srv, "team.info", tok, map[string]any{})
	require.Equal(t, http.StatusBadRequest, r.Status)
	require.Equal(t, 2, strings.Count(string(r.Body), tok))

	srv.Inject(slacktest.Fault{Method: "team.info", Kind: slacktest.FaultEchoToken, Error: "fatal_error"})
	_, err := slackClient(srv, tok).GetTeamInfo()
	se := requireSlackError(t, err, "fatal_error")
	require.Equal(t, []string{"[ERROR] fatal_error: token=" + tok}, se.ResponseMetadata.Messages)

	srv.Inject(slacktest.Fault{Method: slacktest.SCIMPatchUser, Kind: slacktest.FaultEchoToken})
	r = scimDo(t, srv, http.MethodPatch, "Users/"+srv.Org().Users[1].ID, tok, deactivateOp(false))
	e := requireSCIMError(t, r, http.StatusBadRequest, "invalid_arguments")
	require.Equal(t, "invalid_arguments: request arguments echoed: token="+tok, e.Detail)
	require.False(t, srv.Org().User(srv.Org().Users[1].ID).Deleted, "an echoed error changes nothing")
}

func TestFaultEchoedTokenInASuccess(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 20}, slacktest.WithRateLimits(false))
	p := form("token", tok, "limit", "3")
	real := call(t, srv, "users.list", p)
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultEchoToken})
	r := call(t, srv, "users.list", p)
	var want, got map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(real.Body, &want))
	require.NoError(t, json.Unmarshal(r.Body, &got))
	require.True(t, strings.HasPrefix(string(r.Body), `{"ok":true,"warning":"arguments_echoed: token=`+tok+`","members":[`), "%.200s", r.Body)
	require.JSONEq(t, string(want["members"]), string(got["members"]))
	var meta struct {
		NextCursor string   `json:"next_cursor"`
		Messages   []string `json:"messages"`
	}
	require.NoError(t, json.Unmarshal(got["response_metadata"], &meta))
	require.Equal(t, []string{"[WARN] request arguments: token=" + tok}, meta.Messages)
	require.Equal(t, nextCursor(real.Body), meta.NextCursor, "paging goes on")

	// slack-go reads the page as usual: the echo is only in what it does not show.
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultEchoToken})
	page, err := slackClient(srv, tok).GetUsersPaginated(slack.GetUsersOptionLimit(3)).Next(context.Background())
	require.NoError(t, err)
	require.Len(t, page.Users, 3)
	require.Equal(t, nextCursor(real.Body), page.Cursor)
	require.Equal(t, 2, srv.Faulted("users.list"))
}
