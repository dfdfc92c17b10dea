package slacktest_test

import (
	"io"
	"net/http"
	"net/url"
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
