package warehouse_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
	"slackaudit/warehouse/schema"
)

// TestMain doubles as a helper process that holds a warehouse open, so tests
// can see how a second process is refused.
func TestMain(m *testing.M) {
	if path := os.Getenv("WAREHOUSE_TEST_DIE_MID_SYNC"); path != "" {
		db, err := warehouse.Open(context.Background(), path, writable())
		if err == nil {
			_, err = db.BeginRun(context.Background(), warehouse.RunInfo{})
		}
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		os.Exit(0) // without committing, failing or closing: as if killed
	}
	if path := os.Getenv("WAREHOUSE_TEST_HOLD"); path != "" {
		db, err := warehouse.Open(context.Background(), path, writable())
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("holding")
		bufio.NewReader(os.Stdin).ReadString('\n')
		db.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var ctx = context.Background()

func openTemp(t *testing.T) (*warehouse.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	db, err := warehouse.Open(ctx, path, writable())
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, path
}

var usersSchema = arrow.NewSchema([]arrow.Field{
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "user_id", Type: arrow.BinaryTypes.String},
	{Name: "deleted", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "profile_updated_at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
}, nil)

func usersBatch(ids ...string) arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, usersSchema)
	defer b.Release()
	for _, id := range ids {
		b.Field(0).(*array.StringBuilder).Append("T1")
		b.Field(1).(*array.StringBuilder).Append(id)
		b.Field(2).(*array.BooleanBuilder).Append(false)
		b.Field(3).(*array.TimestampBuilder).Append(arrow.Timestamp(1_700_000_000_000_000))
	}
	return b.NewRecordBatch()
}

func count(t *testing.T, db *warehouse.DB, q string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.SQL().QueryRowContext(ctx, q, args...).Scan(&n))
	return n
}

func syncUsers(t *testing.T, db *warehouse.DB, ids ...string) *warehouse.Run {
	t.Helper()
	run, err := db.BeginRun(ctx, warehouse.RunInfo{AsOf: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), Mode: "business_plus"})
	require.NoError(t, err)
	rec := usersBatch(ids...)
	defer rec.Release()
	require.NoError(t, run.Load(ctx, "users", rec))
	return run
}

func TestOpenCreatesContractTablesWithComments(t *testing.T) {
	db, _ := openTemp(t)
	for _, s := range db.Catalog().Schemas() {
		tab, err := schema.Describe(s)
		require.NoError(t, err)
		for _, c := range tab.Columns {
			var comment string
			require.NoError(t, db.SQL().QueryRowContext(ctx, `SELECT comment FROM duckdb_columns()
				WHERE table_name = ? AND column_name = ?`, tab.Name, c.Name).Scan(&comment), "%s.%s", tab.Name, c.Name)
			assert.Equal(t, c.Comment, comment)
		}
	}
	assert.Equal(t, 0, count(t, db, "SELECT count(*) FROM latest_sync"))
}

func TestCommitSwapsInTheSnapshot(t *testing.T) {
	db, _ := openTemp(t)
	run := syncUsers(t, db, "U1", "U2")
	// Before the commit readers still see the earlier (empty) snapshot.
	assert.Equal(t, 0, count(t, db, "SELECT count(*) FROM users"))
	require.NoError(t, run.Commit(ctx, 7))
	assert.Equal(t, 2, count(t, db, "SELECT count(*) FROM users"))
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM sync_runs WHERE status = 'succeeded' AND api_calls = 7"))
	var comment string
	require.NoError(t, db.SQL().QueryRowContext(ctx, `SELECT comment FROM duckdb_columns()
		WHERE table_name = 'users' AND column_name = 'deleted'`).Scan(&comment))
	assert.Contains(t, comment, "Deactivated", "comments survive the swap")
	assert.Equal(t, 0, count(t, db, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '_stage_%'"))

	run = syncUsers(t, db, "U3")
	require.NoError(t, run.Commit(ctx, 3))
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM users WHERE user_id = 'U3'"))
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM users"), "a snapshot replaces the previous one")
	assert.Equal(t, 2, count(t, db, "SELECT run_id FROM latest_sync"))
}

func TestFailedRunLeavesThePreviousSnapshot(t *testing.T) {
	db, _ := openTemp(t)
	require.NoError(t, syncUsers(t, db, "U1", "U2").Commit(ctx, 1))

	run := syncUsers(t, db, "U9")
	run.SetStatus(warehouse.SourceStatus{TeamID: "T1", Source: "users", Status: "failed", Reason: "users.list: boom"})
	err := run.Fail(ctx, errors.New("users.list: boom"))
	assert.EqualError(t, err, "users.list: boom")

	assert.Equal(t, 2, count(t, db, "SELECT count(*) FROM users WHERE user_id IN ('U1','U2')"))
	assert.Equal(t, 0, count(t, db, "SELECT count(*) FROM users WHERE user_id = 'U9'"))
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM sync_runs WHERE status = 'failed' AND error = 'users.list: boom'"))
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM source_status WHERE status = 'failed'"))
	assert.Equal(t, 1, count(t, db, "SELECT run_id FROM latest_sync"))
}

func TestInterruptedRunIsRecorded(t *testing.T) {
	db, _ := openTemp(t)
	run := syncUsers(t, db, "U1")
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	run.Fail(cctx, cctx.Err())
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM sync_runs WHERE status = 'interrupted'"))
}

func TestRunLeftRunningByAKilledProcessIsMarkedInterrupted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "WAREHOUSE_TEST_DIE_MID_SYNC="+path)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	db, err := warehouse.Open(ctx, path, writable())
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, syncUsers(t, db, "U2").Commit(ctx, 1))
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM sync_runs WHERE status = 'interrupted' AND run_id = 1"))
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM users"))
	assertCatalogue(t, db)
}

