package slackapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures a Client.
type Config struct {
	// APIURL is the Web API base URL; DefaultAPIURL when empty. Proxies,
	// GovSlack and the synthetic org use other bases.
	APIURL string
	// Token is the Slack token. It is sent only to APIURL and never appears
	// in logs or errors.
	Token string
	// HTTPClient makes the requests; a client with sensible timeouts when nil.
	HTTPClient *http.Client
	// NoRateLimit turns off the client's own pacing. Slack's 429 answers are
	// still honoured.
	NoRateLimit bool
	// TimeScale multiplies every wait: pacing, Retry-After and backoff. Tests
	// set it below 1 together with the synthetic org's time scale; 0 means 1.
	TimeScale float64
	// MaxRetries bounds retries after 5xx answers and network errors
	// (default 4); MaxRateLimitWaits bounds consecutive 429 waits for one
	// request (default 10). Writes that must not be sent twice
	// (chat.postMessage, admin.users.assign, remove and invite) are not
	// retried after a 5xx or once the request may have been sent.
	MaxRetries        int
	MaxRateLimitWaits int
	// StallTimeout abandons a request when no byte comes from Slack for
	// this long: while connecting, waiting for the headers or between reads
	// of the body (DefaultStallTimeout when zero). TimeScale shortens it,
	// but not below a second (or StallTimeout itself, if shorter): the
	// answer time of a server does not scale. A stalled read is retried
	// like a network error, within MaxRetries; a write that must not be
	// sent twice fails with its outcome unknown.
	StallTimeout time.Duration
	// Logger receives retry and rate-limit notes; slog.Default() when nil.
	Logger *slog.Logger
}

// Client calls the Slack Web API.
type Client struct {
	base  string
	token string
	http  *transport
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	base := cfg.APIURL
	if base == "" {
		base = DefaultAPIURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--api-url %q is not an http(s) URL such as %s", base, DefaultAPIURL)
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("no Slack token: set SLACK_TOKEN or pass --token-file")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 2 * time.Minute}
	}
	scale := cfg.TimeScale
	if scale <= 0 {
		scale = 1
	}
	stall := cfg.StallTimeout
	if stall <= 0 {
		stall = DefaultStallTimeout
	}
	t := &transport{
		base:         hc,
		scale:        scale,
		stallNominal: stall,
		stall:        max(time.Duration(float64(stall)*scale), min(stall, time.Second)),
		noLimit:      cfg.NoRateLimit,
		maxRetries:   orDefault(cfg.MaxRetries, 4),
		maxRateWaits: orDefault(cfg.MaxRateLimitWaits, 10),
		log:          cfg.Logger,
		limiters:     map[string]*limiter{},
		calls:        map[string]*atomic.Int64{},
	}
	if t.log == nil {
		t.log = slog.Default()
	}
	c := &Client{base: base, token: cfg.Token, http: t}
	return c, nil
}

