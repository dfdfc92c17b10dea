package slacktest

import (
	"math"
	"sync"
	"time"
)

// limiter keeps a sliding-window log of allowed calls per method and workspace.
type limiter struct {
	mu   sync.Mutex
	logs map[limitKey]*callLog
}

type limitKey struct{ method, team string }

// callLog is a ring of the times of the last allowed calls (at most limit).
type callLog struct {
	times []time.Time
	start int
	n     int
}

// allow records a call at now if fewer than limit calls happened in the
// window before it; otherwise it reports how long until one expires.
func (l *limiter) allow(key limitKey, limit int, window time.Duration, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.logs == nil {
		l.logs = make(map[limitKey]*callLog)
	}
	c := l.logs[key]
	if c == nil || len(c.times) != limit {
		c = &callLog{times: make([]time.Time, limit)}
		l.logs[key] = c
	}
	for c.n > 0 && now.Sub(c.times[c.start]) >= window {
		c.start = (c.start + 1) % limit
		c.n--
	}
	if c.n < limit {
		c.times[(c.start+c.n)%limit] = now
		c.n++
		return true, 0
	}
	return false, c.times[c.start].Add(window).Sub(now)
}

// reset forgets every recorded call.
func (l *limiter) reset() {
	l.mu.Lock()
	l.logs = nil
	l.mu.Unlock()
}

// retryAfterSeconds converts a real wait into the whole virtual seconds
// reported in Retry-After: ceil(wait / scale), at least 1.
func retryAfterSeconds(wait time.Duration, scale float64) int {
	secs := int(math.Ceil(wait.Seconds()/scale - 1e-9))
	return max(secs, 1)
}
