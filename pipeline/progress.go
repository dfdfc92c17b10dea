package pipeline

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// showWaitsFrom is the shortest rate-limit wait the progress line shows: a
// shorter one passes before anyone wonders why the sync stopped.
const showWaitsFrom = 5 * time.Second

// TerminalProgress is a sync's Progress on a terminal: it prints one
// self-overwriting line: rows landed per data set, at
// most every 200 ms, and a rate-limit wait long enough to notice, at once.
// Sources report waits from their own goroutines, so it is safe for
// concurrent use.
type TerminalProgress struct {
	w       io.Writer
	mu      sync.Mutex
	last    time.Time
	rows    string    // the rows part of the line
	waiting string    // the wait part, while it lasts
	until   time.Time // when the wait ends
	now     func() time.Time
}

// NewTerminalProgress returns a progress line written to w; nothing is
// written when w is nil.
func NewTerminalProgress(w io.Writer) *TerminalProgress {
	return &TerminalProgress{w: w, now: time.Now}
}

var _ Progress = (*TerminalProgress)(nil)

func (p *TerminalProgress) Update(source string, rows int64) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rows = fmt.Sprintf("syncing %s: %s rows", source, Thousands(rows))
	if p.now().Sub(p.last) >= 200*time.Millisecond {
		p.print()
	}
}

// Wait shows a rate-limit wait of d (at Slack's pace) on method, when it is
// long enough to notice: "waiting 30 s: Slack rate limit on team.accessLogs".
func (p *TerminalProgress) Wait(method string, d time.Duration) {
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
func (p *TerminalProgress) print() {
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
func (p *TerminalProgress) Done() {
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
