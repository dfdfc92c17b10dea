package slackapi

import (
	"context"
	"sync"
	"time"
)

// limiter paces calls to one Slack method: a token bucket refilled at the
// method's tier rate, which Retry-After answers can pause further.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration // time to earn one call
	burst    float64
	tokens   float64
	last     time.Time
	until    time.Time // no call before this (set by Retry-After)
}

func newLimiter(t Tier, scale float64) *limiter {
	return &limiter{
		interval: time.Duration(float64(t.interval()) * scale),
		burst:    float64(t.burst()),
		tokens:   float64(t.burst()),
	}
}

// reserve takes one call's allowance and says how long to wait before using it.
func (l *limiter) reserve(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() && l.interval > 0 {
		l.tokens += float64(now.Sub(l.last)) / float64(l.interval)
		if l.tokens > l.burst {
			l.tokens = l.burst
		}
	}
	l.last = now
	l.tokens--
	var wait time.Duration
	if l.tokens < 0 {
		wait = time.Duration(-l.tokens * float64(l.interval))
	}
	if d := l.until.Sub(now); d > wait {
		wait = d
	}
	return wait
}

// pause holds every later call back until now+d, as a 429's Retry-After asks.
func (l *limiter) pause(now time.Time, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := now.Add(d); t.After(l.until) {
		l.until = t
	}
	l.tokens = 0
}

// Sleep waits d or until ctx ends, returning the context's cause then.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
