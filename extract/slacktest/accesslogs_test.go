package slacktest_test

import (
	"encoding/base64"
	"net/netip"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

type loginJS struct {
	UserID    string  `json:"user_id"`
	Username  string  `json:"username"`
	DateFirst *int64  `json:"date_first"`
	DateLast  *int64  `json:"date_last"`
	Count     *int    `json:"count"`
	IP        string  `json:"ip"`
	UserAgent string  `json:"user_agent"`
	ISP       *string `json:"isp"`
	Country   *string `json:"country"`
	Region    *string `json:"region"`
}

type pagingJS struct {
	Count int `json:"count"`
	Total int `json:"total"`
	Page  int `json:"page"`
	Pages int `json:"pages"`
}

type accessLogsPage struct {
	OK               bool      `json:"ok"`
	Logins           []loginJS `json:"logins"`
	Paging           *pagingJS `json:"paging"`
	ResponseMetadata *struct {
		NextCursor *string `json:"next_cursor"`
	} `json:"response_metadata"`
}

type loginKey struct{ user, ip, agent string }

func keyOf(l loginJS) loginKey { return loginKey{l.UserID, l.IP, l.UserAgent} }

func toJS(l slacktest.AccessLog) loginJS {
	return loginJS{UserID: l.UserID, Username: l.Username, DateFirst: &l.DateFirst, DateLast: &l.DateLast, Count: &l.Count,
		IP: l.IP, UserAgent: l.UserAgent, ISP: l.ISP, Country: l.Country, Region: l.Region}
}

func accessLogs(t testing.TB, srv *slacktest.Server, kv ...string) accessLogsPage {
	t.Helper()
	p := decode[accessLogsPage](t, call(t, srv, "team.accessLogs", form(kv...)))
	require.True(t, p.OK)
	require.NotNil(t, p.Logins)
	require.NotNil(t, p.ResponseMetadata)
	require.NotNil(t, p.ResponseMetadata.NextCursor)
	return p
}

func TestAccessLogsShape(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 5, Users: 400}, slacktest.WithRateLimits(false))
	o := srv.Org()
	r := call(t, srv, "team.accessLogs", form("token", tok, "count", "1000"))
	page := decode[accessLogsPage](t, r)
	require.True(t, page.OK)
	require.NotNil(t, page.Paging)
	require.Equal(t, pagingJS{Count: 1000, Total: len(page.Logins), Page: 1, Pages: 1}, *page.Paging)
	require.Equal(t, "", *page.ResponseMetadata.NextCursor)
	require.Greater(t, len(page.Logins), 400)
	require.Contains(t, string(r.Body), `"isp":null`, "some ISPs are JSON null")
	require.Contains(t, string(r.Body), `"region":null`)

	agents := map[string]bool{}
	var v4, v6, nullCountry int
	for _, l := range page.Logins {
		u := o.User(l.UserID)
		require.NotNil(t, u, l.UserID)
		require.Equal(t, u.Name, l.Username)
		require.NotNil(t, l.DateFirst)
		require.NotNil(t, l.DateLast)
		require.LessOrEqual(t, *l.DateFirst, *l.DateLast)
		require.GreaterOrEqual(t, *l.Count, 1)
		if *l.DateFirst < *l.DateLast {
			require.GreaterOrEqual(t, *l.Count, 2)
		}
		ip, err := netip.ParseAddr(l.IP)
		require.NoError(t, err, l.IP)
		if ip.Is4() {
			v4++
		} else {
			v6++
		}
		require.NotEmpty(t, l.UserAgent)
		agents[l.UserAgent] = true
		if l.Country == nil {
			nullCountry++
			require.Nil(t, l.Region, "no region without a country")
		} else {
			require.Len(t, *l.Country, 2)
		}
	}
	require.Greater(t, v6, len(page.Logins)/10)
	require.Greater(t, v4, len(page.Logins)/2)
	require.Greater(t, nullCountry, 0)
	require.Greater(t, len(agents), 8, "desktop, web, iOS and Android clients")

	// The helper lists exactly what the server sends.
	want := o.AccessLogs(o.Teams[0].ID)
	require.Len(t, page.Logins, len(want))
	for i := range want {
		require.Equal(t, toJS(want[i]), page.Logins[i])
	}
	require.Nil(t, o.AccessLogs("T0NOPE"))
}

