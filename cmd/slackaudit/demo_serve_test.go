package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slackapi"
)

// signalWriter is a buffer that closes ready once it holds marker.
type signalWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	ready  chan struct{}
	once   sync.Once
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.marker) {
		w.once.Do(func() { close(w.ready) })
	}
	return n, err
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestDemoServeTakesActAndSync(t *testing.T) {
	t.Parallel()
	db := tempDB(t)
	out := &signalWriter{marker: "recent_actions\n", ready: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		e := &env{stdin: strings.NewReader(""), stdout: out, stderr: io.Discard, getenv: func(string) string { return "" },
			now: func() time.Time { return testNow }, tune: func(cfg *slackapi.Config) { cfg.NoRateLimit = true; cfg.Logger = quiet() }}
		done <- run(ctx, []string{"demo", "--db", db, "--members", "200", "--serve"}, e)
	}()
	select {
	case <-out.ready:
	case code := <-done:
		t.Fatalf("demo --serve ended (exit %d) before serving:\n%s", code, out.String())
	}
	url := regexp.MustCompile(`serving at (\S+) until`).FindStringSubmatch(out.String())[1]
	file := regexp.MustCompile(`token is in (\S+)\. In`).FindStringSubmatch(out.String())[1]
	tok, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NotContains(t, out.String(), strings.TrimSpace(string(tok)), "the token is in the file, not on screen")

	c := newCLI(t, map[string]string{"SLACKAUDIT_PERMISSION": "act"})
	c.secrets = append(c.secrets, strings.TrimSpace(string(tok)))
	r := c.run("act", "deactivate", "--api-url", url, "--token-file", file, "--db", db,
		"--from-query", "inactive_paid_seats", "--param", "days=90", "--max", "500", "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	changed := queryInt(t, db, "SELECT count(*) FROM actions_log WHERE action = 'deactivate' AND result = 'succeeded'")
	require.Positive(t, changed)
	r = c.run("sync", "--api-url", url, "--token-file", file, "--db", db, "--skip", "access_logs")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, changed, queryInt(t, db, `SELECT count(*) FROM users WHERE deleted AND user_id IN
		(SELECT target_user_id FROM actions_log WHERE action = 'deactivate' AND result = 'succeeded')`), "the next sync shows them deactivated")

	cancel()
	require.Equal(t, exitOK, <-done)
	assert.Contains(t, out.String(), "Stopped serving.")
	_, err = os.Stat(file)
	assert.True(t, os.IsNotExist(err), "the token file is removed")
}
