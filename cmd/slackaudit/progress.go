package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"slackaudit/pipeline"
)

// showWaitsFrom is the shortest rate-limit wait the progress line shows: a
// shorter one passes before anyone wonders why the sync stopped.
const showWaitsFrom = 5 * time.Second

// progress is a sync's pipeline.Progress on a terminal: it prints one
// self-overwriting line: rows landed per data set, at
// most every 200 ms, and a rate-limit wait long enough to notice, at once.
// Sources report waits from their own goroutines, so it is safe for
// concurrent use.
type progress struct {
	w       io.Writer
	mu      sync.Mutex
	last    time.Time
	rows    string    // the rows part of the line
	waiting string    // the wait part, while it lasts
	until   time.Time // when the wait ends
	now     func() time.Time
}

func newProgress(w io.Writer) *progress { return &progress{w: w, now: time.Now} }

var _ pipeline.Progress = (*progress)(nil)

func (p *progress) Update(source string, rows int64) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rows = fmt.Sprintf("syncing %s: %s rows", source, thousands(rows))
	if p.now().Sub(p.last) >= 200*time.Millisecond {
		p.print()
	}
}

// Wait shows a rate-limit wait of d (at Slack's pace) on method, when it is
// long enough to notice: "waiting 30 s: Slack rate limit on team.accessLogs".
func (p *progress) Wait(method string, d time.Duration) {
	if p.w == nil || d < showWaitsFrom {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if end := p.now().Add(d); end.After(p.until) || p.waiting == "" {
		p.waiting, p.until = fmt.Sprintf("waiting %s: Slack rate limit on %s", waitText(d), method), end
	}
	p.print()
}

// print writes the line; the caller holds mu.
func (p *progress) print() {
	p.last = p.now()
	line := p.rows
	if p.waiting != "" && p.last.Before(p.until) {
		if line != "" {
			line += " · "
		}
		line += p.waiting
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
}

// Done clears the line.
func (p *progress) Done() {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.last.IsZero() {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// waitText is a wait as the progress line says it: "30 s", "2 min 5 s".
func waitText(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(d.Seconds()))
	}
	m, s := int(d/time.Minute), int((d%time.Minute)/time.Second)
	if s == 0 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d min %d s", m, s)
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
