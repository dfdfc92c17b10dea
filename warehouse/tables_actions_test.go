package warehouse_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
)

func TestActionsLogNeedsNoSync(t *testing.T) {
	db, path := openTemp(t)
	batch, err := db.NextActionBatch(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), batch)
	at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for i, result := range []string{"succeeded", "failed", "skipped"} {
		require.NoError(t, db.LogAction(ctx, warehouse.ActionRow{BatchID: batch, Step: i + 1, LoggedAt: at, ActorUserID: "U1",
			Action: "deactivate", TargetUserID: "U2", Result: result, SlackError: map[bool]string{true: "permission_denied"}[result == "failed"]}))
	}
	batch, err = db.NextActionBatch(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(2), batch, "the rows are written at once")

	var succeeded, failed, skipped int
	require.NoError(t, db.SQL().QueryRow("SELECT succeeded, failed, skipped FROM action_batches WHERE batch_id = 1").Scan(&succeeded, &failed, &skipped))
	assert.Equal(t, []int{1, 1, 1}, []int{succeeded, failed, skipped})
	var nulls int
	require.NoError(t, db.SQL().QueryRow("SELECT count(*) FROM actions_log WHERE slack_error IS NULL AND target_email IS NULL").Scan(&nulls))
	assert.Equal(t, 2, nulls, "empty values are NULL")
	require.NoError(t, db.Close())

	ro, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer ro.Close()
	assert.Error(t, ro.LogAction(ctx, warehouse.ActionRow{BatchID: 3, Action: "notify", Result: "planned"}))
}
