package slacktest

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// answer is a method's real response, captured to be sent damaged.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// Header, WriteHeader and Write make an answer the ResponseWriter a
// method writes to while it is captured.
func (a *answer) Header() http.Header { return a.header }

func (a *answer) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
}

func (a *answer) Write(p []byte) (int, error) {
	if a.status == 0 {
		a.status = http.StatusOK
	}
	a.body = append(a.body, p...)
	return len(p), nil
}

// capture runs the method (real) into an answer instead of the client,
// and lets go of the org's lock.
func (c *call) capture(real func()) *answer {
	a := &answer{header: make(http.Header)}
	w := c.w
	c.w = a
	real()
	c.w = w
	c.release()
	if a.status == 0 {
		a.status = http.StatusOK
	}
	return a
}

// send writes a's status and headers with body as a complete answer.
func (c *call) send(a *answer, body []byte) {
	h := c.w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	c.write(a.status, a.header["Content-Type"], body)
}

// head is the answer's status line and header block as sent on the wire,
// declaring contentLength and that the connection closes.
func (a *answer) head(contentLength int) []byte {
	var b bytes.Buffer
	b.WriteString("HTTP/1.1 " + strconv.Itoa(a.status) + " " + http.StatusText(a.status) + "\r\n")
	h := a.header.Clone()
	h.Set("Content-Length", strconv.Itoa(contentLength))
	h.Set("Connection", "close")
	_ = h.Write(&b)
	b.WriteString("\r\n")
	return b.Bytes()
}

// cutPoint is where a body of n bytes is cut: after cutAt bytes (0: half),
// always before its last byte.
func cutPoint(cutAt, n int) int {
	if cutAt == 0 {
		cutAt = n / 2
	}
	return max(min(cutAt, n-1), 0)
}

// cutHead is where a header block of n bytes is cut: after cutAt bytes
// (0: half), at most all of it.
func cutHead(cutAt, n int) int {
	if cutAt == 0 {
		return n / 2
	}
	return min(cutAt, n)
}

// hijack takes the connection over from the HTTP server; nil when it
// cannot, in which case the call is aborted (the server closes the
// connection without answering).
func (c *call) hijack() net.Conn {
	c.status = 0
	if hj, ok := c.w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			return conn
		}
	}
	panic(http.ErrAbortHandler)
}

// reset sends sent on the raw connection, then closes it with a TCP
// reset (SO_LINGER 0): the client sees "connection reset by peer".
func (c *call) reset(sent []byte) {
	conn := c.hijack()
	if len(sent) > 0 {
		_, _ = conn.Write(sent)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// abandon closes the connection without another byte: the answer of a
// hang or stall the client gave up on, or that Server.Close ended.
func (c *call) abandon() {
	_ = c.hijack().Close()
}

// truncate sends the answer cut after f.CutAt bytes of body: with a true
// Content-Length as a complete answer, or with the whole body's length
// and the connection closed after the cut.
func (c *call) truncate(a *answer, f Fault) {
	cut := cutPoint(f.CutAt, len(a.body))
	if !f.LyingLength {
		c.send(a, a.body[:cut])
		return
	}
	conn := c.hijack()
	_, _ = conn.Write(append(a.head(len(a.body)), a.body[:cut]...))
	_ = conn.Close()
}

// hang holds the call without answering until the client gives up or the
// server closes; with f.Delay it sends the real answer after the delay.
func (c *call) hang(f Fault, real func()) {
	if !c.s.hold() {
		c.release()
		c.abandon()
		return
	}
	defer c.s.unhold()
	if f.Delay == 0 {
		c.release()
		c.wait(0)
		c.abandon()
		return
	}
	a := c.capture(real)
	if !c.wait(f.Delay) {
		c.abandon()
		return
	}
	c.send(a, a.body)
}

// stallBody sends the headers and the first f.CutAt bytes of the body,
// then holds like hang; with f.Delay the rest follows after the delay.
func (c *call) stallBody(a *answer, f Fault) {
	if !c.s.hold() {
		c.abandon()
		return
	}
	defer c.s.unhold()
	cut := cutPoint(f.CutAt, len(a.body))
	h := c.w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	h["Content-Length"] = []string{strconv.Itoa(len(a.body))}
	c.w.WriteHeader(a.status)
	c.status = a.status
	_, _ = c.w.Write(a.body[:cut])
	if fl, ok := c.w.(http.Flusher); ok {
		fl.Flush()
	}
	if !c.wait(f.Delay) {
		c.abandon()
		return
	}
	_, _ = c.w.Write(a.body[cut:])
}

// wait holds a call (registered with Server.hold) for the virtual duration
// d (0: with no end) and reports whether it elapsed; it ends early,
// reporting false, when the client gives up or the server closes. The
// request body is read to its end first, so that the HTTP server notices a
// client that goes away.
func (c *call) wait(d time.Duration) bool {
	_, _ = io.CopyN(io.Discard, c.r.Body, maxBody)
	var elapsed <-chan time.Time
	if d > 0 {
		t := time.NewTimer(time.Duration(float64(d) * c.s.scale))
		defer t.Stop()
		elapsed = t.C
	}
	select {
	case <-elapsed:
		return true
	case <-c.r.Context().Done():
	case <-c.s.closing:
	}
	return false
}
