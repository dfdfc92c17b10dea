package transform_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/transform"
)

// eventsSchema has the app_events columns the apps transform reads.
var eventsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "team_id", Type: arrow.BinaryTypes.String}, {Name: "position", Type: arrow.PrimitiveTypes.Int64},
	{Name: "kind", Type: arrow.BinaryTypes.String}, {Name: "integration_id", Type: arrow.BinaryTypes.String},
	{Name: "app_type", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "service_type", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "user_id", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "user_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "channel", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "changed_at", Type: tsType},
	{Name: "change_type", Type: arrow.BinaryTypes.String}, {Name: "scope", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "reason", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// events is one added entry for each of n apps in T1.
func events(t *testing.T, n int) arrow.RecordBatch {
	t.Helper()
	var lines []string
	for i := range n {
		lines = append(lines, fmt.Sprintf(`{"team_id":"T1","position":%d,"kind":"app","integration_id":"A%03d","app_type":"App %d","user_id":"U1","changed_at":"2026-01-02T03:04:05Z","change_type":"added","scope":"chat:write,users:read"}`, i, i, i))
	}
	rec, _, err := array.RecordFromJSON(memory.DefaultAllocator, eventsSchema, strings.NewReader("["+strings.Join(lines, ",")+"]"))
	require.NoError(t, err)
	t.Cleanup(rec.Release)
	return rec
}

// people lists n members of T1 (billing account E1) who were all active.
func people(t *testing.T, n int) (users, logs arrow.RecordBatch) {
	var u, l [][]any
	for i := range n {
		id := fmt.Sprintf("U%04d", i)
		u = append(u, account("T1", id, "E1", "member"))
		l = append(l, []any{"T1", id, 3, day(40), day(i % 60)})
	}
	return batch(t, seatUsersSchema, u...), batch(t, logsSchema, l...)
}

// emitter runs one transform's Emit with batches of maxRows, handing each
// batch to fn.
type emitter func(mem memory.Allocator, maxRows int, fn func(table string, rec arrow.RecordBatch) error) error

func transforms(t *testing.T) map[string]emitter {
	users, logs := people(t, 250)
	orgOf := map[string]string{"T1": "E1"}
	return map[string]emitter{
		"user_usage": func(mem memory.Allocator, maxRows int, fn func(string, arrow.RecordBatch) error) error {
			u := transform.NewUsage(transform.UsageConfig{AsOf: asOf, OrgOf: orgOf, Alloc: mem})
			require.NoError(t, u.Observe("users", users))
			require.NoError(t, u.Observe("access_logs", logs))
			return u.Emit(maxRows, func(rec arrow.RecordBatch) error { return fn("user_usage", rec) })
		},
		"licenses": func(mem memory.Allocator, maxRows int, fn func(string, arrow.RecordBatch) error) error {
			l := transform.NewLicenses(transform.LicenseConfig{AsOf: asOf, OrgOf: orgOf, Alloc: mem})
			require.NoError(t, l.Observe("workspaces", batch(t, workspacesSchema, []any{"T1", "enterprise"})))
			require.NoError(t, l.Observe("users", users))
			return l.Emit(maxRows, fn)
		},
		"apps": func(mem memory.Allocator, maxRows int, fn func(string, arrow.RecordBatch) error) error {
			a := transform.NewApps(transform.AppsConfig{Alloc: mem})
			require.NoError(t, a.Observe("app_events", events(t, 250)))
			return a.Emit(maxRows, func(rec arrow.RecordBatch) error { return fn("apps", rec) })
		},
	}
}

func TestTransformsFreeEveryBatch(t *testing.T) {
	for name, emit := range transforms(t) {
		t.Run(name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			rows := map[string]int64{}
			require.NoError(t, emit(mem, 100, func(table string, rec arrow.RecordBatch) error {
				assert.LessOrEqual(t, rec.NumRows(), int64(100))
				rows[table] += rec.NumRows()
				return nil
			}))
			assert.EqualValues(t, 250, rows[name], "every row, in batches of at most 100")
		})
	}
}

func TestTransformsFreeEveryBatchWhenLoadingFails(t *testing.T) {
	stop := errors.New("the warehouse refused the batch")
	for name, emit := range transforms(t) {
		t.Run(name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			n := 0
			err := emit(mem, 100, func(string, arrow.RecordBatch) error {
				if n++; n == 2 {
					return stop
				}
				return nil
			})
			assert.ErrorIs(t, err, stop)
		})
	}
}
