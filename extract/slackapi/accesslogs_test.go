package slackapi_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// listingModel is what reading rows (in Slack's order) by cursor pages of
// size costs when Slack refuses a listing's page past the capth: every
// listing reads cap full pages and has its next page refused, then starts
// again at the first row first seen at or before the oldest row read,
// re-reading the rows of that second it already has.
func listingModel(rows []slacktest.AccessLog, size, pageCap int) (restarts, reread int) {
	start := 0
	for start+size*pageCap < len(rows) {
		end := start + size*pageCap // rows read by this listing: [start, end)
		oldest := rows[end-1].DateFirst
		next := end
		for next > start && rows[next-1].DateFirst == oldest {
			next--
		}
		restarts++
		reread += end - next
		start = next
	}
	return restarts, reread
}

func TestAccessLogsRestartCostsTheRefusedCallOnly(t *testing.T) {
	const size, pageCap = 40, 10
	org := slacktest.NewOrg(slacktest.Config{Seed: 7, Users: 3000})
	srv := slacktest.NewServer(org, slacktest.WithTimeScale(testScale), slacktest.WithRateLimits(false),
		slacktest.WithAccessLogsPageCap(pageCap))
	t.Cleanup(srv.Close)
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: org.AdminToken().Value, TimeScale: testScale})
	require.NoError(t, err)
	team := org.Teams[0].ID
	rows := org.AccessLogs(team)

	ctx, stats := slackapi.WithStats(context.Background())
	seen := map[string]bool{}
	for l, err := range c.AccessLogs(ctx, slackapi.ListAccessLogs{TeamID: team, PageSize: size}) {
		require.NoError(t, err)
		k := l.UserID + "|" + l.IP + "|" + l.UserAgent
		require.False(t, seen[k], "row %s listed twice", k)
		seen[k] = true
	}
	assert.Len(t, seen, len(rows), "every row once")
	assert.Zero(t, stats.Duplicates(), "the rows a restart re-reads are expected, not Slack listing twice")

	restarts, reread := listingModel(rows, size, pageCap)
	require.Greater(t, restarts, 5, "the listing crosses the cap many times")
	require.Positive(t, reread, "restarts meet rows sharing a second")
	pages := (len(rows) + reread + size - 1) / size
	assert.Equal(t, pages+restarts, srv.Calls("team.accessLogs"),
		"pages of the rows plus those re-read at each restart's second, plus one refused call per restart")
	t.Logf("%d rows: %d calls = %d pages (⌈rows/size⌉ = %d) + %d restarts; %d rows re-read",
		len(rows), srv.Calls("team.accessLogs"), pages, (len(rows)+size-1)/size, restarts, reread)
}

func TestAccessLogsPageByCursorPastPage100WhileSlackServes(t *testing.T) {
	org := slacktest.NewOrg(slacktest.Config{Seed: 7, Users: 3000})
	srv := slacktest.NewServer(org, slacktest.WithTimeScale(testScale), slacktest.WithRateLimits(false))
	t.Cleanup(srv.Close)
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: org.AdminToken().Value, TimeScale: testScale})
	require.NoError(t, err)
	team := org.Teams[0].ID
	rows := org.AccessLogs(team)
	const size = 20
	require.Greater(t, len(rows), 100*size, "more pages than classic paging serves")
	n := 0
	for _, err := range c.AccessLogs(context.Background(), slackapi.ListAccessLogs{TeamID: team, PageSize: size}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, len(rows), n)
	assert.Equal(t, (len(rows)+size-1)/size, srv.Calls("team.accessLogs"), "one listing, no restart")
}