func orDefault(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

// APIURL is the Web API base the client calls.
func (c *Client) APIURL() string { return c.base }

// Token returns the token, for code that must send it elsewhere (SCIM) or
// redact it from output.
func (c *Client) Token() string { return c.token }

// Calls returns the HTTP requests made per Slack method, retries included.
func (c *Client) Calls() map[string]int64 {
	c.http.mu.Lock()
	defer c.http.mu.Unlock()
	out := make(map[string]int64, len(c.http.calls))
	for m, n := range c.http.calls {
		out[m] = n.Load()
	}
	return out
}

// TotalCalls is the sum of Calls.
func (c *Client) TotalCalls() int64 {
	var n int64
	for _, v := range c.Calls() {
		n += v
	}
	return n
}

// CallSummary formats Calls as "method=n, …" in method order.
func (c *Client) CallSummary() string {
	calls := c.Calls()
	methods := make([]string, 0, len(calls))
	for m := range calls {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	parts := make([]string, len(methods))
	for i, m := range methods {
		parts[i] = fmt.Sprintf("%s=%d", m, calls[m])
	}
	return strings.Join(parts, ", ")
}

// transport is the http.Client the raw caller uses. It paces
// each method to its tier, waits out 429s for as long as Retry-After says, and
// retries 5xx answers and network errors with jittered exponential backoff,
// except for writes that must not be sent twice (sendOnce).
type transport struct {
	base         *http.Client
	scale        float64
	stall        time.Duration // the stall deadline, scaled
	stallNominal time.Duration // the same at Slack's pace, for messages
	noLimit      bool
	maxRetries   int
	maxRateWaits int
	log          *slog.Logger

	mu       sync.Mutex
	limiters map[string]*limiter
	calls    map[string]*atomic.Int64
}

// method returns the limiter for name in the workspace the request is for
// (Slack's limits are per method and workspace) and the method's call counter.
func (t *transport) method(ctx context.Context, name string) (*limiter, *atomic.Int64) {
	key := name + "|" + teamOf(ctx)
	t.mu.Lock()
	defer t.mu.Unlock()
	l, ok := t.limiters[key]
	if !ok {
		l = newLimiter(name, teamOf(ctx), TierOf(name), t.scale)
		t.limiters[key] = l
	}
	n, ok := t.calls[name]
	if !ok {
		n = new(atomic.Int64)
		t.calls[name] = n
	}
	return l, n
}

type teamKey struct{}

// withTeam marks ctx as working on one workspace, so calls made with it are
// paced against that workspace's rate limits.
func withTeam(ctx context.Context, teamID string) context.Context {
	return context.WithValue(ctx, teamKey{}, teamID)
}

func teamOf(ctx context.Context) string {
	s, _ := ctx.Value(teamKey{}).(string)
	return s
}

type methodKey struct{}

// withMethod names the API operation a request made with ctx is, for pacing
// and call counts, when the URL's last element does not (SCIM: /Users/W123).
func withMethod(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, methodKey{}, name)
}

// methodOf is the operation req is: the name withMethod gave it, else the
// URL's last element (a Web API method such as users.list).
func methodOf(req *http.Request) string {
	if m, ok := req.Context().Value(methodKey{}).(string); ok && m != "" {
		return m
	}
	return path.Base(req.URL.Path)
}

// Do sends req, retrying as described on transport. After the bounded
// retries it returns Slack's last answer (which the raw caller reports as
// a 429 or 5xx) or the last network error. A write that must not
// be sent twice (see sendOnce) is resent only after a 429 or a failure to
// connect; when it may have reached Slack it fails at once with an *Error
// that wraps ErrOutcomeUnknown.
func (t *transport) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	method := methodOf(req)
	once := sendOnce[method]
	lim, calls := t.method(ctx, method)
	var retries, rateWaits, stalls int
	for {
		at, err := t.pace(ctx, method, lim)
		if err != nil {
			return nil, err
		}
		attempt, err := cloneRequest(req)
		if err != nil {
			endPlace(lim, at)
			return nil, err
		}
		calls.Add(1)
		lim.calls.Add(1)
		countCall(ctx, method)
		resp, err := t.send(ctx, attempt)
		endPlace(lim, at)
		if err != nil {
			if err := t.failed(ctx, method, once, retries, t.stalled(err, &stalls)); err != nil {
				return nil, err
			}
			retries++
			continue
		}
		stalls = 0
		switch {
		case resp.StatusCode == http.StatusTooManyRequests && rateWaits < t.maxRateWaits:
			rateWaits++
			if err := t.rateLimited(ctx, method, lim, resp); err != nil {
				return nil, err
			}
			continue
		case resp.StatusCode >= 500 && once:
			drain(resp)
			return nil, outcomeUnknown(method, KindServer, fmt.Sprintf("HTTP %d from Slack", resp.StatusCode),
				statusCodeError{Code: resp.StatusCode, Status: resp.Status})
		case resp.StatusCode >= 500 && retries < t.maxRetries:
			retries++
			d := t.backoff(retries)
			drain(resp)
			t.log.Debug("slack answered a server error; retrying", "method", method, "status", resp.StatusCode, "attempt", retries, "wait", d)
			if err := Sleep(ctx, d); err != nil {
				return nil, err
			}
			continue
		}
		return resp, nil
	}
}

// stalled counts a run of stalled attempts in *n, turning a stall into the
// *StallError that says how many; any other error ends the run.
func (t *transport) stalled(err error, n *int) error {
	if !errors.Is(err, errStalled) {
		*n = 0
		return err
	}
	*n++
	return &StallError{Wait: t.stallNominal, Times: *n}
}

// failed decides what follows a request that got no answer: nil after
// waiting out the backoff before retry n+1, else the error to return. A
// run of stalls ends as the *StallError itself, which says how many.
func (t *transport) failed(ctx context.Context, method string, once bool, n int, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	if once && !unsent(err) {
		return outcomeUnknown(method, KindNetwork, "no answer after the request was sent: "+redactURL(err), err)
	}
	var se *StallError
	if n >= t.maxRetries {
		if errors.As(err, &se) {
			return err
		}
		return fmt.Errorf("after %d attempts: %w", n+1, err)
	}
	d := t.backoff(n + 1)
	t.log.Debug("slack request failed; retrying", "method", method, "attempt", n+1, "wait", d, "error", redactURL(err))
	return Sleep(ctx, d)
}

