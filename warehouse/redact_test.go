package warehouse_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
)

// TestRedactAppliesToStoredText checks that every free-text value a run or
// an action stores passes through Options.Redact.
func TestRedactAppliesToStoredText(t *testing.T) {
	const secret = "s3cr3t-value"
	redact := func(s string) string { return strings.ReplaceAll(s, secret, "[redacted]") }
	path := filepath.Join(t.TempDir(), "w.duckdb")
	db, err := warehouse.Open(ctx, path, warehouse.Options{Tables: contract, Redact: redact})
	require.NoError(t, err)
	defer db.Close()

	run, err := db.BeginRun(ctx, warehouse.RunInfo{AsOf: time.Now(), APIURL: "http://u:" + secret + "@proxy.example/api/"})
	require.NoError(t, err)
	run.SetStatus(warehouse.SourceStatus{TeamID: "T1", Source: "users", Status: "failed", Reason: "users.list: " + secret})
	_ = run.Fail(ctx, errors.New("auth.test: invalid_auth: token "+secret+" revoked"))
	require.NoError(t, db.LogAction(ctx, warehouse.ActionRow{BatchID: 1, Step: 1, Action: "notify", Result: "failed",
		Detail: "chat.postMessage said " + secret, SlackError: "invalid_auth " + secret}))

	for _, q := range []string{
		"SELECT count(*) FROM sync_runs WHERE contains(error, '[redacted]') AND contains(api_url, '[redacted]')",
		"SELECT count(*) FROM source_status WHERE contains(reason, '[redacted]')",
		"SELECT count(*) FROM actions_log WHERE contains(detail, '[redacted]') AND contains(slack_error, '[redacted]')",
	} {
		assert.Equal(t, 1, count(t, db, q), q)
	}
	for _, q := range []string{
		"SELECT count(*) FROM sync_runs WHERE contains(concat(error, api_url), ?)",
		"SELECT count(*) FROM source_status WHERE contains(reason, ?)",
		"SELECT count(*) FROM actions_log WHERE contains(concat(detail, slack_error), ?)",
	} {
		assert.Equal(t, 0, count(t, db, q, secret), q)
	}
}
