//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"slackaudit/pipeline"
	"slackaudit/queries/shell"
	"slackaudit/warehouse"
)

// The shell benchmarks run the real slackaudit binary, built once per
// benchmark process, against warehouses generated once and kept under
// $TMPDIR/slackaudit-bench (delete the folder to regenerate them).

const activityRows = 9_000_000

func benchCacheDir(b *testing.B) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "slackaudit-bench")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	return dir
}

// needDisk skips the benchmark when the cache folder's disk has less than
// gib GiB free.
func needDisk(b *testing.B, dir string, gib float64) {
	b.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		b.Fatal(err)
	}
	free := float64(st.Bavail) * float64(st.Bsize) / (1 << 30)
	if free < gib {
		b.Skipf("needs %.0f GiB free under %s for its warehouse and DuckDB's temporary files; %.1f GiB are free", gib, dir, free)
	}
}

var (
	benchBinOnce sync.Once
	benchBin     string
	benchBinErr  error
)

// slackauditBinary builds the real binary (not this test binary) once per
// run, into the cache folder.
func slackauditBinary(b *testing.B) string {
	b.Helper()
	dir := benchCacheDir(b)
	benchBinOnce.Do(func() {
		benchBin = filepath.Join(dir, "slackaudit")
		out, err := exec.Command("go", "build", "-tags", "duckdb_arrow", "-o", benchBin, ".").CombinedOutput()
		if err != nil {
			benchBinErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if benchBinErr != nil {
		b.Fatal(benchBinErr)
	}
	return benchBin
}

// activitySelect generates rows shaped like member_activity: users × days,
// with the flags and counters Slack's analytics files carry. wide makes the
// IDs and emails random hex, which DuckDB cannot compress much (for the
// 1 GB warehouse).
func activitySelect(n, offset int64, wide bool) string {
	user := "'W' || lpad((i % 100000)::VARCHAR, 8, '0')"
	email := "'user' || (i % 100000) || '@example.com'"
	if wide {
		user = "'W' || upper(substr(md5((i % 1000000)::VARCHAR), 1, 10))"
		email = "md5(i::VARCHAR) || '@' || md5((i % 977)::VARCHAR) || '.example.com'"
	}
	return fmt.Sprintf(`SELECT
  DATE '2026-01-01' + (i // 100000)::INTEGER AS date,
  'E0ACME' AS enterprise_id,
  'T0' || (i %% 7) AS team_id,
  %s AS user_id,
  %s AS email,
  i %% 50 = 0 AS is_guest,
  i %% 9 <> 0 AS is_billable_seat,
  hash(i) %% 3 <> 0 AS is_active,
  hash(i + 1) %% 4 = 0 AS is_active_ios,
  hash(i + 2) %% 6 = 0 AS is_active_android,
  hash(i + 3) %% 2 = 0 AS is_active_desktop,
  hash(i + 4) %% 5 = 0 AS is_active_apps,
  hash(i + 5) %% 11 = 0 AS is_active_workflows,
  hash(i + 6) %% 13 = 0 AS is_active_slack_connect,
  (hash(i + 7) %% 60)::BIGINT AS messages_posted,
  (hash(i + 8) %% 30)::BIGINT AS channel_messages_posted,
  (hash(i + 9) %% 20)::BIGINT AS reactions_added,
  (hash(i + 10) %% 3)::BIGINT AS files_added,
  (hash(i + 11) %% 2)::BIGINT AS calls,
  (hash(i + 12) %% 2)::BIGINT AS slack_calls,
  (hash(i + 13) %% 3)::BIGINT AS huddles,
  (hash(i + 14) %% 5)::BIGINT AS searches
FROM range(%d, %d) t(i)`, user, email, offset, offset+n)
}

// loadActivity appends n generated rows to member_activity, creating the
// table when the warehouse contract does not have it yet.
func loadActivity(ctx context.Context, db *warehouse.DB, n, offset int64, wide bool) error {
	var exists bool
	if err := db.SQL().QueryRowContext(ctx,
		`SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = 'member_activity' AND schema_name = 'main'`).Scan(&exists); err != nil {
		return err
	}
	q := "INSERT INTO member_activity BY NAME " + activitySelect(n, offset, wide)
	if !exists {
		q = "CREATE TABLE member_activity AS " + activitySelect(n, offset, wide)
	}
	_, err := db.SQL().ExecContext(ctx, q)
	return err
}

// cachedWarehouse returns the warehouse called name in the cache, building
// it with fill under a temporary name first so an interrupted build is
// never mistaken for a finished one.
func cachedWarehouse(b *testing.B, name string, fill func(ctx context.Context, db *warehouse.DB, path string) error) string {
	b.Helper()
	dir := benchCacheDir(b)
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	b.Logf("generating %s (once; kept for later runs)", path)
	tmp := path + ".building"
	os.Remove(tmp)
	os.Remove(tmp + ".wal")
	ctx := context.Background()
	db, err := warehouse.Open(ctx, tmp, warehouse.Options{Tables: pipeline.Tables()})
	if err != nil {
		b.Fatal(err)
	}
	if err := fill(ctx, db, tmp); err != nil {
		db.Close()
		b.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, "CHECKPOINT"); err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// childRun is what one run of the binary did, seen from its stdout.
type childRun struct {
	firstRow time.Duration // process start to the end of the first data row (the second line)
	total    time.Duration // process start to exit
	bytes    int64
	lines    int64
	maxRSS   int64 // peak resident memory of the process, bytes
}

// runChild runs the binary with stdin, reading its stdout as fast as it
// comes (or sending it to /dev/null when devNull, where only the total
// time counts).
func runChild(b *testing.B, bin string, args []string, stdin string, devNull bool) childRun {
	b.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), shell.HistoryEnv+"=off")
	cmd.Stdin = strings.NewReader(stdin)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	var r childRun
	var out io.ReadCloser
	if devNull {
		f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		cmd.Stdout = f
	} else {
		var err error
		if out, err = cmd.StdoutPipe(); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	if out != nil {
		buf := make([]byte, 1<<20)
		for {
			n, err := out.Read(buf)
			if n > 0 {
				if r.lines < 2 {
					for _, c := range buf[:n] {
						if c == '\n' {
							r.lines++
							if r.lines == 2 {
								r.firstRow = time.Since(start)
								break
							}
						}
					}
				}
				r.bytes += int64(n)
			}
			if err != nil {
				break
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		b.Fatalf("%s %v: %v\n%s", bin, args, err, errb.String())
	}
	r.total = time.Since(start)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss * 1024
	}
	return r
}

// BenchmarkShellCSV compares the shell's csv output of SELECT * over 9M
// member_activity rows with DuckDB writing the same rows itself through
// COPY … TO '/dev/stdout', both run by the same binary as child processes in
// the same benchmark run. first-row-ms is from process start (about the
// start-up time of BenchmarkShellStartup) to the arrival of the first data
// row; total-s is to process exit; the /dev/null variants only measure total
// time, with no pipe reader in the way.
func BenchmarkShellCSV(b *testing.B) {
	dir := benchCacheDir(b)
	needDisk(b, dir, 4)
	bin := slackauditBinary(b)
	db := cachedWarehouse(b, "activity-9m.duckdb", func(ctx context.Context, db *warehouse.DB, _ string) error {
		return loadActivity(ctx, db, activityRows, 0, false)
	})
	cases := []struct {
		name    string
		script  string
		devNull bool
	}{
		{"shell-csv-pipe", ".mode csv\nSELECT * FROM member_activity;\n", false},
		{"copy-csv-pipe", "COPY member_activity TO '/dev/stdout' (FORMAT csv, HEADER);\n", false},
		{"shell-csv-devnull", ".mode csv\nSELECT * FROM member_activity;\n", true},
		{"copy-csv-devnull", "COPY member_activity TO '/dev/stdout' (FORMAT csv, HEADER);\n", true},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var r childRun
			for i := 0; i < b.N; i++ {
				r = runChild(b, bin, []string{"shell", "--db", db}, tc.script, tc.devNull)
				if !tc.devNull && r.lines < 2 {
					b.Fatalf("only %d lines of output", r.lines)
				}
			}
			if !tc.devNull {
				b.ReportMetric(float64(r.firstRow.Microseconds())/1000, "first-row-ms")
				b.ReportMetric(float64(r.bytes)/(1<<20), "MB")
			}
			b.ReportMetric(r.total.Seconds(), "total-s")
			b.ReportMetric(activityRows/r.total.Seconds(), "rows/s")
			b.ReportMetric(float64(r.maxRSS)/(1<<20), "peak-rss-MB")
		})
	}
}

// startupGiB is the warehouse size BenchmarkShellStartup opens.
const startupGiB = 1.0

// BenchmarkShellStartup measures how long the shell takes to become usable
// on a warehouse of about 1 GB: script mode running ".quit" (process start
// to exit), and an interactive session on a pseudo-terminal (process start
// to the first prompt). Each is run 5 times; the median is reported.
func BenchmarkShellStartup(b *testing.B) {
	dir := benchCacheDir(b)
	needDisk(b, dir, 4)
	bin := slackauditBinary(b)
	db := cachedWarehouse(b, "startup-1g.duckdb", func(ctx context.Context, db *warehouse.DB, path string) error {
		const chunk = 2_500_000 // about 370 MB each; stop once past 1 GiB
		for off := int64(0); ; off += chunk {
			if err := loadActivity(ctx, db, chunk, off, true); err != nil {
				return err
			}
			if _, err := db.SQL().ExecContext(ctx, "CHECKPOINT"); err != nil {
				return err
			}
			st, err := os.Stat(path)
			if err != nil {
				return err
			}
			if float64(st.Size()) >= startupGiB*(1<<30) {
				return nil
			}
		}
	})
	st, err := os.Stat(db)
	if err != nil {
		b.Fatal(err)
	}
	median := func(ds []time.Duration) time.Duration {
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	b.Run("script-quit", func(b *testing.B) {
		var ds []time.Duration
		for i := 0; i < b.N; i++ {
			ds = ds[:0]
			for range 5 {
				ds = append(ds, runChild(b, bin, []string{"shell", "--db", db}, ".quit\n", true).total)
			}
		}
		b.ReportMetric(float64(median(ds).Microseconds())/1000, "to-exit-ms")
		b.ReportMetric(float64(st.Size())/(1<<30), "warehouse-GiB")
	})
	b.Run("interactive-prompt", func(b *testing.B) {
		var ds []time.Duration
		for i := 0; i < b.N; i++ {
			ds = ds[:0]
			for range 5 {
				ds = append(ds, timeToPrompt(b, bin, db))
			}
		}
		b.ReportMetric(float64(median(ds).Microseconds())/1000, "to-prompt-ms")
		b.ReportMetric(float64(st.Size())/(1<<30), "warehouse-GiB")
	})
}

// timeToPrompt starts an interactive shell on a pseudo-terminal and returns
// the time until its prompt appears; it then leaves with Ctrl-D.
func timeToPrompt(b *testing.B, bin, db string) time.Duration {
	b.Helper()
	p, err := openPTY(40, 120)
	if err != nil {
		b.Fatal(err)
	}
	defer p.master.Close()
	cmd := exec.Command(bin, "shell", "--db", db)
	cmd.Env = append(os.Environ(), shell.HistoryEnv+"=off")
	start := time.Now()
	if err := p.start(cmd); err != nil {
		b.Fatal(err)
	}
	deadline := time.After(2 * time.Minute)
	for {
		p.mu.Lock()
		seen := strings.Contains(string(p.out), shell.Prompt)
		p.mu.Unlock()
		if seen {
			break
		}
		select {
		case <-p.notify:
		case <-deadline:
			cmd.Process.Kill()
			b.Fatal("no prompt within 2 minutes")
		}
	}
	d := time.Since(start)
	p.master.Write([]byte{4})
	if err := cmd.Wait(); err != nil {
		b.Fatal(err)
	}
	return d
}
