package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// allocSync runs one sync of srv's org into a fresh warehouse with every
// batch from a checked allocator, and asserts that none leaked.
func allocSync(t *testing.T, srv *slacktest.Server, tok string, o pipeline.Options) error {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	client, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: tok, NoRateLimit: true, Logger: quiet()})
	require.NoError(t, err)
	ctx := context.Background()
	db, err := warehouse.Open(ctx, tempDB(t), warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	defer db.Close()
	o.Client, o.DB, o.Alloc, o.AsOf = client, db, mem, srv.Org().Now
	_, err = pipeline.Run(ctx, o)
	return err
}

func TestSyncFreesEveryBatch(t *testing.T) {
	t.Parallel()
	srv, tok := gridOrg(t, 400)
	require.NoError(t, allocSync(t, srv, tok, pipeline.Options{Window: 5 * 24 * time.Hour}))
	wsrv, wtok := orgServer(t, slacktest.Config{Seed: 43, Users: 2500})
	require.NoError(t, allocSync(t, wsrv, wtok, pipeline.Options{}))
}

func TestFailedSyncFreesEveryBatch(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 43, Users: 2500})
	srv.Inject(slacktest.Fault{Method: "users.list", After: 2, Body: `{"ok":true,"members":[{"id":"W1","updated":"yesterday"}]}`})
	err := allocSync(t, srv, tok, pipeline.Options{})
	assert.ErrorContains(t, err, `users.list (team `+srv.Org().Teams[0].ID+`): page 3: malformed response: members[0] (id W1).updated: got string "yesterday", want a Unix time`)
}

// cancelOnWrite cancels the sync the first time progress is written: when
// the first batch has landed.
type cancelOnWrite struct{ cancel context.CancelFunc }

func (c cancelOnWrite) Write(p []byte) (int, error) { c.cancel(); return len(p), nil }

func TestCancelledSyncFreesEveryBatch(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 43, Users: 2500})
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	client, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: tok, NoRateLimit: true, Logger: quiet()})
	require.NoError(t, err)
	db, err := warehouse.Open(context.Background(), tempDB(t), warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err = pipeline.Run(ctx, pipeline.Options{Client: client, DB: db, Alloc: mem, Progress: newProgress(cancelOnWrite{cancel})})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, "interrupted", queryStringDB(t, db, "SELECT status FROM sync_runs ORDER BY run_id DESC LIMIT 1"))
}

func queryStringDB(t *testing.T, db *warehouse.DB, q string) string {
	t.Helper()
	var s string
	require.NoError(t, db.SQL().QueryRow(q).Scan(&s))
	return s
}

// The warehouse's load path keeps no reference to a loaded batch, and a
// refused load frees nothing it does not own.
func TestWarehouseLoadFreesEveryBatch(t *testing.T) {
	t.Parallel()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	db, err := warehouse.Open(ctx, tempDB(t), warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	defer db.Close()
	run, err := db.BeginRun(ctx, warehouse.RunInfo{})
	require.NoError(t, err)
	b := array.NewRecordBuilder(mem, extract.BillableSchema)
	defer b.Release()
	for i := range 1000 {
		b.Field(0).(*array.StringBuilder).Append("T1")
		b.Field(1).(*array.StringBuilder).Append("U" + string(rune('A'+i%26)) + string(rune('a'+i/26)))
		b.Field(2).(*array.BooleanBuilder).Append(i%2 == 0)
	}
	rec := b.NewRecordBatch()
	require.NoError(t, run.Load(ctx, "billable_info", rec))
	assert.Error(t, run.Load(ctx, "no_such_table", rec))
	rec.Release()
	fail := errors.New("stopped on purpose")
	assert.ErrorIs(t, run.Fail(ctx, fail), fail)
}
