package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// lockedBuffer is a progress writer safe for the sync's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestSyncShowsLongRateLimitWaits(t *testing.T) {
	t.Parallel()
	const scale = 0.001
	org := slacktest.NewOrg(slacktest.Config{Seed: 41, Users: 100})
	srv := slacktest.NewServer(org, slacktest.WithTimeScale(scale))
	t.Cleanup(srv.Close)
	srv.Inject(slacktest.Fault{Method: "team.accessLogs", Status: 429, RetryAfter: 30})
	client, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: org.AdminToken().Value, TimeScale: scale, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	ctx := context.Background()
	db := openDB(t)
	var progress lockedBuffer
	_, err = Run(ctx, Options{Client: client, DB: db, AsOf: org.Now, Progress: NewTerminalProgress(&progress)})
	require.NoError(t, err)
	// The wait is what is left of Retry-After when the request is paced, at
	// a thousandth of Slack's time: on a loaded machine a second or two of
	// it has passed.
	assert.Regexp(t, `waiting (2[5-9]|30) s: Slack rate limit on team\.accessLogs`, progress.String())
}

func TestProgressLine(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := NewTerminalProgress(&b)
	p.now = func() time.Time { return now }
	p.Update("users", 1234)
	p.Wait("users.list", 2*time.Second)
	assert.Equal(t, "\r\033[Ksyncing users: 1,234 rows", b.String(), "a short wait is not shown")
	p.Wait("team.accessLogs", 125*time.Second)
	assert.Equal(t, "\r\033[Ksyncing users: 1,234 rows · waiting 2 min 5 s: Slack rate limit on team.accessLogs",
		b.String()[strings.LastIndex(b.String(), "\r"):])
	now = now.Add(126 * time.Second)
	p.Update("users", 2000)
	assert.Equal(t, "\r\033[Ksyncing users: 2,000 rows", b.String()[strings.LastIndex(b.String(), "\r"):], "the wait is over")
}
