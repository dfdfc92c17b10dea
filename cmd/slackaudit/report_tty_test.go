//go:build linux

package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReportHTMLIsNotWrittenToATerminal: on a terminal the page would be a
// screenful of markup, so report asks for --output or a redirect instead.
func TestReportHTMLIsNotWrittenToATerminal(t *testing.T) {
	t.Parallel()
	db, _ := syncedDB(t)
	p, err := openPTY(24, 100)
	require.NoError(t, err)
	defer p.master.Close()
	defer p.slave.Close()
	var stderr bytes.Buffer
	e := &env{stdin: bytes.NewReader(nil), stdout: p.slave, stderr: &stderr, getenv: func(string) string { return "" },
		now: func() time.Time { return testNow }}
	code := run(context.Background(), []string{"report", "--db", db, "--format", "html"}, e)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr.String(), "give --output report.html, or redirect it: slackaudit report --format html > report.html")
	assert.NotContains(t, p.since(), "<html")

	stderr.Reset()
	require.Equal(t, exitOK, run(context.Background(), []string{"report", "--db", db}, e), stderr.String())
	p.expect(t, "Slack licence report", 10*time.Second)
}
