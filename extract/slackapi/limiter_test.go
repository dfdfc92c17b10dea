package slackapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// teamInfo is enough of a team.info answer to call it.
type teamInfo struct{ slackapi.Envelope }

// Calls of one method from several goroutines, more than a minute's worth,
// are paced so that the synthetic org's sliding-window rate limit refuses
// none of them.
func TestPacingDrawsNo429FromASlidingWindow(t *testing.T) {
	t.Parallel()
	const scale, calls = 0.002, 130 // Tier 3: 50 a minute of 120 ms
	org := slacktest.NewOrg(slacktest.Config{Seed: 5, Users: 20})
	srv := slacktest.NewServer(org, slacktest.WithTimeScale(scale))
	t.Cleanup(srv.Close)
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: org.AdminToken().Value, TimeScale: scale,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for range 4 {
		wg.Go(func() {
			for range calls / 4 {
				errs <- c.Call(context.Background(), "team.info", org.Teams[0].ID, url.Values{}, &teamInfo{})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, calls/4*4, srv.Calls("team.info"))
	require.Zero(t, srv.RateLimited("team.info"), "429s drawn by the client's own pacing")
	mc := c.CallsByWorkspace()
	require.Len(t, mc, 1)
	require.Equal(t, slackapi.MethodCalls{Method: "team.info", Tier: slackapi.Tier3, Calls: calls / 4 * 4}, mc[0])
}
