package extract_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// Answers that are not Slack's, or that break off: each error says what
// came and names the method, whatever the call.

func TestHTMLPageWithStatus200SaysWhatCame(t *testing.T) {
	t.Parallel()
	f := newFixture(t, slacktest.Config{Seed: 2, Users: 50, Plan: slacktest.PlanEnterprise})
	f.srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultHTML200})
	_, err := extractAll(t, extract.Users{Client: f.client, TeamID: f.org.Teams[0].ID})
	require.Error(t, err)
	assert.Equal(t, "users.list (team "+f.org.Teams[0].ID+`): an HTML page came instead of Slack's answer (HTTP 200, Content-Type "text/html; charset=utf-8"): `+
		"a proxy, a captive portal or an --api-url that is not Slack's Web API answered — check --api-url and the network", err.Error())
	e, ok := slackapi.AsError(err)
	require.True(t, ok)
	assert.Equal(t, slackapi.KindNetwork, e.Kind)
	assert.Equal(t, 1, f.srv.Calls("users.list"), "a page from a portal is not asked for again")

	// A file download says the same.
	org := f.org.OrgToken("admin.analytics:read")
	f.srv.AddToken(org)
	f.srv.Inject(slacktest.Fault{Method: "admin.analytics.getFile", Kind: slacktest.FaultHTML200})
	day := f.org.Now.AddDate(0, 0, -3).Truncate(24 * time.Hour)
	_, err = extractAll(t, &extract.MemberActivity{Client: newClient(t, f.srv, org.Value), EnterpriseID: f.org.EnterpriseID, Days: []time.Time{day}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "admin.analytics.getFile (team "+f.org.EnterpriseID+"): an HTML page came instead of Slack's answer")
	assert.Contains(t, err.Error(), "(date "+day.Format(time.DateOnly)+")")
}

func TestHTMLPageAnsweringAWriteLeavesItsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	f := newFixture(t, slacktest.Config{Seed: 2, Users: 50})
	bot := f.org.BotToken("chat:write")
	f.srv.AddToken(bot)
	f.srv.Inject(slacktest.Fault{Method: "chat.postMessage", Kind: slacktest.FaultHTML200})
	var r struct{ slackapi.Envelope }
	err := newClient(t, f.srv, bot.Value).Call(context.Background(), "chat.postMessage", "", url.Values{"channel": {f.org.AdminToken().UserID}, "text": {"hi"}}, &r)
	require.Error(t, err)
	assert.True(t, errors.Is(err, slackapi.ErrOutcomeUnknown), "%v", err)
	assert.Contains(t, err.Error(), "chat.postMessage: an HTML page came instead of Slack's answer")
	assert.Equal(t, 1, f.srv.Calls("chat.postMessage"), "a message is never sent twice")
}

func TestAnswerBrokenOffIsRetriedThenNamedANetworkFailure(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fault slacktest.Fault
		want  string
	}{
		{"closed before its declared length", slacktest.Fault{Method: "team.billableInfo", Kind: slacktest.FaultTruncate, LyingLength: true},
			"the connection broke off mid-answer: after 5 attempts: unexpected EOF"},
		{"reset mid-body", slacktest.Fault{Method: "team.billableInfo", Kind: slacktest.FaultResetBody},
			"the connection broke off mid-answer: after 5 attempts: read tcp "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, slacktest.Config{Seed: 2, Users: 50}, slacktest.WithRateLimits(false))
			team := f.org.Teams[0].ID
			once := tc.fault
			f.srv.Inject(once)
			got, err := extractAll(t, extract.Billable{Client: f.client, TeamID: team})
			require.NoError(t, err, "one broken answer is asked for again")
			assert.Equal(t, 50, got.rows)

			always := tc.fault
			always.Times = slacktest.Forever
			f.srv.Inject(always)
			_, err = extractAll(t, extract.Billable{Client: f.client, TeamID: team})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "team.billableInfo (team "+team+"): "+tc.want)
			assert.Contains(t, err.Error(), "— check --api-url and the network")
			assert.NotContains(t, err.Error(), "malformed")
			e, ok := slackapi.AsError(err)
			require.True(t, ok)
			assert.Equal(t, slackapi.KindNetwork, e.Kind)
		})
	}
}

// A download's JSON answer (a day not ready yet) is read whole by the
// transport, so a stall in it is retried like any answer's.
func TestStallInADownloadsJSONAnswerIsRetried(t *testing.T) {
	t.Parallel()
	f, _ := gridFixture(t, 60, slacktest.WithRateLimits(false))
	tok := f.org.OrgToken("admin.analytics:read")
	f.srv.AddToken(tok)
	c, err := slackapi.New(slackapi.Config{APIURL: f.srv.URL(), Token: tok.Value, TimeScale: testScale, NoRateLimit: true,
		StallTimeout: 100 * time.Millisecond, Logger: quiet})
	require.NoError(t, err)
	f.srv.Inject(slacktest.Fault{Method: "admin.analytics.getFile", Kind: slacktest.FaultStallBody})
	src := &extract.MemberActivity{Client: c, EnterpriseID: f.org.EnterpriseID, Days: days(f, 0)}
	got, err := extractAll(t, src)
	require.NoError(t, err)
	assert.Zero(t, got.rows)
	assert.Contains(t, src.Note(), "not yet available from Slack")
	assert.Equal(t, 2, f.srv.Calls("admin.analytics.getFile"), "the stalled answer, then a whole one")
}

