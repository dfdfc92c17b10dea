package queries

import (
	"fmt"
	"io"
	"testing"
	"time"
)

// seatRows are n rows shaped like inactive_paid_seats' result: ids, an
// email and a name, the seat, when it was last used, and what it costs.
func seatRows(n int) ([]Column, [][]any) {
	cols := []Column{{"org_id", "VARCHAR"}, {"user_id", "VARCHAR"}, {"email", "VARCHAR"}, {"real_name", "VARCHAR"},
		{"seat_type", "VARCHAR"}, {"plan", "VARCHAR"}, {"last_used_at", "TIMESTAMP WITH TIME ZONE"},
		{"days_since_last_use", "BIGINT"}, {"last_used_source", "VARCHAR"}, {"billing_active", "BOOLEAN"},
		{"billing_flag", "VARCHAR"}, {"monthly_cost", "DOUBLE"}, {"currency", "VARCHAR"}, {"workspaces", "BIGINT"}}
	names := []string{"Ada Lovelace", "Grace Hopper", "Alan Turing", "李小龙", "Edsger Dijkstra", "Barbara Liskov"}
	seats := []string{"full", "multi_channel_guest", "single_channel_guest"}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := make([][]any, n)
	for i := range rows {
		var last any
		if i%7 != 0 {
			last = base.Add(-time.Duration(i%4000) * time.Hour)
		}
		rows[i] = []any{"E0ACME", fmt.Sprintf("W%08d", i), fmt.Sprintf("user%d@example.com", i), names[i%len(names)],
			seats[i%len(seats)], "enterprise", last, int64(28 + i%400), "access_logs", i%5 != 0, "active",
			12.5 + float64(i%3), "USD", int64(1 + i%3)}
	}
	return cols, rows
}

// BenchmarkWriteSeats renders 300k rows of an inactive_paid_seats-shaped
// result in each human format, and reports its time as a ratio to csv's
// of the same rows (vs_csv; the goal is ≤ 2). Each iteration writes both,
// one after the other, so that load from other processes weighs on both
// sides of the ratio alike.
func BenchmarkWriteSeats(b *testing.B) {
	const n = 300_000
	cols, rows := seatRows(n)
	write := func(b *testing.B, f Format) time.Duration {
		start := time.Now()
		if _, err := WriteValues(io.Discard, cols, rows, Options{Format: f}); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	for _, f := range []Format{Duckbox, Table, Box, Markdown, Line} {
		b.Run(string(f), func(b *testing.B) {
			var human, csv time.Duration
			for i := 0; i < b.N; i++ {
				csv += write(b, CSV)
				human += write(b, f)
			}
			b.ReportMetric(n*float64(b.N)/human.Seconds(), "rows/s")
			b.ReportMetric(n*float64(b.N)/csv.Seconds(), "csv_rows/s")
			b.ReportMetric(human.Seconds()/csv.Seconds(), "vs_csv")
		})
	}
}
