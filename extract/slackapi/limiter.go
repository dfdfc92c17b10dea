package slackapi

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// limiter paces calls to one Slack method for one workspace so that no
// window of a minute ever holds more calls than the method's tier allows,
// as a server counting calls in a sliding window sees them:
//
//   - calls go out on an even schedule, one an interval (a minute ÷ the
//     tier). A call that went out late (its caller was busy, or the
//     previous answer of a paged list was slow) does not push the
//     schedule back: later calls catch up, never closer together than
//     half an interval, so a list whose answers are sometimes slower than
//     an interval still takes its calls ÷ the tier. The schedule keeps at
//     most a tenth of a minute of credit (maxBehind), so even after a
//     pause calls go out at most twice as fast as the tier, and only for
//     a few seconds;
//   - a call goes out no sooner than a minute after the call a tier's
//     worth of places before it ended. Slack saw that call before its
//     answer came back and sees this one after it is sent, so whatever
//     the network does to either, Slack's window never holds more;
//   - a 429's Retry-After holds every later call back.
//
// Minutes are scaled by the client's TimeScale.
type limiter struct {
	method, team string
	tier         Tier
	calls        atomic.Int64 // requests sent, retries included

	mu       sync.Mutex
	interval time.Duration // even spacing between calls
	window   time.Duration // a minute, scaled
	sched    time.Time     // the schedule's time for the next call
	next     time.Time     // no call before this (half an interval after the last)
	until    time.Time     // no call before this (Retry-After)
	places   []place       // the last tier's worth of calls, a ring
	head     int           // the oldest place: the next to take
	ended    chan struct{} // closed, and replaced, when a call ends
}

// place is one call's place in the ring.
type place struct {
	end  time.Time // when its answer came; zero if never used
	busy bool      // taken by a call not yet ended
}

// maxBehind bounds how far a method's calls may fall behind its schedule
// and still catch up: a tenth of a minute (a tenth of the tier's calls).
const maxBehind = 10

func newLimiter(method, team string, t Tier, scale float64) *limiter {
	window := time.Duration(float64(time.Minute) * scale)
	return &limiter{
		method: method, team: team, tier: t,
		interval: window / time.Duration(t.perMinute()),
		window:   window,
		places:   make([]place, t.perMinute()),
		ended:    make(chan struct{}),
	}
}

// reserve takes the next call's place at now and says how long to wait
// before sending it. When the call a tier's worth of places back has not
// ended, it takes nothing and returns a channel closed when a call ends:
// reserve again then.
func (l *limiter) reserve(now time.Time) (at int, wait time.Duration, busy <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.places[l.head]
	if p.busy {
		return 0, 0, l.ended
	}
	send := latest(now, l.sched, l.next, l.until)
	if !p.end.IsZero() {
		send = latest(send, p.end.Add(l.window))
	}
	at = l.head
	l.places[at] = place{busy: true}
	l.head = (l.head + 1) % len(l.places)
	l.sched = latest(l.sched, send.Add(-l.window/maxBehind)).Add(l.interval)
	l.next = send.Add(l.interval / 2)
	return at, send.Sub(now), nil
}

// end records that the call in place at ended (its answer came, it
// failed, or it was never sent) at now.
func (l *limiter) end(at int, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.places[at] = place{end: now}
	close(l.ended)
	l.ended = make(chan struct{})
}

// pause holds every later call back until now+d, as a 429's Retry-After asks.
func (l *limiter) pause(now time.Time, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := now.Add(d); t.After(l.until) {
		l.until = t
	}
}

func latest(t time.Time, ts ...time.Time) time.Time {
	for _, u := range ts {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// noPlace is the place of a call the client does not pace.
const noPlace = -1

// pace waits for method's next place and returns it; the caller must end
// it (endPlace) once the call has an answer or has failed. Without pacing
// it returns noPlace at once.
func (t *transport) pace(ctx context.Context, method string, lim *limiter) (int, error) {
	if t.noLimit {
		return noPlace, nil
	}
	for {
		at, wait, busy := lim.reserve(time.Now())
		if busy != nil {
			select {
			case <-busy:
				continue
			case <-ctx.Done():
				return noPlace, context.Cause(ctx)
			}
		}
		if err := t.wait(ctx, method, wait); err != nil {
			lim.end(at, time.Now())
			return noPlace, err
		}
		return at, nil
	}
}

// endPlace ends a call's place (see pace).
func endPlace(lim *limiter, at int) {
	if at != noPlace {
		lim.end(at, time.Now())
	}
}

// MethodCalls is how many requests a client made to one method for one
// workspace (or enterprise), which Slack rate-limits together.
type MethodCalls struct {
	Method string
	TeamID string // empty for calls made for no workspace in particular
	Tier   Tier
	Calls  int64
}

// Floor is the least time Slack's rate limits allow for these calls, at
// Slack's pace: Calls ÷ the tier's calls a minute.
func (m MethodCalls) Floor() time.Duration {
	return time.Duration(float64(m.Calls) / float64(m.Tier.perMinute()) * float64(time.Minute))
}

// CallsByWorkspace returns the requests made per method and workspace,
// retries included, in no particular order.
func (c *Client) CallsByWorkspace() []MethodCalls {
	c.http.mu.Lock()
	defer c.http.mu.Unlock()
	out := make([]MethodCalls, 0, len(c.http.limiters))
	for _, l := range c.http.limiters {
		out = append(out, MethodCalls{Method: l.method, TeamID: l.team, Tier: l.tier, Calls: l.calls.Load()})
	}
	return out
}

// TimeScale is what the client multiplies every wait by (Config.TimeScale).
func (c *Client) TimeScale() float64 { return c.http.scale }

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
