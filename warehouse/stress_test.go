package warehouse_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
)

// TestLoadThenFailCycles is the stress test for a crash in Run.Fail: when a
// load was interrupted (the sync's context cancelled by a failing source),
// DuckDB called back into the Arrow stream the load had exported after the
// load returned and released it, during the next statement on the
// connection, Fail's ROLLBACK. Against that loader this test crashed the
// process (an invalid cgo.Handle panic or SIGSEGV) in each of six runs.
// Loads now keep the stream of a failed scan until the Run has rolled back
// and closed its connection. Each cycle's two batches are DuckDB's
// row-group size, so the second Load lands both with one Arrow scan, and
// the cancellation falls before, during or after that scan.
func TestLoadThenFailCycles(t *testing.T) {
	db, _ := openTemp(t)
	rec := activityBatch(122_880, 0)
	defer rec.Release()
	users := usersBatch("U1", "U2", "U3")
	defer users.Release()
	const cycles = 60
	for i := range cycles {
		run, err := db.BeginRun(ctx, warehouse.RunInfo{AsOf: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)})
		require.NoError(t, err)
		require.NoError(t, run.Load(ctx, "users", users))
		cctx, cancel := context.WithCancel(ctx)
		// Cancel at a different point of the load each cycle: before it,
		// during it, or after it.
		timer := time.AfterFunc(time.Duration(i%6)*time.Millisecond, cancel)
		lerr := errors.Join(run.Load(cctx, "member_activity", rec), run.Load(cctx, "member_activity", rec))
		ferr := run.Fail(cctx, errors.Join(errors.New("a source failed"), lerr))
		timer.Stop()
		cancel()
		require.ErrorContains(t, ferr, "a source failed", "cycle %d", i)
		if lerr != nil {
			assert.ErrorIs(t, lerr, context.Canceled, "cycle %d", i)
		}
	}
	assert.Equal(t, 0, count(t, db, "SELECT count(*) FROM member_activity"), "every load was undone")
	assert.Equal(t, 0, count(t, db, "SELECT count(*) FROM users"))
	assert.Equal(t, cycles, count(t, db, "SELECT count(*) FROM sync_runs WHERE status IN ('failed', 'interrupted') AND finished_at IS NOT NULL"))
	assertCatalogue(t, db)
}

// TestFailAfterALoadInterruptedMidway cancels a load of many batches while
// DuckDB is appending them, then fails the run: the rollback must undo the
// batches already appended.
func TestFailAfterALoadInterruptedMidway(t *testing.T) {
	db, _ := openTemp(t)
	require.NoError(t, syncUsers(t, db, "U1").Commit(ctx, 1))
	run, err := db.BeginRun(ctx, warehouse.RunInfo{})
	require.NoError(t, err)
	rec := activityBatch(50_000, 0)
	defer rec.Release()
	cctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	loaded := 0
	for ; loaded < 50; loaded++ {
		if loaded == 3 {
			cancel(errors.New("users.list: stopped by the test"))
		}
		if err = run.Load(cctx, "member_activity", rec); err != nil {
			break
		}
	}
	require.Error(t, err)
	assert.Equal(t, 3, loaded, "the load stops at the cancellation")
	assert.ErrorContains(t, err, "stopped by the test")
	require.ErrorContains(t, run.Fail(cctx, err), "stopped by the test")
	assert.Equal(t, 0, count(t, db, "SELECT count(*) FROM member_activity"))
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM users"), "the earlier snapshot stays")
	assert.ErrorContains(t, run.Load(ctx, "member_activity", rec), "the sync has ended")
}