// TestAccessLogsActivity checks the rows against the activity model.
func TestAccessLogsActivity(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{Seed: 9, Users: 3000})
	logs := o.AccessLogs(o.Teams[0].ID)
	now := o.Now.Unix()
	const dayS = 86400
	perUser := map[string][]slacktest.AccessLog{}
	keys := map[loginKey]bool{}
	var in90, older300 int
	firsts := map[int64]int{}
	for i, l := range logs {
		if i > 0 {
			p := logs[i-1]
			require.True(t, p.DateFirst > l.DateFirst || (p.DateFirst == l.DateFirst && p.UserID <= l.UserID),
				"newest date_first first, ties by user ID: %d %+v then %+v", i, p, l)
		}
		k := loginKey{l.UserID, l.IP, l.UserAgent}
		require.False(t, keys[k], "one row per user, IP and user agent: %+v", k)
		keys[k] = true
		perUser[l.UserID] = append(perUser[l.UserID], l)
		if l.DateFirst > now-90*dayS {
			in90++
		}
		if l.DateFirst < now-300*dayS {
			older300++
		}
		require.GreaterOrEqual(t, l.DateFirst, now-401*dayS)
		firsts[l.DateFirst]++
	}
	require.Greater(t, in90, len(logs)/5, "a 90-day window has plenty of rows")
	require.Greater(t, older300, 10, "rows reach back about 400 days")
	maxTie := 0
	for _, n := range firsts {
		maxTie = max(maxTie, n)
	}
	require.Greater(t, maxTie, 20, "an SSO cut-over makes many rows share one date_first")

	for _, u := range o.Users {
		rows := perUser[u.ID]
		if u.LastActive.IsZero() {
			require.Empty(t, rows, "%s never signed in", u.ID)
			continue
		}
		require.NotEmpty(t, rows, "%s %s", u.ID, u.Activity)
		require.LessOrEqual(t, len(rows), 4)
		newest := int64(0)
		for _, l := range rows {
			newest = max(newest, l.DateLast)
			require.GreaterOrEqual(t, l.DateFirst, u.Created.Unix())
			require.True(t, o.ActiveOn(u, time.Unix(l.DateFirst, 0)), "%s first seen on a day they were active", u.ID)
			require.True(t, o.ActiveOn(u, time.Unix(l.DateLast, 0)), "%s last seen on a day they were active", u.ID)
		}
		require.Equal(t, u.LastActive.Unix(), newest, "%s: the newest date_last is LastActive", u.ID)
		switch u.Activity {
		case slacktest.ActivityDaily:
			require.Greater(t, newest, now-2*dayS)
		case slacktest.ActivityDormant:
			require.Less(t, newest, now-28*dayS)
		}
		if u.Deleted {
			require.LessOrEqual(t, newest, u.Updated.Unix(), "nothing after deactivation")
		}
	}
}

func TestAccessLogsClassicPaging(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 2, Users: 600}, slacktest.WithRateLimits(false))
	o := srv.Org()
	want := o.AccessLogs(o.Teams[0].ID)
	// Default count is 100.
	first := accessLogs(t, srv, "token", tok)
	require.Len(t, first.Logins, 100)
	require.Equal(t, 100, first.Paging.Count)
	require.Equal(t, len(want), first.Paging.Total)
	require.Equal(t, (len(want)+99)/100, first.Paging.Pages)
	require.NotEmpty(t, *first.ResponseMetadata.NextCursor, "a classic page also says where to continue")

	var got []loginJS
	for page := 1; ; page++ {
		p := accessLogs(t, srv, "token", tok, "count", "77", "page", strconv.Itoa(page))
		require.Equal(t, page, p.Paging.Page)
		require.Equal(t, len(want), p.Paging.Total)
		got = append(got, p.Logins...)
		if page == p.Paging.Pages {
			require.Empty(t, *p.ResponseMetadata.NextCursor)
			break
		}
		require.Len(t, p.Logins, 77)
	}
	require.Len(t, got, len(want))
	for i := range want {
		require.Equal(t, toJS(want[i]), got[i])
	}
	// Past the last page: no rows, same paging totals.
	p := accessLogs(t, srv, "token", tok, "count", "1000", "page", "3")
	require.Empty(t, p.Logins)
	require.Equal(t, 2, p.Paging.Pages)

	requireError(t, call(t, srv, "team.accessLogs", form("token", tok, "count", "1001")), "over_pagination_limit")
	requireError(t, call(t, srv, "team.accessLogs", form("token", tok, "page", "101")), "over_pagination_limit")
	require.True(t, accessLogs(t, srv, "token", tok, "count", "1000", "page", "100").OK, "page 100 is allowed")
	requireError(t, call(t, srv, "team.accessLogs", form("token", tok, "count", "0")), "invalid_arguments")
	requireError(t, call(t, srv, "team.accessLogs", form("token", tok, "page", "x")), "invalid_arguments")
	requireError(t, call(t, srv, "team.accessLogs", form("token", tok, "before", "yesterday")), "invalid_arguments")
}