// wait sleeps d for method's rate limit, telling the context's WaitHook.
func (t *transport) wait(ctx context.Context, method string, d time.Duration) error {
	if d > 0 {
		if hook, ok := ctx.Value(waitKey{}).(WaitHook); ok {
			hook(method, time.Duration(float64(d)/t.scale))
		}
	}
	return Sleep(ctx, d)
}

// WaitHook is told that a request to method waits d (at Slack's pace, before
// TimeScale) for Slack's rate limit: the client's pacing or a 429's
// Retry-After. It is called on the requesting goroutine.
type WaitHook func(method string, d time.Duration)

type waitKey struct{}

// WithWaitHook returns a context whose requests report rate-limit waits to
// hook, as net/http/httptrace reports a request's progress. A sync uses it
// to show long waits on its progress line.
func WithWaitHook(ctx context.Context, hook WaitHook) context.Context {
	return context.WithValue(ctx, waitKey{}, hook)
}

// rateLimited waits out a 429 as its Retry-After asks: the limiter holds
// every call of the method back, and without pacing the wait is here.
func (t *transport) rateLimited(ctx context.Context, method string, lim *limiter, resp *http.Response) error {
	d := t.retryAfter(resp)
	drain(resp)
	lim.pause(time.Now(), d)
	t.log.Info("rate limited by Slack; waiting as Retry-After asks", "method", method, "wait", d)
	if t.noLimit {
		return t.wait(ctx, method, d)
	}
	return nil
}

// sendOnce are the writes that must not be sent twice: a second
// chat.postMessage is a second message, and a repeated admin.users.*
// call answers as if the first had not been this run's (remove:
// failed_to_remove_user_from_workspace; assign and invite: already
// done). They are resent only when Slack cannot have acted on them: after
// a 429 or a failure to connect. usergroups.users.update (the whole list)
// and SCIM's PATCH of active set a state, and are retried like reads.
var sendOnce = map[string]bool{
	"chat.postMessage":   true,
	"admin.users.assign": true,
	"admin.users.remove": true,
	"admin.users.invite": true,
}

// ErrOutcomeUnknown is wrapped by the *Error of a write that may have
// reached Slack but got no usable answer (a 5xx, a timeout, a connection
// broken after sending). It was not sent again: Slack may or may not have
// made the change, and only reading Slack's state tells which.
var ErrOutcomeUnknown = errors.New("the outcome is unknown: Slack may or may not have made the change, and the request was not sent again")

// outcomeUnknown is the error of a write that may have reached Slack:
// detail says what went wrong, and errors.Is finds ErrOutcomeUnknown.
func outcomeUnknown(method string, kind Kind, detail string, err error) *Error {
	return &Error{Method: method, Kind: kind, Detail: detail, Err: errors.Join(ErrOutcomeUnknown, err)}
}

// unsent reports whether a request failed before any of it reached Slack:
// the connection (or the proxy's tunnel) could not be made.
func unsent(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && (oe.Op == "dial" || oe.Op == "proxyconnect")
}

// retryAfter reads a 429's Retry-After (whole seconds), scaled; 30 s if absent.
func (t *transport) retryAfter(resp *http.Response) time.Duration {
	secs, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After")))
	if err != nil || secs < 0 {
		secs = 30
	}
	return time.Duration(float64(time.Duration(secs)*time.Second) * t.scale)
}

// backoff is the wait before retry n: 0.5 s doubling to at most 30 s, with
// full jitter in its upper half so retries from many clients spread out.
func (t *transport) backoff(n int) time.Duration {
	d := 500 * time.Millisecond << (n - 1)
	if d > 30*time.Second || d <= 0 {
		d = 30 * time.Second
	}
	d = d/2 + rand.N(d/2+1)
	return time.Duration(float64(d) * t.scale)
}

func cloneRequest(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	return r, nil
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
}

// redactURL drops the query string from URL errors: the token never travels
// there, but a proxy's URL might carry credentials.
func redactURL(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery, u.User = "", nil
			return fmt.Sprintf("%s %s: %v", ue.Op, u.String(), ue.Err)
		}
	}
	return err.Error()
}
