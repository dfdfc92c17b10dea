package extract_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// windowRows is what the org holds for a window: rows last seen in it, however
// long ago they were first seen.
func windowRows(org *slacktest.Org, team string, since, before time.Time) map[string]slacktest.AccessLog {
	out := map[string]slacktest.AccessLog{}
	for _, l := range org.AccessLogs(team) {
		if l.DateLast >= since.Unix() && l.DateFirst <= before.Unix() {
			out[l.UserID+"|"+l.IP+"|"+l.UserAgent] = l
		}
	}
	return out
}

func TestAccessLogsReadTheWholeWindowPastThePageCap(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 7, Users: 3000}, slacktest.WithRateLimits(false))
	team := f.org.Teams[0].ID
	since, before := f.org.Now.AddDate(0, 0, -90), f.org.Now
	want := windowRows(f.org, team, since, before)
	// 40 rows a page and at most 10 pages: 400 rows a pass, so the source has
	// to restart with before = the oldest row many times, crossing the
	// synthetic org's SSO cut-over, where hundreds of rows share one instant.
	src := extract.AccessLogs{Client: f.client, TeamID: team, Since: since, Before: before, PageSize: 40, MaxPages: 10}
	got, err := extractAll(t, src)
	require.NoError(t, err)
	require.Greater(t, len(want), 1000)
	oldFirst := 0
	for _, l := range want {
		if l.DateFirst < since.Unix() {
			oldFirst++
		}
	}
	require.Positive(t, oldFirst, "some rows in the window were first seen before it")
	total := len(f.org.AccessLogs(team))
	assert.Equal(t, len(want), got.rows, "every row of the window, no more")
	seen := map[string]bool{}
	for i := range got.rows {
		k := fmt.Sprintf("%s|%s|%s", got.cols["user_id"][i], got.cols["ip"][i], got.cols["user_agent"][i])
		require.False(t, seen[k], "duplicate row %s", k)
		seen[k] = true
		w, ok := want[k]
		require.True(t, ok, "row %s is outside the window", k)
		assert.Equal(t, time.Unix(w.DateLast, 0).UTC(), got.cols["last_seen_at"][i].(time.Time).UTC())
		assert.EqualValues(t, w.Count, got.cols["count"][i])
		if w.ISP == nil {
			assert.Nil(t, got.cols["isp"][i])
		} else {
			assert.Equal(t, *w.ISP, got.cols["isp"][i])
		}
	}
	pages := f.srv.Calls("team.accessLogs")
	assert.Greater(t, pages, 10, "the cap was passed")
	assert.LessOrEqual(t, pages, total/40+total/400+2, "the whole log once; restarts re-read at most a page each")
}

func TestAccessLogsWithSlacksRealLimits(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 7, Users: 400}, slacktest.WithRateLimits(false))
	team := f.org.Teams[0].ID
	since := f.org.Now.AddDate(0, 0, -90)
	got, err := extractAll(t, extract.AccessLogs{Client: f.client, TeamID: team, Since: since})
	require.NoError(t, err)
	assert.Equal(t, len(windowRows(f.org, team, since, f.org.Now)), got.rows)
	assert.Equal(t, (len(f.org.AccessLogs(team))+999)/1000, f.srv.Calls("team.accessLogs"), "pages of 1,000 rows")
}

func TestAccessLogsLoopThatStopsMakingProgressIsReported(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 7, Users: 3000}, slacktest.WithRateLimits(false))
	// 20 rows a pass cannot get past the hundreds that share the SSO cut-over instant.
	src := extract.AccessLogs{Client: f.client, TeamID: f.org.Teams[0].ID, Since: f.org.Now.AddDate(0, 0, -90), PageSize: 10, MaxPages: 2}
	_, err := extractAll(t, src)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "team.accessLogs")
	assert.Contains(t, err.Error(), "stopped making progress")
}

func TestAccessLogsOnFreeArePaidOnly(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 7, Users: 50, Plan: slacktest.PlanFree})
	_, err := extractAll(t, extract.AccessLogs{Client: f.client, TeamID: f.org.Teams[0].ID, Since: f.org.Now.AddDate(0, 0, -90)})
	e, ok := slackapi.AsError(err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "paid_only", e.Code)
	assert.True(t, e.Unavailable())
}
