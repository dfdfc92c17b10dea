package pipeline

import (
	"context"
	"flag"
	"log/slog"
	"testing"
	"time"
)

// floorScale is the time scale of BenchmarkSyncFloor: by default 1,
// Slack's own pace, so the floor is 10 minutes (admin.users.list: 1,000
// calls at 100 a minute). The sync of this organisation takes about 90 s
// of CPU (user and system), a quarter of it the synthetic org's (it gzips
// every analytics file it serves), most of the rest the sync decoding 90
// daily files of 100,000 people and landing them. A smaller scale
// measures that CPU, not the scheduling: at 0.1 (a floor of 60 s) the
// CPU exceeds the floor even with both cores free, and at 0.5 (300 s) on
// this shared machine at a load average of 17-28 the process got a
// quarter of a core and the analytics files alone took 343-540 s.
var floorScale = flag.Float64("floor-scale", 1, "BenchmarkSyncFloor: how long a minute of Slack's rate limits lasts, in minutes")

// BenchmarkSyncFloor syncs a 100,000-person Grid organisation in 3
// workspaces against Slack's tiers, enforced in sliding windows and
// time-scaled, and reports vs_floor: the sync's wall time ÷ the floor its
// calls allow (the most, over methods and workspaces, of calls ÷ the
// tier). Each run starts from an empty warehouse, checks that every paged
// method made the least calls its rows need and that no call drew a 429,
// and reports the floor's method's calls.
func BenchmarkSyncFloor(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		srv, o := pacedGrid(b, 100_000, *floorScale)
		tl := newTimeline(time.Now())
		o.Progress, o.Logger = tl, slog.New(tl)
		b.StartTimer()
		res, err := Run(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		requireMinimumCalls(b, srv, o.DB, int(DefaultWindow/(24*time.Hour)))
		b.ReportMetric(res.Elapsed.Seconds()/res.Floor.Seconds(), "vs_floor")
		b.ReportMetric(res.Floor.Seconds() / *floorScale / 60, "floor_min")
		b.ReportMetric(float64(srv.Calls(res.FloorMethod)), "floor_calls")
		b.Logf("floor %.1f min (%s), took %.1f min at Slack's pace; calls %v",
			res.Floor.Minutes() / *floorScale, res.FloorMethod, res.Elapsed.Minutes() / *floorScale, srv.CallCounts())
		b.Logf("timeline:\n%s", tl)
		b.StartTimer()
	}
}
