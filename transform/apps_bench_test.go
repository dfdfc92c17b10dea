package transform

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// benchChanges cycle through an app's history after its install.
var benchChanges = []string{"updated", "expanded", "disabled", "enabled", "updated", "removed", "added", "expanded", "token_rotated"}

var benchScopes = []string{"commands", "chat:write", "channels:read", "users:read", "users:read.email", "channels:history",
	"im:history", "files:read", "reactions:write", "links:read", "links:write", "search:read", "ai.summaries:read"}

// benchEvents yields the integration logs of teams workspaces with apps
// apps each and perApp entries per app, newest first per workspace, in
// batches of at most 64k rows.
func benchEvents(teams, apps, perApp int, yield func(arrow.RecordBatch)) {
	const batch = 64 * 1024
	buf := make([]ev, 0, batch)
	flush := func() {
		rec := eventsBatch(buf)
		yield(rec)
		rec.Release()
		buf = buf[:0]
	}
	for t := range teams {
		team := fmt.Sprintf("T%08d", t)
		pos := int64(0)
		for i := perApp - 1; i >= 0; i-- { // newest first
			for a := range apps {
				change := "added"
				if i > 0 {
					change = benchChanges[(i+a)%len(benchChanges)]
				}
				scope := ""
				for s := range 3 + (a+i)%5 {
					if s > 0 {
						scope += ","
					}
					scope += benchScopes[(a+s*3+i/7)%len(benchScopes)]
				}
				buf = append(buf, ev{team: team, kind: "app", id: fmt.Sprintf("A%06d", a), name: fmt.Sprintf("App %d", a),
					user: fmt.Sprintf("U%06d", (a*31+i)%5000), change: change, scope: scope, reason: "user",
					date: 1_600_000_000 + int64(i)*3600 + int64(a), pos: pos})
				pos++
				if len(buf) == batch {
					flush()
				}
			}
		}
	}
	if len(buf) > 0 {
		flush()
	}
}

// BenchmarkAppsReplay replays 1,000,000 integration-log entries across 200
// workspaces (50 apps each, 100 entries per app) into the apps table.
// Building the batches is not timed. peak-heap-MB is the heap's peak
// above the start, garbage and the batch being built included; state-MB
// is what the replay keeps once every entry is read (after a GC).
func BenchmarkAppsReplay(b *testing.B) {
	const teams, apps, perApp = 200, 50, 100
	events := teams * apps * perApp
	var peak, retained uint64
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		base := liveHeapBytes()
		h := startPeak()
		a := NewApps(AppsConfig{})
		benchEvents(teams, apps, perApp, func(rec arrow.RecordBatch) {
			b.StartTimer() // batches are built untimed
			if err := a.Observe("app_events", rec); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
		})
		runtime.GC()
		retained = max(retained, liveHeapBytes()-min(base, liveHeapBytes()))
		b.StartTimer()
		rows := 0
		if err := a.Emit(64*1024, func(rec arrow.RecordBatch) error { rows += int(rec.NumRows()); return nil }); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		peak = max(peak, h.done()-min(base, h.done()))
		if rows != teams*apps {
			b.Fatalf("%d apps, want %d", rows, teams*apps)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(retained)/(1<<20), "state-MB")
}

func liveHeapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// peakSampler records the largest live heap seen until done.
type peakSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func startPeak() *peakSampler {
	p := &peakSampler{stop: make(chan struct{})}
	p.wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if v := liveHeapBytes(); v > p.peak.Load() {
				p.peak.Store(v)
			}
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	})
	return p
}

func (p *peakSampler) done() uint64 {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	p.wg.Wait()
	return p.peak.Load()
}
