package slackapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sync"
	"time"
)

// DefaultStallTimeout is how long a request may go without a byte from
// Slack (connecting, waiting for the headers, or between reads of the
// body) before it is abandoned and retried.
const DefaultStallTimeout = 30 * time.Second

// maxAnswer is the largest Web API answer read into memory; a page of a
// thousand members is about 2 MB.
const maxAnswer = 256 << 20

// errStalled is the cause of an attempt the stall watchdog abandoned.
var errStalled = errors.New("no answer from Slack within the stall deadline")

// StallError is a request abandoned because Slack sent nothing for Wait,
// Times attempts in a row: a hung server or a broken network path.
type StallError struct {
	Wait  time.Duration // the stall deadline, at Slack's pace (before TimeScale)
	Times int
}

func (e *StallError) Error() string {
	s := fmt.Sprintf("no answer from Slack for %s", seconds(e.Wait))
	if e.Times > 1 {
		s += fmt.Sprintf(", %d times", e.Times)
	}
	return s
}

// seconds formats d as "30 s" (or "1.5 s", "250 ms").
func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%g s", d.Round(100*time.Millisecond).Seconds())
}

type streamKey struct{}

// withStream marks requests made with ctx as streams: the caller reads the
// body as it arrives (a day's analytics file), so the transport watches
// the reads instead of reading the answer whole.
func withStream(ctx context.Context) context.Context {
	return context.WithValue(ctx, streamKey{}, true)
}

// send makes one attempt under the stall watchdog: the attempt is
// abandoned when no byte arrives for t.stall while connecting, waiting for
// the headers or reading the body. Unless the request is a stream answered
// with a file, the body is read here, so a stall or a break mid-body is
// retried like any failed attempt. A stall returns errStalled, a body that
// breaks off a *brokenAnswerError.
func (t *transport) send(ctx context.Context, req *http.Request) (*http.Response, error) {
	actx, cancel := context.WithCancelCause(ctx)
	w := &watchdog{d: t.stall}
	w.timer = time.AfterFunc(t.stall, func() { cancel(errStalled) })
	resp, err := t.base.Do(req.WithContext(actx))
	if err != nil {
		w.stop()
		cancel(nil)
		return nil, stalledOr(ctx, actx, err)
	}
	w.kick()
	if s, _ := ctx.Value(streamKey{}).(bool); s && !isJSON(resp) {
		resp.Body = &watchedBody{rc: resp.Body, w: w, ctx: ctx, actx: actx, cancel: cancel}
		return resp, nil
	}
	body, err := io.ReadAll(io.LimitReader(&watchedBody{rc: resp.Body, w: w}, maxAnswer+1))
	resp.Body.Close()
	w.stop()
	err = stalledOr(ctx, actx, err)
	cancel(nil)
	switch {
	case err != nil && err != errStalled && ctx.Err() == nil:
		return nil, &brokenAnswerError{err}
	case err != nil:
		return nil, err
	case len(body) > maxAnswer:
		return nil, fmt.Errorf("an answer larger than %d MB", maxAnswer>>20)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// isJSON reports whether resp is JSON: Slack's answer to a file
// download that failed, read whole like any other answer.
func isJSON(resp *http.Response) bool {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return mt == "application/json"
}

// stalledOr returns errStalled when the watchdog abandoned the attempt
// (and not the caller), else err.
func stalledOr(ctx, actx context.Context, err error) error {
	if err != nil && ctx.Err() == nil && context.Cause(actx) == errStalled {
		return errStalled
	}
	return err
}

// watchdog fires its timer when not kicked for d.
type watchdog struct {
	mu    sync.Mutex
	timer *time.Timer
	d     time.Duration
	done  bool
}

func (w *watchdog) kick() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.timer.Reset(w.d)
	}
}

func (w *watchdog) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
	w.timer.Stop()
}

// watchedBody kicks the watchdog on every read that brings bytes. For a
// stream it also ends the attempt when closed, and reports a stall as one.
type watchedBody struct {
	rc        io.ReadCloser
	w         *watchdog
	ctx, actx context.Context         // streams only
	cancel    context.CancelCauseFunc // streams only
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		b.w.kick()
	}
	if err == nil || err == io.EOF || b.actx == nil {
		return n, err
	}
	if err = stalledOr(b.ctx, b.actx, err); err == errStalled || b.ctx.Err() != nil {
		return n, err
	}
	return n, &brokenAnswerError{err}
}

// brokenAnswerError is an answer whose body could not be read to its end:
// the connection was reset or closed before the length the headers
// declared. A read is retried after it like after any failed attempt.
type brokenAnswerError struct{ err error }

func (e *brokenAnswerError) Error() string { return e.err.Error() }
func (e *brokenAnswerError) Unwrap() error { return e.err }

func (b *watchedBody) Close() error {
	err := b.rc.Close()
	if b.cancel != nil {
		b.w.stop()
		b.cancel(nil)
	}
	return err
}
