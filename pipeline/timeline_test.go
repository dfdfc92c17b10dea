package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// timeline records when each data set of a sync was read and how long each
// method waited for Slack's rate limits, for a benchmark to show where a
// sync's time went. It is a Progress and a slog.Handler of the sync's
// debug notes.
type timeline struct {
	start time.Time
	mu    sync.Mutex
	spans []span
	waits map[string]time.Duration // at Slack's pace
	first map[string]time.Duration // first rows landed, since start
}

// span is one data set's read in one workspace, since the sync started.
type span struct {
	dataSet, team string
	from, to      time.Duration
	calls         int64
}

func newTimeline(now time.Time) *timeline {
	return &timeline{start: now, waits: map[string]time.Duration{}, first: map[string]time.Duration{}}
}

func (t *timeline) Update(dataSet string, _ int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.first[dataSet]; !ok {
		t.first[dataSet] = time.Since(t.start)
	}
}

func (t *timeline) Wait(method string, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.waits[method] += d
}

func (t *timeline) Done() {}

func (t *timeline) Enabled(context.Context, slog.Level) bool { return true }
func (t *timeline) WithAttrs([]slog.Attr) slog.Handler       { return t }
func (t *timeline) WithGroup(string) slog.Handler            { return t }

// Handle keeps the "data set read" notes as spans.
func (t *timeline) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "data set read" {
		return nil
	}
	s := span{to: r.Time.Sub(t.start)}
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "data_set":
			s.dataSet = a.Value.String()
		case "team":
			s.team = a.Value.String()
		case "calls":
			calls, _ := a.Value.Any().(map[string]int64)
			for _, n := range calls {
				s.calls += n
			}
		case "in":
			s.from = s.to - a.Value.Duration()
		}
		return true
	})
	t.mu.Lock()
	defer t.mu.Unlock()
	t.spans = append(t.spans, s)
	return nil
}

// String lists the spans by start, then the waits per method, longest first.
func (t *timeline) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var b strings.Builder
	spans := slices.Clone(t.spans)
	slices.SortFunc(spans, func(a, b span) int { return int(a.from - b.from) })
	for _, s := range spans {
		fmt.Fprintf(&b, "%-18s %-12s %7.2fs – %7.2fs  %5d calls\n", s.dataSet, s.team, s.from.Seconds(), s.to.Seconds(), s.calls)
	}
	methods := make([]string, 0, len(t.waits))
	for m := range t.waits {
		methods = append(methods, m)
	}
	slices.SortFunc(methods, func(a, b string) int { return int(t.waits[b] - t.waits[a]) })
	for _, m := range methods {
		fmt.Fprintf(&b, "waits %-26s %8.1f s at Slack's pace\n", m, t.waits[m].Seconds())
	}
	return b.String()
}