func TestLoadRejectsUnknownTables(t *testing.T) {
	db, _ := openTemp(t)
	run, err := db.BeginRun(ctx, warehouse.RunInfo{})
	require.NoError(t, err)
	defer run.Fail(ctx, errors.New("test over"))
	rec := usersBatch("U1")
	defer rec.Release()
	assert.ErrorContains(t, run.Load(ctx, "sync_runs", rec), "not a table a sync loads")
	assert.ErrorContains(t, run.Load(ctx, "nope", rec), "not a table a sync loads")
}

func TestMigrateAddsNewColumnsAndKeepsData(t *testing.T) {
	db, path := openTemp(t)
	require.NoError(t, syncUsers(t, db, "U1").Commit(ctx, 1))
	_, err := db.SQL().ExecContext(ctx, "ALTER TABLE users DROP COLUMN has_2fa")
	require.NoError(t, err)
	require.NoError(t, db.Close())

	db, err = warehouse.Open(ctx, path, writable())
	require.NoError(t, err)
	defer db.Close()
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM users WHERE has_2fa IS NULL"))
}

func TestReadOnly(t *testing.T) {
	_, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "missing.duckdb"), warehouse.Options{ReadOnly: true})
	assert.ErrorContains(t, err, "run slackaudit sync first")

	db, path := openTemp(t)
	require.NoError(t, db.Close())
	ro, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer ro.Close()
	_, err = ro.SQL().ExecContext(ctx, "DELETE FROM users")
	assert.True(t, warehouse.IsReadOnlyError(err), "%v", err)
	_, err = ro.BeginRun(ctx, warehouse.RunInfo{})
	assert.ErrorContains(t, err, "read-only")
}

func TestDamagedFileIsReportedAndLeftAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "damaged.duckdb")
	junk := []byte("this is not a DuckDB file, but a spreadsheet someone saved here by mistake\n")
	for len(junk) < 64<<10 {
		junk = append(junk, junk...)
	}
	require.NoError(t, os.WriteFile(path, junk, 0o600))
	_, err := warehouse.Open(ctx, path, writable())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not a DuckDB database")
	assert.Contains(t, err.Error(), "nothing was changed")
	after, rerr := os.ReadFile(path)
	require.NoError(t, rerr)
	assert.Equal(t, junk, after, "the file must not be touched")
}

func TestDirectoryIsRefused(t *testing.T) {
	_, err := warehouse.Open(ctx, t.TempDir(), writable())
	assert.ErrorContains(t, err, "is a folder")
}

func TestLockedFileIsReported(t *testing.T) {
	_, path := openTemp(t)
	// Close ours; a second process holds the write lock.
	dir := filepath.Dir(path)
	path = filepath.Join(dir, "held.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "WAREHOUSE_TEST_HOLD="+path)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() { stdin.Close(); cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "holding\n", line)

	_, err = warehouse.Open(ctx, path, writable())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "in use by another")
}