func TestAccessLogsBefore(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 2, Users: 300}, slacktest.WithRateLimits(false))
	o := srv.Org()
	want := o.AccessLogs(o.Teams[0].ID)
	pivot := want[len(want)/3].DateFirst
	p := accessLogs(t, srv, "token", tok, "count", "1000", "before", strconv.FormatInt(pivot, 10))
	require.NotEmpty(t, p.Logins)
	require.Equal(t, pivot, *p.Logins[0].DateFirst, "before is inclusive")
	n := 0
	for _, l := range want {
		if l.DateFirst <= pivot {
			n++
		}
	}
	require.Len(t, p.Logins, n)
	require.Equal(t, n, p.Paging.Total)
	// Fractional seconds are accepted.
	q := accessLogs(t, srv, "token", tok, "count", "1000", "before", strconv.FormatInt(pivot, 10)+".999")
	require.Len(t, q.Logins, n)
	// Long ago: nothing.
	require.Empty(t, accessLogs(t, srv, "token", tok, "before", "1000000000").Logins)
}

// TestAccessLogsRestart reads a listing longer than 100 pages the way
// Slack's documentation says: when page 100 is reached, restart with
// before = the oldest date_first seen, and drop rows already read (they
// come again because before is inclusive), keyed by (user_id, ip,
// user_agent) among the rows at exactly that date_first.
func TestAccessLogsRestart(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 4, Users: 1500}, slacktest.WithRateLimits(false))
	o := srv.Org()
	want := o.AccessLogs(o.Teams[0].ID)
	require.Greater(t, len(want), 2*100*10, "needs at least two restarts at 10 a page")

	got, restarts := readWithRestarts(t, srv, tok, 10)
	require.GreaterOrEqual(t, restarts, 2)
	require.Len(t, got, len(want), "no gap, no duplicate")
	seen := map[loginKey]bool{}
	for _, l := range got {
		require.False(t, seen[keyOf(l)])
		seen[keyOf(l)] = true
	}
	for _, l := range want {
		require.True(t, seen[keyOf(toJS(l))], "%+v missing", l)
	}
}

// readWithRestarts reads every row with classic paging, restarting at page
// 100 as a client must.
func readWithRestarts(t *testing.T, srv *slacktest.Server, tok string, count int) ([]loginJS, int) {
	var out []loginJS
	before := ""
	restarts := 0
	oldest := int64(-1)
	atOldest := map[loginKey]bool{}
	for {
		boundary, seenAtBoundary := oldest, atOldest
		for page := 1; page <= 100; page++ {
			kv := []string{"token", tok, "count", strconv.Itoa(count), "page", strconv.Itoa(page)}
			if before != "" {
				kv = append(kv, "before", before)
			}
			p := accessLogs(t, srv, kv...)
			for _, l := range p.Logins {
				if *l.DateFirst == boundary && seenAtBoundary[keyOf(l)] {
					continue
				}
				if oldest < 0 || *l.DateFirst < oldest {
					oldest, atOldest = *l.DateFirst, map[loginKey]bool{}
				}
				if *l.DateFirst == oldest {
					atOldest[keyOf(l)] = true
				}
				out = append(out, l)
			}
			if page >= p.Paging.Pages {
				return out, restarts
			}
		}
		restarts++
		before = strconv.FormatInt(oldest, 10)
	}
}

// TestAccessLogsTieAcrossRestart puts the page-100 boundary inside the
// largest group of rows sharing one date_first.
func TestAccessLogsTieAcrossRestart(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 4, Users: 1500}, slacktest.WithRateLimits(false))
	o := srv.Org()
	want := o.AccessLogs(o.Teams[0].ID)
	// Find the largest tie group and where it starts.
	start, size := 0, 0
	for i := 0; i < len(want); {
		j := i
		for j < len(want) && want[j].DateFirst == want[i].DateFirst {
			j++
		}
		if j-i > size {
			start, size = i, j-i
		}
		i = j
	}
	require.Greater(t, size, 4)
	// Choose before so that the 100th page of 1 row ends inside the group.
	before := want[max(start+size/2-99, 0)].DateFirst
	p := accessLogs(t, srv, "token", tok, "count", "1", "page", "100", "before", strconv.FormatInt(before, 10))
	require.Len(t, p.Logins, 1)
	last := p.Logins[0]
	require.Equal(t, want[start].DateFirst, *last.DateFirst, "page 100 ends inside the tie group")
	// Restarting at that date_first lists the whole group again, first.
	again := accessLogs(t, srv, "token", tok, "count", "1000", "before", strconv.FormatInt(*last.DateFirst, 10))
	require.GreaterOrEqual(t, len(again.Logins), size)
	for i := range size {
		require.Equal(t, toJS(want[start+i]), again.Logins[i])
	}
}

