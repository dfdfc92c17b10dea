package warehouse_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/warehouse"
)

// activityBatch is a member_activity-shaped batch of n rows.
func activityBatch(n, offset int) arrow.RecordBatch {
	s := memberActivityTable()
	fields := s.Fields()
	b := array.NewRecordBuilder(memory.DefaultAllocator, s)
	defer b.Release()
	day := arrow.Date32FromTime(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
	for r := 0; r < n; r++ {
		for i := range fields {
			switch f := b.Field(i).(type) {
			case *array.Date32Builder:
				f.Append(day + arrow.Date32((offset+r)/100_000))
			case *array.StringBuilder:
				switch fields[i].Name {
				case "user_id":
					f.Append(fmt.Sprintf("W%08d", (offset+r)%100_000))
				case "email":
					f.Append(fmt.Sprintf("person%d@example.com", (offset+r)%100_000))
				case "team_id":
					f.Append("T0123456789")
				default:
					f.Append("E0123456789")
				}
			case *array.BooleanBuilder:
				f.Append(r%3 == 0)
			case *array.Int64Builder:
				f.Append(int64(r % 17))
			}
		}
	}
	return b.NewRecordBatch()
}

func BenchmarkLoadMemberActivity(b *testing.B) {
	const rows = 1_000_000
	batches := []arrow.RecordBatch{}
	for off := 0; off < rows; off += 65536 {
		batches = append(batches, activityBatch(min(65536, rows-off), off))
	}
	db, err := warehouse.Open(ctx, filepath.Join(b.TempDir(), "load.duckdb"), writable())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run, err := db.BeginRun(ctx, warehouse.RunInfo{})
		if err != nil {
			b.Fatal(err)
		}
		for _, rec := range batches {
			if err := run.Load(ctx, "member_activity", rec); err != nil {
				b.Fatal(err)
			}
		}
		if err := run.Commit(ctx, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
