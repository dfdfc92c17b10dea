package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract"
	"slackaudit/pipeline"
	"slackaudit/transform"
	"slackaudit/warehouse"
)

// usageBench is a synthetic Grid org's raw data, generated batch by batch so
// the generator holds one batch at a time.
type usageBench struct {
	users, days, logsPerUser int
	asOf                     time.Time
}

func mix(a, b uint64) uint64 {
	z := a*0x9e3779b97f4a7c15 ^ b*0xbf58476d1ce4e5b9
	z ^= z >> 31
	z *= 0x94d049bb133111eb
	return z ^ z>>29
}

func (g usageBench) userID(i int) string { return fmt.Sprintf("W%08d", i) }

// eachBatch calls fn with batches of schema, filled row by row by fill.
func eachBatch(rows int, schema *arrow.Schema, fill func(b *array.RecordBuilder, row int), fn func(arrow.RecordBatch) error) error {
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for start := 0; start < rows; start += extract.MaxBatchRows {
		for r := start; r < min(rows, start+extract.MaxBatchRows); r++ {
			fill(b, r)
		}
		rec := b.NewRecordBatch()
		err := fn(rec)
		rec.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

func (g usageBench) eachUsers(fn func(arrow.RecordBatch) error) error {
	return eachBatch(g.users, extract.UsersSchema, func(b *array.RecordBuilder, r int) {
		for i := range extract.UsersSchema.NumFields() {
			f := b.Field(i)
			switch extract.UsersSchema.Field(i).Name {
			case "team_id":
				f.(*array.StringBuilder).Append("T1")
			case "user_id":
				f.(*array.StringBuilder).Append(g.userID(r))
			case "name":
				f.(*array.StringBuilder).Append("u")
			case "enterprise_id":
				f.(*array.StringBuilder).Append("E1")
			default:
				f.AppendNull()
			}
		}
	}, fn)
}

func (g usageBench) eachActivity(fn func(arrow.RecordBatch) error) error {
	first := arrow.Date32FromTime(g.asOf.Truncate(24*time.Hour).AddDate(0, 0, -g.days))
	return eachBatch(g.users*g.days, extract.MemberActivitySchema, func(b *array.RecordBuilder, r int) {
		u, d := r%g.users, r/g.users
		active := mix(uint64(u), uint64(d))%100 < uint64(u%5)*22 // 0 %, 22 %, … 88 % of days
		for i := range extract.MemberActivitySchema.NumFields() {
			f := b.Field(i)
			switch name := extract.MemberActivitySchema.Field(i).Name; name {
			case "date":
				f.(*array.Date32Builder).Append(first + arrow.Date32(d))
			case "enterprise_id":
				f.(*array.StringBuilder).Append("E1")
			case "team_id":
				f.(*array.StringBuilder).Append("T1")
			case "user_id":
				f.(*array.StringBuilder).Append(g.userID(u))
			case "email":
				f.AppendNull()
			case "is_active":
				f.(*array.BooleanBuilder).Append(active)
			default:
				switch f := f.(type) {
				case *array.BooleanBuilder:
					f.Append(false)
				case *array.Int64Builder:
					f.Append(0)
				}
			}
		}
	}, fn)
}

func (g usageBench) eachLogs(fn func(arrow.RecordBatch) error) error {
	now := g.asOf.Unix()
	return eachBatch(g.users*g.logsPerUser, extract.AccessLogsSchema, func(b *array.RecordBuilder, r int) {
		u := r / g.logsPerUser
		h := mix(uint64(r), 7)
		last := now - int64(h%(120*86400))
		for i := range extract.AccessLogsSchema.NumFields() {
			f := b.Field(i)
			switch extract.AccessLogsSchema.Field(i).Name {
			case "team_id":
				f.(*array.StringBuilder).Append("T1")
			case "user_id":
				f.(*array.StringBuilder).Append(g.userID(u))
			case "count":
				f.(*array.Int64Builder).Append(int64(h % 50))
			case "first_seen_at":
				f.(*array.TimestampBuilder).Append(arrow.Timestamp((last - int64(h%(30*86400))) * 1e6))
			case "last_seen_at":
				f.(*array.TimestampBuilder).Append(arrow.Timestamp(last * 1e6))
			default:
				f.AppendNull()
			}
		}
	}, fn)
}

// usageSQL is the usage transform written as SQL over the landed tables:
// the same signals, windows and classes.
const usageSQL = `CREATE OR REPLACE TABLE usage_sql AS
WITH members AS (SELECT DISTINCT coalesce(enterprise_id, team_id) AS org_id, user_id FROM users),
a AS (
  SELECT coalesce(enterprise_id, team_id) AS org_id, user_id,
    max(date) FILTER (WHERE is_active) AS last_day,
    count(*) FILTER (WHERE is_active AND date > $day::DATE - 7) AS d7,
    count(*) FILTER (WHERE is_active AND date > $day::DATE - 28) AS d28,
    count(*) FILTER (WHERE is_active AND date > $day::DATE - 30) AS d30,
    count(*) FILTER (WHERE is_active AND date > $day::DATE - 90) AS d90
  FROM member_activity GROUP BY ALL),
s AS (SELECT 'E1' AS org_id, user_id, max(last_seen_at) AS last_seen, min(first_seen_at) AS first_seen, sum(count) AS n
  FROM access_logs GROUP BY ALL),
j AS (
  SELECT m.org_id, m.user_id, a.d7, a.d28, a.d30, a.d90, s.n, s.first_seen,
    greatest(a.last_day::TIMESTAMPTZ, s.last_seen) AS last_used,
    CASE WHEN a.last_day::TIMESTAMPTZ >= coalesce(s.last_seen, '-infinity') THEN 'member_analytics' ELSE 'access_logs' END AS source
  FROM members m LEFT JOIN a USING (org_id, user_id) LEFT JOIN s USING (org_id, user_id))
SELECT org_id, user_id, last_used, CASE WHEN last_used IS NULL THEN NULL ELSE source END AS last_used_source,
  date_diff('day', last_used, $asof) AS days_since_last_use, d7, d28, d30, d90, n AS sign_ins,
  CASE WHEN last_used IS NULL THEN 'never'
       WHEN $asof - last_used > INTERVAL 28 DAY THEN 'dormant'
       WHEN d28 >= 16 THEN 'daily' WHEN d28 >= 4 THEN 'weekly' ELSE 'monthly' END AS usage_frequency
FROM j ORDER BY org_id, user_id`

// BenchmarkUsageTransform computes user_usage for 100,000 people from 90
// days of daily analytics (9M rows) and 300,000 sign-in rows, in Go over
// Arrow batches, and — in the same run — the same aggregation as SQL inside
// DuckDB over the landed tables. Loading the tables is not timed.
func BenchmarkUsageTransform(b *testing.B) {
	g := usageBench{users: 100_000, days: 90, logsPerUser: 3, asOf: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	rows := float64(g.users*g.days + g.users*g.logsPerUser + g.users)
	b.Run("go", func(b *testing.B) {
		var peak uint64
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			runtime.GC()
			b.StartTimer()
			h := startHeapPeak()
			u := transform.NewUsage(transform.UsageConfig{AsOf: g.asOf, OrgOf: map[string]string{"T1": "E1"}})
			// Generating the batches is not timed: only Observe and Emit.
			b.StopTimer()
			observe := func(table string) func(arrow.RecordBatch) error {
				return func(rec arrow.RecordBatch) error {
					b.StartTimer()
					defer b.StopTimer()
					return u.Observe(table, rec)
				}
			}
			if err := g.eachUsers(observe("users")); err != nil {
				b.Fatal(err)
			}
			if err := g.eachActivity(observe("member_activity")); err != nil {
				b.Fatal(err)
			}
			if err := g.eachLogs(observe("access_logs")); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := u.Emit(extract.MaxBatchRows, func(arrow.RecordBatch) error { return nil }); err != nil {
				b.Fatal(err)
			}
			peak = max(peak, h.done())
		}
		b.ReportMetric(rows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
	b.Run("duckdb-sql", func(b *testing.B) {
		ctx := context.Background()
		db, err := warehouse.Open(ctx, filepath.Join(b.TempDir(), "usage.duckdb"), warehouse.Options{Tables: pipeline.Tables()})
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
		if err := g.eachUsers(load("users")); err != nil {
			b.Fatal(err)
		}
		if err := g.eachActivity(load("member_activity")); err != nil {
			b.Fatal(err)
		}
		if err := g.eachLogs(load("access_logs")); err != nil {
			b.Fatal(err)
		}
		if err := run.Commit(ctx, 0); err != nil {
			b.Fatal(err)
		}
		day := g.asOf.Truncate(24 * time.Hour)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := db.SQL().ExecContext(ctx, usageSQL, sqlNamed("day", day), sqlNamed("asof", g.asOf)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(rows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

func sqlNamed(name string, v any) any { return sql.Named(name, v) }
