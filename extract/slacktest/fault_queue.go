package slacktest

import "sync"

// faultQueue holds injected faults in order; only the first fault queued
// for a method is active for that method.
type faultQueue struct {
	mu      sync.Mutex
	q       []*pendingFault
	faulted map[string]int // calls answered by a fault, per method
}

// pendingFault is a queued fault and what is left of it. times < 0 is
// Forever; a spent fault (times 0) is out of the queue.
type pendingFault struct {
	f            Fault
	after, times int
}

func (q *faultQueue) add(f Fault) {
	times := f.Times
	switch {
	case times < 0:
		times = Forever
	case times == 0:
		times = 1
	}
	q.mu.Lock()
	q.q = append(q.q, &pendingFault{f: f, after: max(f.After, 0), times: times})
	q.mu.Unlock()
}

// take reports whether this call of method must fault, and with which
// queued fault; a taken fault counts as served until refunded.
func (q *faultQueue) take(method string) (*pendingFault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, p := range q.q {
		if p.f.Method != method {
			continue
		}
		if p.after > 0 {
			p.after--
			return nil, false
		}
		if p.times > 0 {
			p.times--
		}
		if p.times == 0 {
			q.q = append(q.q[:i], q.q[i+1:]...)
		}
		if q.faulted == nil {
			q.faulted = make(map[string]int)
		}
		q.faulted[method]++
		return p, true
	}
	return nil, false
}

// refund gives back a fault taken by a call that could not show it: the
// call is no longer counted as faulted and the fault is active again.
func (q *faultQueue) refund(p *pendingFault) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faulted[p.f.Method]--
	if p.times < 0 {
		return
	}
	p.times++
	if p.times > 1 {
		return // still queued
	}
	at := len(q.q)
	for i, o := range q.q {
		if o.f.Method == p.f.Method {
			at = i
			break
		}
	}
	q.q = append(q.q[:at], append([]*pendingFault{p}, q.q[at:]...)...)
}

// pending returns the queued faults in order, each with what is left of
// it: After and Times as they now stand (Times Forever for endless ones).
func (q *faultQueue) pending() []Fault {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Fault, 0, len(q.q))
	for _, p := range q.q {
		f := p.f
		f.After, f.Times = p.after, p.times
		out = append(out, f)
	}
	return out
}

// clear drops every queued fault.
func (q *faultQueue) clear() {
	q.mu.Lock()
	q.q = nil
	q.mu.Unlock()
}

// served is the number of calls of method answered by a fault.
func (q *faultQueue) served(method string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.faulted[method]
}

// resetServed zeroes every Faulted count.
func (q *faultQueue) resetServed() {
	q.mu.Lock()
	q.faulted = nil
	q.mu.Unlock()
}
