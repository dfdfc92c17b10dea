package slacktest_test

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// BenchmarkUsersListPage measures one 1000-member users.list page through
// the real HTTP server: request, encoding, transfer, and reading the body
// (no JSON decoding on the client side).
func BenchmarkUsersListPage(b *testing.B) {
	org := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 100_000})
	srv := slacktest.NewServer(org, slacktest.WithRateLimits(false))
	b.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 4}}
	tok := org.AdminToken().Value

	cursor := ""
	var bytes int64
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		body := url.Values{"token": {tok}, "limit": {"1000"}, "cursor": {cursor}}.Encode()
		resp, err := client.Post(srv.URL()+"users.list", "application/x-www-form-urlencoded", strings.NewReader(body))
		require.NoError(b, err)
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(b, err)
		require.Equal(b, http.StatusOK, resp.StatusCode)
		bytes += int64(len(data))
		cursor = nextCursor(data)
	}
	secs := b.Elapsed().Seconds()
	members := float64(b.N) * 1000
	b.ReportMetric(members/secs, "members/s")
	b.ReportMetric(float64(bytes)/members, "bytes/member")
}

// pagesOf reads paging.pages out of a classic page, at most 100 (Slack's
// page cap), without decoding the rest.
func pagesOf(b *testing.B, body []byte) int {
	const key = `"pages":`
	s := string(body)
	i := strings.LastIndex(s, key)
	require.Positive(b, i, "a classic page has paging.pages")
	s = s[i+len(key):]
	n, err := strconv.Atoi(s[:strings.IndexAny(s, ",}")])
	require.NoError(b, err)
	require.Positive(b, n)
	return min(n, 100)
}

// nextCursor pulls next_cursor out of a page without decoding it.
func nextCursor(body []byte) string {
	const key = `"next_cursor":"`
	s := string(body)
	i := strings.LastIndex(s, key)
	if i < 0 {
		return ""
	}
	s = s[i+len(key):]
	return s[:strings.IndexByte(s, '"')]
}

// BenchmarkNewOrg measures generating a 100,000-account org.
func BenchmarkNewOrg(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 100_000})
	}
	b.ReportMetric(100_000*float64(b.N)/b.Elapsed().Seconds(), "users/s")
}

// BenchmarkAnalyticsDay measures one day's member analytics file for a
// 100,000-account Grid org through the real HTTP server: generating the
// lines, gzip, transfer, and reading the compressed body.
func BenchmarkAnalyticsDay(b *testing.B) {
	org := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 100_000, Plan: slacktest.PlanEnterprise, Workspaces: 4})
	tok := org.OrgToken("admin.analytics:read")
	srv := slacktest.NewServer(org, slacktest.WithRateLimits(false), slacktest.WithToken(tok))
	b.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	day := org.Now.AddDate(0, 0, -3)
	rows := 0
	for _, u := range org.Users {
		if org.InMemberAnalytics(u, day) {
			rows++
		}
	}
	body := url.Values{"token": {tok.Value}, "type": {"member"}, "date": {day.Format("2006-01-02")}}.Encode()
	var bytes int64
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		resp, err := client.Post(srv.URL()+"admin.analytics.getFile", "application/x-www-form-urlencoded", strings.NewReader(body))
		require.NoError(b, err)
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.NoError(b, err)
		require.Equal(b, "application/gzip", resp.Header.Get("Content-Type"))
		bytes += n
	}
	total := float64(b.N) * float64(rows)
	b.ReportMetric(total/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(bytes)/total, "gzip-bytes/row")
}

// BenchmarkAccessLogsPage measures 1000-row team.accessLogs pages through
// the real HTTP server, walking pages 1–100 as a client does, for
// workspaces of growing size. A page's cost should follow the page, not
// the org: ns/page stays about the same from 10,000 to 400,000 members.
func BenchmarkAccessLogsPage(b *testing.B) {
	for _, members := range []int{10_000, 100_000, 400_000} {
		b.Run("members="+strconv.Itoa(members), func(b *testing.B) {
			benchAccessLogsPages(b, members)
		})
	}
}

func benchAccessLogsPages(b *testing.B, members int) {
	org := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: members})
	srv := slacktest.NewServer(org, slacktest.WithRateLimits(false))
	b.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 4}}
	tok := org.AdminToken().Value
	get := func(page int) []byte {
		body := url.Values{"token": {tok}, "count": {"1000"}, "page": {strconv.Itoa(page)}}.Encode()
		resp, err := client.Post(srv.URL()+"team.accessLogs", "application/x-www-form-urlencoded", strings.NewReader(body))
		require.NoError(b, err)
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(b, err)
		require.Equal(b, http.StatusOK, resp.StatusCode)
		require.Contains(b, string(data[:min(len(data), 64)]), `"ok":true`)
		return data
	}
	pages := pagesOf(b, get(1))
	var bytes int64
	page := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		page = page%pages + 1
		bytes += int64(len(get(page)))
	}
	rows := float64(b.N) * 1000
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/page")
	b.ReportMetric(rows/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(bytes)/rows, "bytes/row")
}
