package slacktest

import (
	"net/http"
	"strconv"
	"sync"
)

// Fault makes the server misbehave on purpose for a method. Faults are
// checked after authentication (token and scope) and before rate limiting,
// so a faulted write changes nothing. For SCIM operations (Method
// SCIMGetUser, SCIMPatchUser, …) Error answers a SCIM error body with HTTP
// 400 unless Status is set, and a 429 carries a SCIM error body.
type Fault struct {
	Method     string // e.g. "users.list", "admin.users.assign" or SCIMPatchUser
	After      int    // let this many calls of Method succeed first, then fault (0 = the next call)
	Times      int    // consecutive calls to fault; 0 means 1
	Status     int    // HTTP status to answer, e.g. 429 (sends Retry-After), 500, 502, 503; 0 means 500, or 200 with Body or Error
	RetryAfter int    // seconds for a 429 (0 means 1)
	Body       string // if set: answer HTTP 200 with exactly this body (malformed or truncated payloads)
	Error      string // if set: answer {"ok":false,"error":Error}
}

// faultQueue holds injected faults in order; only the first fault queued
// for a method is active for that method.
type faultQueue struct {
	mu sync.Mutex
	q  []*pendingFault
}

type pendingFault struct {
	f            Fault
	after, times int
}

func (q *faultQueue) add(f Fault) {
	times := f.Times
	if times <= 0 {
		times = 1
	}
	q.mu.Lock()
	q.q = append(q.q, &pendingFault{f: f, after: max(f.After, 0), times: times})
	q.mu.Unlock()
}

// take reports whether this call of method must fault, and how.
func (q *faultQueue) take(method string) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, p := range q.q {
		if p.f.Method != method {
			continue
		}
		if p.after > 0 {
			p.after--
			return Fault{}, false
		}
		p.times--
		if p.times <= 0 {
			q.q = append(q.q[:i], q.q[i+1:]...)
		}
		return p.f, true
	}
	return Fault{}, false
}

// serveFault answers c as f describes.
func (c *call) serveFault(f Fault) {
	c.errCode = "injected_fault"
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
		if f.Body != "" || f.Error != "" {
			status = http.StatusOK
		}
	}
	if status == http.StatusTooManyRequests {
		secs := f.RetryAfter
		if secs <= 0 {
			secs = 1
		}
		c.w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	e := getEncoder(false)
	defer putEncoder(e)
	switch {
	case f.Body != "":
		e.raw(f.Body)
		c.write(status, jsonContentType, e.b)
	case f.Error != "":
		e.errorBody(f.Error)
		c.write(status, jsonContentType, e.b)
	case status == http.StatusTooManyRequests:
		e.errorBody("ratelimited")
		c.write(status, jsonContentType, e.b)
	default:
		text := http.StatusText(status)
		e.raw("<html>\n<head><title>")
		e.int(int64(status))
		e.raw(" " + text + "</title></head>\n<body>\n<center><h1>")
		e.int(int64(status))
		e.raw(" " + text + "</h1></center>\n<hr><center>slacktest</center>\n</body>\n</html>\n")
		c.write(status, htmlContentType, e.b)
	}
}
