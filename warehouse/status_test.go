package warehouse_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
)

func TestRunStatus_StringParse(t *testing.T) {
	texts := []string{"running", "succeeded", "failed", "interrupted"}
	require.Len(t, warehouse.RunStatuses(), len(texts))
	for i, s := range warehouse.RunStatuses() {
		assert.Equal(t, texts[i], s.String())
		got, err := warehouse.ParseRunStatus(texts[i])
		require.NoError(t, err)
		assert.Equal(t, s, got)
	}
	for _, bad := range []string{"", "ok", "Succeeded", "partial"} {
		_, err := warehouse.ParseRunStatus(bad)
		require.Error(t, err, "%q", bad)
		assert.Equal(t, fmt.Sprintf("unknown sync status %q: expected one of running, succeeded, failed, interrupted", bad), err.Error())
	}
}

func TestSourceState_StringParse(t *testing.T) {
	texts := []string{"ok", "unavailable", "skipped", "failed"}
	require.Len(t, warehouse.SourceStates(), len(texts))
	for i, s := range warehouse.SourceStates() {
		assert.Equal(t, texts[i], s.String())
		got, err := warehouse.ParseSourceState(texts[i])
		require.NoError(t, err)
		assert.Equal(t, s, got)
		assert.Equal(t, s == warehouse.SourceOK, s.Read(), "only ok was read")
	}
	for _, bad := range []string{"", "OK", "succeeded", "partial"} {
		_, err := warehouse.ParseSourceState(bad)
		require.Error(t, err, "%q", bad)
		assert.Equal(t, fmt.Sprintf("unknown data set status %q: expected one of ok, unavailable, skipped, failed", bad), err.Error())
	}
}
