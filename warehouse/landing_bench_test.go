package warehouse_test

import (
	"database/sql"
	"flag"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract"
	"slackaudit/warehouse"
	"slackaudit/warehouse/schema"
)

// Row counts of BenchmarkLanding; e.g.
// go test -tags duckdb_arrow -run '^$' -bench Landing -benchtime 1x ./warehouse -args -landing.activity 8900000
var (
	landingActivityRows = flag.Int("landing.activity", 2_000_000, "member_activity rows BenchmarkLanding lands")
	landingUsersRows    = flag.Int("landing.users", 1_000_000, "users rows BenchmarkLanding lands")
)

// BenchmarkLanding compares the sync's load path with DuckDB reading the
// same rows from Parquet, in one process: the sync opens the warehouse for
// writing and lands the rows in batches of extract.MaxBatchRows, as the
// pipeline does (BeginRun, Load, Commit); the anchor runs INSERT INTO t
// SELECT * FROM read_parquet(…) of those rows into the same table in a
// plain DuckDB file. vs_read_parquet is the sync's rows/s over the
// anchor's. The member_activity table (the widest) and users are the real
// data sets' schemas.
func BenchmarkLanding(b *testing.B) {
	b.Run("member_activity", func(b *testing.B) {
		benchLanding(b, extract.MemberActivitySchema, *landingActivityRows)
	})
	b.Run("users", func(b *testing.B) { benchLanding(b, extract.UsersSchema, *landingUsersRows) })
}

func benchLanding(b *testing.B, s *arrow.Schema, rows int) {
	alloc := memory.NewGoAllocator()
	batches := landingBatches(alloc, s, rows)
	defer func() {
		for _, r := range batches {
			r.Release()
		}
	}()
	table := schema.TableName(s)
	var load, read spent
	for i := 0; b.Loop(); i++ {
		dir := b.TempDir()
		wh := filepath.Join(dir, fmt.Sprintf("w%d.duckdb", i))
		var db *warehouse.DB
		load.add(func() { db = timeLanding(b, wh, s, batches) })
		db.Close() // as the anchor's, outside the timed part
		parquet := filepath.Join(dir, "rows.parquet")
		anchor := prepareAnchor(b, wh, table, parquet)
		read.add(func() { timeReadParquet(b, anchor, table, parquet, rows) })
		anchor.Close()
	}
	loadRate := float64(rows*b.N) / load.wall.Seconds()
	readRate := float64(rows*b.N) / read.wall.Seconds()
	b.ReportMetric(loadRate, "load_rows/s")
	b.ReportMetric(readRate, "read_parquet_rows/s")
	b.ReportMetric(loadRate/readRate, "vs_read_parquet")
	// CPU time is less disturbed than wall time by other work on the machine.
	b.ReportMetric(load.cpu.Seconds()/float64(b.N), "load_cpu_s/op")
	b.ReportMetric(read.cpu.Seconds()/float64(b.N), "read_parquet_cpu_s/op")
}

// spent is the wall and CPU time (of the whole process, all threads) of
// the timed parts.
type spent struct{ wall, cpu time.Duration }