// A download that breaks off mid-file is fetched again and read on after
// the lines already landed: the day lands whole, each person once.
func TestDownloadBrokenOffMidFileResumes(t *testing.T) {
	t.Parallel()
	f, _ := gridFixture(t, 300, slacktest.WithRateLimits(false))
	tok := f.org.OrgToken("admin.analytics:read")
	f.srv.AddToken(tok)
	c, err := slackapi.New(slackapi.Config{APIURL: f.srv.URL(), Token: tok.Value, TimeScale: testScale, NoRateLimit: true,
		StallTimeout: 100 * time.Millisecond, Logger: quiet})
	require.NoError(t, err)
	day := days(f, 3)
	read := func() (*table, int64, error) {
		ctx, st := slackapi.WithStats(context.Background())
		got, err := extractAllCtx(t, ctx, &extract.MemberActivity{Client: c, EnterpriseID: f.org.EnterpriseID, Days: day})
		return got, st.Duplicates(), err
	}
	whole, _, err := read()
	require.NoError(t, err)
	require.Greater(t, whole.rows, 100)

	for _, fault := range []slacktest.Fault{
		{Method: "admin.analytics.getFile", Kind: slacktest.FaultResetBody},
		{Method: "admin.analytics.getFile", Kind: slacktest.FaultStallBody, Times: 2, CutAt: 3000},
		{Method: "admin.analytics.getFile", Kind: slacktest.FaultTruncate, LyingLength: true, CutAt: 10},
	} {
		f.srv.ResetCalls()
		f.srv.Inject(fault)
		got, dups, err := read()
		require.NoError(t, err, "%s", fault.Kind)
		assert.Equal(t, whole.cols, got.cols, "%s: the day lands whole, in order", fault.Kind)
		assert.Zero(t, dups, "%s: lines read again are not repeats", fault.Kind)
		assert.Equal(t, max(fault.Times, 1)+1, f.srv.Calls("admin.analytics.getFile"), "%s", fault.Kind)
	}

	f.srv.Inject(slacktest.Fault{Method: "admin.analytics.getFile", Kind: slacktest.FaultResetBody, Times: slacktest.Forever})
	_, _, err = read()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "admin.analytics.getFile (team "+f.org.EnterpriseID+"): the connection broke off mid-answer: after 5 attempts: read tcp ")
	assert.Contains(t, err.Error(), "(date "+day[0].Format(time.DateOnly)+", mid-file) — check --api-url and the network")
	f.srv.ClearFaults()

	f.srv.Inject(slacktest.Fault{Method: "admin.analytics.getFile", Kind: slacktest.FaultStallBody, Times: slacktest.Forever})
	_, _, err = read()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "admin.analytics.getFile (team "+f.org.EnterpriseID+"): no answer from Slack for 100 ms, 5 times (date "+
		day[0].Format(time.DateOnly)+", mid-file)")
	f.srv.ClearFaults()
}

// Each failed day names itself once, and an error another data set's
// failure cancelled the downloads with comes back as it was.
func TestAnalyticsErrorsNameTheirOwnDayOnly(t *testing.T) {
	t.Parallel()
	f, c := gridFixture(t, 60, slacktest.WithRateLimits(false))
	f.srv.Inject(slacktest.Fault{Method: "admin.analytics.getFile", Status: 503, Times: slacktest.Forever})
	_, err := extractAll(t, &extract.MemberActivity{Client: c, EnterpriseID: f.org.EnterpriseID, Days: days(f, 2, 3, 4, 5, 6, 7)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "admin.analytics.getFile (team "+f.org.EnterpriseID+"): HTTP 503 from Slack (date 2026-11-")
	assert.Equal(t, 1, strings.Count(err.Error(), "(date "), err.Error())
	f.srv.ClearFaults()

	// Slack's code alone, then the day.
	f.srv.Inject(slacktest.Fault{Method: "admin.analytics.getFile", Kind: slacktest.FaultEchoToken, Error: "invalid_auth"})
	_, err = extractAll(t, &extract.MemberActivity{Client: c, EnterpriseID: f.org.EnterpriseID, Days: days(f, 4)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "admin.analytics.getFile (team "+f.org.EnterpriseID+"): invalid_auth: date "+days(f, 4)[0].Format(time.DateOnly)+
		" — Slack does not recognise the token")

	sibling := &slackapi.Error{Method: "admin.users.list", TeamID: f.org.EnterpriseID, Kind: slackapi.KindMalformed, Detail: "paging stopped"}
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(sibling)
	_, err = extractAllCtx(t, ctx, &extract.MemberActivity{Client: c, EnterpriseID: f.org.EnterpriseID, Days: days(f, 2, 3, 4)})
	assert.Same(t, sibling, err)
	assert.Equal(t, "paging stopped", sibling.Detail)
}
