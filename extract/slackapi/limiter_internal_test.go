package slackapi

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// sent is one paced call as the limiter let it go: when it was sent and
// when its answer came.
type sent struct{ send, end time.Time }

// Calls in flight together, answering after random delays, never put more
// than a tier's worth of sends in any minute, counting a call from when it
// was sent to when its answer came (the server saw it somewhere between),
// and never two sends closer than half a minute ÷ the tier.
func TestLimiterNeverExceedsTheTierInAnyMinute(t *testing.T) {
	t.Parallel()
	for _, tier := range []Tier{Tier2, Tier3, Tier4} {
		rng := rand.New(rand.NewPCG(uint64(tier), 7))
		l := newLimiter("m", "T1", tier, 1)
		calls := simulate(l, rng, 5*int(tier), 4)
		sort.Slice(calls, func(i, j int) bool { return calls[i].send.Before(calls[j].send) })
		n := tier.perMinute()
		for i := n; i < len(calls); i++ {
			require.GreaterOrEqual(t, calls[i].send.Sub(calls[i-n].end), time.Minute,
				"tier %d: call %d went out %v after call %d ended", tier, i, calls[i].send.Sub(calls[i-n].end), i-n)
		}
		for i := 1; i < len(calls); i++ {
			require.GreaterOrEqual(t, calls[i].send.Sub(calls[i-1].send), time.Minute/time.Duration(2*n)-time.Nanosecond)
		}
		// Pacing costs no more than the tier: 5 minutes' worth of calls
		// go out within about 5 minutes plus their answer times.
		require.Less(t, calls[len(calls)-1].send.Sub(calls[0].send), 5*time.Minute+time.Duration(len(calls)/n+1)*2*time.Second)
	}
}

// A paged list makes one call at a time. When some answers take longer
// than an interval (here every third takes two intervals, the others a
// fifth of one), the calls after a slow one catch up with the schedule:
// 500 calls at Tier 4 take 5 minutes plus the answer times the window
// waits on, not 500 × the mean of each call's wait and answer.
func TestLimiterCatchesUpAfterSlowAnswers(t *testing.T) {
	t.Parallel()
	l := newLimiter("m", "T1", Tier4, 1)
	interval := time.Minute / time.Duration(Tier4.perMinute())
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	start := now
	var calls []sent
	for i := range 500 {
		at, wait, busy := l.reserve(now)
		require.Nil(t, busy, "one call at a time never waits on a busy place")
		answer := interval / 5
		if i%3 == 0 {
			answer = 2 * interval
		}
		send := now.Add(wait)
		now = send.Add(answer)
		l.end(at, now)
		calls = append(calls, sent{send, now})
	}
	n := Tier4.perMinute()
	for i := n; i < len(calls); i++ {
		require.GreaterOrEqual(t, calls[i].send.Sub(calls[i-n].end), time.Minute, "call %d", i)
	}
	// Without catching up, each call would take its slowest of an interval
	// and its answer: 500 × (2+1+1)/3 intervals, 6.7 minutes.
	require.Less(t, now.Sub(start), 5*time.Minute+5*2*interval+2*interval, "500 calls at 100 a minute")
}

// simulate runs calls through l on a virtual clock, at most inFlight at
// once, each answered 0–2 s after it is sent.
func simulate(l *limiter, rng *rand.Rand, calls, inFlight int) []sent {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	type flight struct {
		at  int
		end time.Time
		i   int
	}
	var out []sent
	var open []flight
	for len(out) < calls || len(open) > 0 {
		if len(out) < calls && len(open) < inFlight {
			at, wait, busy := l.reserve(now)
			if busy == nil {
				send := now.Add(wait)
				out = append(out, sent{send: send})
				open = append(open, flight{at: at, end: send.Add(time.Duration(rng.Int64N(int64(2 * time.Second)))), i: len(out) - 1})
				continue
			}
		}
		sort.Slice(open, func(i, j int) bool { return open[i].end.Before(open[j].end) })
		f := open[0]
		open = open[1:]
		now = latest(now, f.end)
		l.end(f.at, f.end)
		out[f.i].end = f.end
	}
	return out
}

// A 429's Retry-After holds back every later call.
func TestLimiterWaitsOutRetryAfter(t *testing.T) {
	t.Parallel()
	l := newLimiter("m", "T1", Tier4, 1)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at, wait, _ := l.reserve(now)
	require.Zero(t, wait)
	l.end(at, now.Add(time.Second))
	l.pause(now.Add(time.Second), 30*time.Second)
	_, wait, _ = l.reserve(now.Add(time.Second))
	require.Equal(t, 30*time.Second, wait)
}

// The floor of a method's calls is calls ÷ its tier, in minutes.
func TestMethodCallsFloor(t *testing.T) {
	t.Parallel()
	require.Equal(t, 10*time.Minute+13*time.Second+200*time.Millisecond, MethodCalls{Method: "admin.users.list", Tier: Tier4, Calls: 1022}.Floor())
	require.Equal(t, 6*time.Minute, MethodCalls{Method: "team.accessLogs", Tier: Tier2, Calls: 120}.Floor())
}
