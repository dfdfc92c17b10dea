package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"slackaudit/extract"
	"slackaudit/pipeline"
	"slackaudit/queries"
	"slackaudit/queries/report"
	"slackaudit/transform"
	"slackaudit/warehouse"
)

func (g usageBench) eachBillable(fn func(arrow.RecordBatch) error) error {
	return eachBatch(g.users, extract.BillableSchema, func(b *array.RecordBuilder, r int) {
		b.Field(0).(*array.StringBuilder).Append("T1")
		b.Field(1).(*array.StringBuilder).Append(g.userID(r))
		b.Field(2).(*array.BooleanBuilder).Append(true)
	}, fn)
}

// eachUsage is user_usage: a fifth never used, the rest spread over 120 days.
func (g usageBench) eachUsage(fn func(arrow.RecordBatch) error) error {
	return eachBatch(g.users, transform.UserUsageSchema, func(b *array.RecordBuilder, r int) {
		for i := range transform.UserUsageSchema.NumFields() {
			f := b.Field(i)
			switch transform.UserUsageSchema.Field(i).Name {
			case "org_id":
				f.(*array.StringBuilder).Append("E1")
			case "user_id":
				f.(*array.StringBuilder).Append(g.userID(r))
			case "last_used_at":
				if r%5 == 0 {
					f.AppendNull()
				} else {
					f.(*array.TimestampBuilder).Append(arrow.Timestamp(g.asOf.Add(-time.Duration(mix(uint64(r), 3)%(120*24)) * time.Hour).UnixMicro()))
				}
			case "usage_frequency":
				f.(*array.StringBuilder).Append("weekly")
			case "frequency_estimated":
				f.(*array.BooleanBuilder).Append(false)
			default:
				f.AppendNull()
			}
		}
	}, fn)
}

// BenchmarkLicenses computes licences for 1,000,000 people (transform) and
// renders the report over them from DuckDB (report). Generating and landing
// the input is not timed.
func BenchmarkLicenses(b *testing.B) {
	g := usageBench{users: 1_000_000, asOf: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	cfg := func() transform.LicenseConfig {
		return transform.LicenseConfig{AsOf: g.asOf, RunID: 1, OrgOf: map[string]string{"T1": "E1"}}
	}
	feed := func(b *testing.B, l *transform.Licenses) {
		b.StopTimer()
		observe := func(table string) func(arrow.RecordBatch) error {
			return func(rec arrow.RecordBatch) error {
				b.StartTimer()
				defer b.StopTimer()
				return l.Observe(table, rec)
			}
		}
		for _, step := range []struct {
			table string
			each  func(func(arrow.RecordBatch) error) error
		}{{"users", g.eachUsers}, {"billable_info", g.eachBillable}, {"user_usage", g.eachUsage}} {
			if err := step.each(observe(step.table)); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
	b.Run("transform", func(b *testing.B) {
		var peak uint64
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			runtime.GC()
			b.StartTimer()
			h := startHeapPeak()
			l := transform.NewLicenses(cfg())
			feed(b, l)
			if err := l.Emit(extract.MaxBatchRows, func(string, arrow.RecordBatch) error { return nil }); err != nil {
				b.Fatal(err)
			}
			peak = max(peak, h.done())
		}
		b.ReportMetric(float64(g.users*b.N)/b.Elapsed().Seconds(), "people/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
	b.Run("report", func(b *testing.B) {
		ctx := context.Background()
		db, err := warehouse.Open(ctx, filepath.Join(b.TempDir(), "licences.duckdb"), warehouse.Options{Tables: pipeline.Tables()})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		run, err := db.BeginRun(ctx, warehouse.RunInfo{AsOf: g.asOf})
		if err != nil {
			b.Fatal(err)
		}
		load := func(table string) func(arrow.RecordBatch) error {
			return func(rec arrow.RecordBatch) error { return run.Load(ctx, table, rec) }
		}
		l := transform.NewLicenses(cfg())
		for _, step := range []struct {
			table string
			each  func(func(arrow.RecordBatch) error) error
		}{{"users", g.eachUsers}, {"billable_info", g.eachBillable}, {"user_usage", g.eachUsage}} {
			if err := step.each(func(rec arrow.RecordBatch) error {
				if err := load(step.table)(rec); err != nil {
					return err
				}
				return l.Observe(step.table, rec)
			}); err != nil {
				b.Fatal(err)
			}
		}
		if err := l.Emit(extract.MaxBatchRows, func(table string, rec arrow.RecordBatch) error { return run.Load(ctx, table, rec) }); err != nil {
			b.Fatal(err)
		}
		if err := run.Commit(ctx, 0); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		b.ResetTimer()
		h := startHeapPeak()
		for i := 0; i < b.N; i++ {
			r, err := readReport(ctx, db.SQL(), 10)
			if err != nil {
				b.Fatal(err)
			}
			if err := report.RenderText(io.Discard, r, queries.Table, 0); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(h.done())/(1<<20), "peak-heap-MB")
	})
}

// BenchmarkExportParquet exports 9M member_activity rows to Parquet with
// slackaudit export and, in the same run, with DuckDB's own COPY; the ratio
// of the two times is the figure.
func BenchmarkExportParquet(b *testing.B) {
	g := usageBench{users: 100_000, days: 90, asOf: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	ctx := context.Background()
	dir := b.TempDir()
	db, err := warehouse.Open(ctx, filepath.Join(dir, "export.duckdb"), warehouse.Options{Tables: pipeline.Tables(), AllowFiles: []string{dir}})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	run, err := db.BeginRun(ctx, warehouse.RunInfo{AsOf: g.asOf})
	if err != nil {
		b.Fatal(err)
	}
	if err := g.eachActivity(func(rec arrow.RecordBatch) error { return run.Load(ctx, "member_activity", rec) }); err != nil {
		b.Fatal(err)
	}
	if err := run.Commit(ctx, 0); err != nil {
		b.Fatal(err)
	}
	var exportTime, copyTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := filepath.Join(dir, "out")
		os.RemoveAll(out)
		start := time.Now()
		if _, err := warehouse.Export(ctx, db, warehouse.ExportOptions{Out: out, Format: warehouse.ExportParquet, Tables: []string{"member_activity"}, Contract: pipeline.Tables()}); err != nil {
			b.Fatal(err)
		}
		exportTime += time.Since(start)
		start = time.Now()
		if _, err := db.SQL().ExecContext(ctx, "COPY member_activity TO '"+filepath.Join(dir, "copy.parquet")+"' (FORMAT parquet, COMPRESSION zstd)"); err != nil {
			b.Fatal(err)
		}
		copyTime += time.Since(start)
	}
	rows := float64(g.users * g.days * b.N)
	b.ReportMetric(exportTime.Seconds()/float64(b.N), "export-s")
	b.ReportMetric(copyTime.Seconds()/float64(b.N), "copy-s")
	b.ReportMetric(exportTime.Seconds()/copyTime.Seconds(), "export/copy")
	b.ReportMetric(rows/exportTime.Seconds(), "rows/s")
}
