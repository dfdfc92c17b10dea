package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
)

// The budget admits data sets while their batches fit, holds the next
// back until one ends, lets one larger than the whole budget run alone,
// and gives up when the sync is cancelled.
func TestBudgetHoldsDataSetsToTheMemory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newBudget(100, 0)
	require.True(t, b.acquire(ctx, 60))
	require.True(t, b.acquire(ctx, 40))
	got := make(chan bool)
	go func() { got <- b.acquire(ctx, 10) }()
	select {
	case <-got:
		t.Fatal("a data set started past the budget")
	case <-time.After(20 * time.Millisecond):
	}
	b.release(40)
	require.True(t, <-got)
	b.release(60)
	b.release(10)
	require.True(t, b.acquire(ctx, 500), "a data set larger than the budget runs when nothing else does")
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	require.False(t, b.acquire(cctx, 1))
}

// Parallel, when set, caps the data sets read at once whatever the memory.
func TestBudgetHonoursParallel(t *testing.T) {
	t.Parallel()
	b := newBudget(1<<40, 1)
	require.True(t, b.acquire(context.Background(), 1))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	require.False(t, b.acquire(ctx, 1))
}

// A batch of users, with its many columns, takes more than one of
// access_logs; both are counted at the most rows a batch holds.
func TestBatchBytesGrowWithTheColumns(t *testing.T) {
	t.Parallel()
	users, logins := batchBytes(extract.UsersSchema), batchBytes(extract.AccessLogsSchema)
	assert.Greater(t, users, logins)
	assert.GreaterOrEqual(t, logins, int64(extract.MaxBatchRows*len(extract.AccessLogsSchema.Fields())))
}