func (s *spent) add(fn func()) {
	cpu0, start := processCPU(), time.Now()
	fn()
	s.wall += time.Since(start)
	s.cpu += processCPU() - cpu0
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// timeLanding lands batches in a new warehouse at path the way a sync does,
// from Open to Commit, and returns the warehouse, still open.
func timeLanding(b *testing.B, path string, s *arrow.Schema, batches []arrow.RecordBatch) *warehouse.DB {
	db, err := warehouse.Open(ctx, path, warehouse.Options{Tables: []*arrow.Schema{s}})
	if err != nil {
		b.Fatal(err)
	}
	run, err := db.BeginRun(ctx, warehouse.RunInfo{AsOf: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	table := schema.TableName(s)
	for _, rec := range batches {
		if err := run.Load(ctx, table, rec); err != nil {
			b.Fatal(run.Fail(ctx, err))
		}
	}
	if err := run.Commit(ctx, 0); err != nil {
		b.Fatal(err)
	}
	return db
}

// prepareAnchor writes table of the warehouse at path to a Parquet file
// and returns a plain DuckDB file holding an empty table of the same
// definition, ready for the timed read.
func prepareAnchor(b *testing.B, wh, table, parquet string) *sql.DB {
	anchor, err := sql.Open("duckdb", filepath.Join(filepath.Dir(wh), "anchor.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	var ddl string
	steps := []string{
		fmt.Sprintf("ATTACH '%s' AS wh (READ_ONLY)", wh),
		fmt.Sprintf("COPY wh.main.%s TO '%s' (FORMAT parquet)", table, parquet),
	}
	for _, q := range steps {
		if _, err := anchor.ExecContext(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	if err := anchor.QueryRowContext(ctx, "SELECT sql FROM duckdb_tables() WHERE database_name = 'wh' AND table_name = ?", table).Scan(&ddl); err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"DETACH wh", ddl} {
		if _, err := anchor.ExecContext(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	return anchor
}

// timeReadParquet runs DuckDB's INSERT … SELECT * FROM read_parquet of the
// rows and checks it read them all.
func timeReadParquet(b *testing.B, anchor *sql.DB, table, parquet string, rows int) {
	res, err := anchor.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s SELECT * FROM read_parquet('%s')", table, parquet))
	if err != nil {
		b.Fatal(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(rows) {
		b.Fatalf("read_parquet inserted %d rows (%v), want %d", n, err, rows)
	}
}

// landingBatches builds rows rows of s in batches of extract.MaxBatchRows,
// as a Source emits them. Values vary like a real organisation's: a
// hundred thousand people over a few workspaces, one row per person per
// day.
func landingBatches(alloc memory.Allocator, s *arrow.Schema, rows int) []arrow.RecordBatch {
	var out []arrow.RecordBatch
	for off := 0; off < rows; off += extract.MaxBatchRows {
		out = append(out, landingBatch(alloc, s, off, min(extract.MaxBatchRows, rows-off)))
	}
	return out
}

func landingBatch(alloc memory.Allocator, s *arrow.Schema, off, n int) arrow.RecordBatch {
	rb := array.NewRecordBuilder(alloc, s)
	defer rb.Release()
	for i, f := range s.Fields() {
		fill(rb.Field(i), f.Name, off, n)
	}
	return rb.NewRecordBatch()
}

// fill appends rows off … off+n-1 of one column.
func fill(col array.Builder, name string, off, n int) {
	const people = 100_000
	day := arrow.Date32FromTime(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
	for r := off; r < off+n; r++ {
		p := r % people
		switch c := col.(type) {
		case *array.StringBuilder:
			c.Append(landingText(name, p))
		case *array.BooleanBuilder:
			c.Append((r+len(name))%3 == 0)
		case *array.Int64Builder:
			c.Append(int64((r * len(name)) % 97))
		case *array.Date32Builder:
			c.Append(day + arrow.Date32(r/people))
		case *array.TimestampBuilder:
			c.Append(arrow.Timestamp(int64(1_700_000_000+p*37) * 1_000_000))
		default:
			panic(fmt.Sprintf("landing benchmark: no values for column %s of type %s", name, col.Type()))
		}
	}
}

// landingText is person p's value of a text column.
func landingText(name string, p int) string {
	switch name {
	case "team_id":
		return fmt.Sprintf("T%010d", p%3)
	case "enterprise_id":
		return "E0123456789"
	case "user_id", "name":
		return fmt.Sprintf("W%010d", p)
	case "email":
		return fmt.Sprintf("person.%d@example.com", p)
	case "tz":
		return "Europe/Paris"
	}
	return fmt.Sprintf("%s of person %d", name, p)
}
