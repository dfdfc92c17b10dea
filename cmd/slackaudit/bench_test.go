package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// serveOrgEnv makes the test binary serve a synthetic org instead of running
// tests, so a benchmark can measure the sync's memory without the org's.
const serveOrgEnv = "SLACKAUDIT_TEST_SERVE_ORG"

func TestMain(m *testing.M) {
	// Before m.Run parses the arguments: they are slackaudit's.
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	if spec := os.Getenv(serveOrgEnv); spec != "" {
		serveOrg(spec)
		return
	}
	code := m.Run()
	templates.remove()
	os.Exit(code)
}

// serveOrg serves the org described by "users" or "users:grid" with rate
// limits off, prints its URL and token, and stops when stdin closes. A grid
// org has three workspaces and an org-level token with every admin scope.
func serveOrg(spec string) {
	users, kind, _ := strings.Cut(spec, ":")
	n, err := strconv.Atoi(users)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	cfg := slacktest.Config{Seed: 1, Users: n}
	if kind == "grid" {
		cfg.Plan, cfg.Workspaces = slacktest.PlanEnterprise, 3
	}
	org := slacktest.NewOrg(cfg)
	tok := org.AdminToken()
	if kind == "grid" {
		tok = org.OrgToken("admin", "admin.teams:read", "admin.users:read", "admin.analytics:read",
			"users:read", "users:read.email", "team:read", "team.billing:read")
	}
	srv := slacktest.NewServer(org, slacktest.WithRateLimits(false), slacktest.WithToken(tok))
	fmt.Println(srv.URL(), tok.Value)
	bufio.NewReader(os.Stdin).ReadString('\n')
	srv.Close()
}

// startOrgProcess serves an org (see serveOrg for spec) from a child process.
func startOrgProcess(b *testing.B, spec string) (url, token string) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveOrgEnv+"="+spec)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatal(err)
	}
	f := strings.Fields(line)
	if len(f) != 2 {
		b.Fatalf("org process said %q", line)
	}
	return f[0], f[1]
}

// liveHeap is the heap that survived the last garbage collection, which
// unlike HeapAlloc does not count garbage waiting for the next cycle.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// heapPeak samples the live heap until stopped and reports the highest value.
type heapPeak struct {
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func startHeapPeak() *heapPeak {
	h := &heapPeak{stop: make(chan struct{})}
	h.wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			if v := liveHeap(); v > h.peak.Load() {
				h.peak.Store(v)
			}
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	})
	return h
}

func (h *heapPeak) done() uint64 { close(h.stop); h.wg.Wait(); return h.peak.Load() }

// BenchmarkSyncUsers syncs a whole synthetic org end to end over loopback
// with rate limits off: slack-go decoding, Arrow batches, DuckDB staging and
// the swap. The org is served by a child process, as Slack would be remote,
// so peak-heap-MB is the sync's own live heap.
func BenchmarkSyncUsers(b *testing.B) {
	for _, n := range []int{100_000, 400_000} {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			url, token := startOrgProcess(b, strconv.Itoa(n))
			client, err := slackapi.New(slackapi.Config{APIURL: url, Token: token, NoRateLimit: true, Logger: quiet()})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			db, err := warehouse.Open(ctx, filepath.Join(b.TempDir(), "bench.duckdb"), warehouse.Options{Tables: pipeline.Tables()})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			var peak uint64
			var calls map[string]int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				runtime.GC()
				before := client.Calls()
				h := startHeapPeak()
				b.StartTimer()
				// Members and billing flags: sign-ins are skipped here;
				// BenchmarkSyncGridOrg covers them.
				if _, err := pipeline.Run(ctx, pipeline.Options{Client: client, DB: db, Skip: map[string]bool{"access_logs": true}}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				peak = max(peak, h.done())
				calls = client.Calls()
				for m, v := range before {
					calls[m] -= v
				}
				b.StartTimer()
			}
			b.StopTimer()
			secs := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(n)/secs, "members/s")
			b.ReportMetric(float64(calls["users.list"]), "users.list-calls")
			b.ReportMetric(float64(calls["team.billableInfo"]), "billableInfo-calls")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			want := int64((n + slackapi.UsersPageSize - 1) / slackapi.UsersPageSize)
			if calls["users.list"] != want || calls["team.billableInfo"] != want {
				b.Fatalf("calls %v, want %d per paged method", calls, want)
			}
		})
	}
}

// BenchmarkSyncGridOrg syncs a 100,000-person Enterprise Grid org with an
// org-level token end to end over loopback, rate limits off: three
// workspaces' members, billing flags and sign-ins, the org's people, 90 days
// of daily member analytics, and the usage transform.
func BenchmarkSyncGridOrg(b *testing.B) {
	url, token := startOrgProcess(b, "100000:grid")
	client, err := slackapi.New(slackapi.Config{APIURL: url, Token: token, NoRateLimit: true, Logger: quiet()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var rows int64
	var peak uint64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := warehouse.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("grid%d.duckdb", i)), warehouse.Options{Tables: pipeline.Tables()})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		h := startHeapPeak()
		b.StartTimer()
		res, err := pipeline.Run(ctx, pipeline.Options{Client: client, DB: db, AsOf: testNow})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		peak = max(peak, h.done())
		for _, t := range res.Tables {
			rows += t.Rows
		}
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