func TestAccessLogsCursor(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 6, Users: 700}, slacktest.WithRateLimits(false))
	o := srv.Org()
	want := o.AccessLogs(o.Teams[0].ID)

	var got []loginJS
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 1000)
		p := accessLogs(t, srv, "token", tok, "limit", "123", "cursor", cursor)
		require.Nil(t, p.Paging, "no paging object in cursor mode")
		got = append(got, p.Logins...)
		cursor = *p.ResponseMetadata.NextCursor
		if cursor == "" {
			break
		}
		require.Len(t, p.Logins, 123)
	}
	require.Len(t, got, len(want))
	for i := range want {
		require.Equal(t, toJS(want[i]), got[i])
	}

	// A cursor keeps the before of the first call.
	before := strconv.FormatInt(want[50].DateFirst, 10)
	p := accessLogs(t, srv, "token", tok, "limit", "10", "before", before)
	require.Equal(t, want[50].DateFirst, *p.Logins[0].DateFirst)
	next := accessLogs(t, srv, "token", tok, "cursor", *p.ResponseMetadata.NextCursor)
	require.Len(t, next.Logins, 100, "default limit")
	require.LessOrEqual(t, *next.Logins[0].DateFirst, *p.Logins[9].DateFirst)

	// A classic page's next_cursor continues in cursor mode.
	c1 := accessLogs(t, srv, "token", tok, "count", "40")
	c2 := accessLogs(t, srv, "token", tok, "limit", "5", "cursor", *c1.ResponseMetadata.NextCursor)
	for i := range 5 {
		require.Equal(t, toJS(want[40+i]), c2.Logins[i])
	}

	requireError(t, call(t, srv, "team.accessLogs", form("token", tok, "limit", "0")), "invalid_limit")
	requireError(t, call(t, srv, "team.accessLogs", form("token", tok, "limit", "1001")), "invalid_limit")
	requireError(t, call(t, srv, "team.accessLogs", form("token", tok, "limit", "10", "cursor", "bm9wZQ==")), "invalid_cursor")
	bad := base64.StdEncoding.EncodeToString([]byte("logins:1:2:U0NOBODY:0"))
	requireError(t, call(t, srv, "team.accessLogs", form("token", tok, "cursor", bad)), "invalid_cursor")
}

func TestAccessLogsPlansAndTokens(t *testing.T) {
	free, ftok := newServer(t, slacktest.Config{Seed: 1, Users: 50, Plan: slacktest.PlanFree})
	requireError(t, call(t, free, "team.accessLogs", form("token", ftok)), "paid_only")
	for _, plan := range []string{slacktest.PlanPro, slacktest.PlanBusiness, slacktest.PlanCompliance} {
		srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 50, Plan: plan})
		require.NotEmpty(t, accessLogs(t, srv, "token", tok).Logins, plan)
	}

	o := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 300, Plan: slacktest.PlanEnterprise, Workspaces: 3})
	bot := o.BotToken("admin")
	narrow := o.UserToken(o.AdminToken().UserID, "users:read")
	org := o.OrgToken("admin")
	srv := slacktest.NewServer(o, slacktest.WithToken(bot), slacktest.WithToken(narrow), slacktest.WithToken(org), slacktest.WithRateLimits(false))
	t.Cleanup(srv.Close)
	requireError(t, call(t, srv, "team.accessLogs", form("token", bot.Value)), "not_allowed_token_type")
	e := requireError(t, call(t, srv, "team.accessLogs", form("token", narrow.Value)), "missing_scope")
	require.Equal(t, "admin", e.Needed)
	requireError(t, call(t, srv, "team.accessLogs", form("token", org.Value)), "missing_argument")
	requireError(t, call(t, srv, "team.accessLogs", form("token", org.Value, "team_id", "T0NOPE")), "invalid_team_id")
	for _, team := range o.Teams {
		p := accessLogs(t, srv, "token", org.Value, "team_id", team.ID, "count", "1000")
		want := o.AccessLogs(team.ID)
		require.Len(t, p.Logins, len(want))
		for _, l := range p.Logins {
			require.True(t, o.User(l.UserID).InTeam(team.ID), "rows of members of the workspace only")
		}
	}
}

// TestAccessLogsLargeOrg checks that a big org has more rows than 100
// pages of 1000 can reach, so that clients must restart with before.
func TestAccessLogsLargeOrg(t *testing.T) {
	if testing.Short() {
		t.Skip("100k-account org")
	}
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 100_000}, slacktest.WithRateLimits(false))
	p := accessLogs(t, srv, "token", tok, "count", "1000", "page", "100")
	require.Len(t, p.Logins, 1000)
	require.Greater(t, p.Paging.Total, 100*1000)
	require.Greater(t, p.Paging.Pages, 100)
	require.NotEmpty(t, *p.ResponseMetadata.NextCursor)
	requireError(t, call(t, srv, "team.accessLogs", form("token", tok, "count", "1000", "page", "101")), "over_pagination_limit")
	require.True(t, slices.IsSortedFunc(p.Logins, func(a, b loginJS) int { return int(*b.DateFirst - *a.DateFirst) }))
}
