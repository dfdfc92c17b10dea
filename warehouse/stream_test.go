package warehouse_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
)

func collect(t *testing.T, r *warehouse.Rows) [][]any {
	t.Helper()
	defer r.Close()
	var out [][]any
	for r.Next() {
		row := make([]any, len(r.Columns()))
		ptrs := make([]any, len(row))
		for i := range row {
			ptrs[i] = &row[i]
		}
		require.NoError(t, r.Scan(ptrs...))
		out = append(out, row)
	}
	require.NoError(t, r.Err())
	return out
}

func TestStreamTypesAndParameters(t *testing.T) {
	db, _ := openTemp(t)
	r, err := db.Stream(ctx, `SELECT 'a' || $x AS s, 42 AS i, 2.5::DOUBLE AS d, true AS b, DATE '2026-11-01' AS day,
		TIMESTAMPTZ '2026-11-01 10:00:00+02' AS ts, NULL AS n, 12.30::DECIMAL(6,2) AS dec, [1,2] AS l, $n + 1 AS p, $day AS bound_day`,
		sql.Named("x", "bc"), sql.Named("n", 41), sql.Named("day", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)))
	require.NoError(t, err)
	cols := r.Columns()
	assert.Equal(t, warehouse.ResultColumn{Name: "ts", Type: "TIMESTAMPTZ"}, cols[5])
	assert.Equal(t, "DATE", cols[4].Type)
	rows := collect(t, r)
	require.Len(t, rows, 1)
	want := []any{"abc", int64(42), 2.5, true, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC), nil, "12.30", "[1,2]", int64(42), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
	assert.Equal(t, want, rows[0])

	rows = collect(t, must(db.Stream(ctx, "SELECT ? * 2, ?", 21, "x")))
	assert.Equal(t, [][]any{{int64(42), "x"}}, rows)
}

func TestStreamManyRowsAndErrors(t *testing.T) {
	db, _ := openTemp(t)
	r, err := db.Stream(ctx, "SELECT range AS i, 'user ' || range AS s FROM range(100000)")
	require.NoError(t, err)
	rows := collect(t, r)
	require.Len(t, rows, 100000)
	assert.Equal(t, "user 99999", rows[99999][1])

	_, err = db.Stream(ctx, "SELECT * FROM no_such_table")
	assert.ErrorContains(t, err, "no_such_table")
	r, err = db.Stream(ctx, "SELECT CAST('x' || range AS INTEGER) FROM range(10)")
	if err == nil {
		collect := func() error {
			defer r.Close()
			for r.Next() {
			}
			return r.Err()
		}
		err = collect()
	}
	assert.ErrorContains(t, err, "Conversion Error")
}

func TestStreamCancel(t *testing.T) {
	db, _ := openTemp(t)
	cctx, cancel := context.WithCancel(ctx)
	go func() { time.Sleep(200 * time.Millisecond); cancel() }()
	start := time.Now()
	r, err := db.Stream(cctx, "SELECT count(*) FROM range(100000000000) a")
	if err == nil {
		for r.Next() {
		}
		err = r.Err()
		r.Close()
	}
	require.Error(t, err)
	assert.Less(t, time.Since(start), 30*time.Second)
}

func TestStreamReadOnly(t *testing.T) {
	db, path := openTemp(t)
	require.NoError(t, syncUsers(t, db, "U1").Commit(ctx, 1))
	require.NoError(t, db.Close())
	ro, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer ro.Close()
	rows := collect(t, must(ro.Stream(ctx, "SELECT user_id FROM users")))
	assert.Equal(t, [][]any{{"U1"}}, rows)
	_, err = ro.Stream(ctx, "DELETE FROM users")
	assert.True(t, warehouse.IsReadOnlyError(err), "%v", err)
}

func must(r *warehouse.Rows, err error) *warehouse.Rows {
	if err != nil {
		panic(err)
	}
	return r
}
