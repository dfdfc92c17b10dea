package shell

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// firstWrite records when output first arrives and how much arrives.
type firstWrite struct {
	mu    sync.Mutex
	start time.Time
	first time.Duration
	n     int64
}

func (w *firstWrite) Write(p []byte) (int, error) {
	w.mu.Lock()
	if w.n == 0 && len(p) > 0 {
		w.first = time.Since(w.start)
	}
	w.n += int64(len(p))
	w.mu.Unlock()
	return len(p), nil
}

// BenchmarkScriptCSV runs the shell in-process on 1M rows shaped like
// member_activity (22 columns), csv to a discarding writer: the formatter's
// throughput without process start-up. first-write-ms is when the first
// bytes reach the writer, which for DuckDB's materialized results is when
// the whole query has run. See cmd/slackaudit's BenchmarkShellCSV for 9M
// rows through the binary against COPY.
func BenchmarkScriptCSV(b *testing.B) {
	const rows = 1_000_000
	path := filepath.Join(b.TempDir(), "bench.duckdb")
	ctx := context.Background()
	db, err := warehouse.Open(ctx, path, warehouse.Options{Tables: pipeline.Tables()})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, `CREATE TABLE activity AS SELECT
  DATE '2026-01-01' + (i // 100000)::INTEGER AS date, 'E0ACME' AS enterprise_id, 'T0' || (i % 7) AS team_id,
  'W' || lpad((i % 100000)::VARCHAR, 8, '0') AS user_id, 'user' || (i % 100000) || '@example.com' AS email,
  i % 50 = 0 AS is_guest, i % 9 <> 0 AS is_billable_seat, hash(i) % 3 <> 0 AS is_active,
  hash(i + 1) % 4 = 0 AS a1, hash(i + 2) % 4 = 0 AS a2, hash(i + 3) % 4 = 0 AS a3, hash(i + 4) % 4 = 0 AS a4,
  hash(i + 5) % 4 = 0 AS a5, hash(i + 6) % 4 = 0 AS a6,
  (hash(i + 7) % 60)::BIGINT AS c1, (hash(i + 8) % 60)::BIGINT AS c2, (hash(i + 9) % 60)::BIGINT AS c3,
  (hash(i + 10) % 60)::BIGINT AS c4, (hash(i + 11) % 60)::BIGINT AS c5, (hash(i + 12) % 60)::BIGINT AS c6,
  (hash(i + 13) % 60)::BIGINT AS c7, (hash(i + 14) % 60)::BIGINT AS c8
FROM range(1000000) t(i)`); err != nil {
		b.Fatal(err)
	}
	db.Close()
	var w *firstWrite
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w = &firstWrite{start: time.Now()}
		err := Run(ctx, Config{DBPath: path, Bail: true, Stdout: w, Stderr: io.Discard,
			Stdin: strings.NewReader(".mode csv\nSELECT * FROM activity;\n")})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(rows/secs, "rows/s")
	b.ReportMetric(float64(w.first.Microseconds())/1000, "first-write-ms")
	b.ReportMetric(float64(w.n)/rows, "bytes/row")
}
