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

// BenchmarkAccessLogsPage measures 1000-row team.accessLogs pages of a
// 100,000-account workspace (about 200,000 sign-in rows), walking pages
// 1–100 as a client does.
func BenchmarkAccessLogsPage(b *testing.B) {
	org := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 100_000})
	srv := slacktest.NewServer(org, slacktest.WithRateLimits(false))
	b.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 4}}
	tok := org.AdminToken().Value
	var bytes int64
	page := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		page = page%100 + 1
		body := url.Values{"token": {tok}, "count": {"1000"}, "page": {strconv.Itoa(page)}}.Encode()
		resp, err := client.Post(srv.URL()+"team.accessLogs", "application/x-www-form-urlencoded", strings.NewReader(body))
		require.NoError(b, err)
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(b, err)
		require.Equal(b, http.StatusOK, resp.StatusCode)
		bytes += int64(len(data))
	}
	rows := float64(b.N) * 1000
	b.ReportMetric(rows/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(bytes)/rows, "bytes/row")
}
