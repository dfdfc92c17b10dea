package slacktest

import (
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Option configures a Server.
type Option func(*Server)

// WithRateLimits turns per-method rate limiting on or off (default on).
func WithRateLimits(on bool) Option {
	return func(s *Server) { s.rateLimits = on }
}

// WithTimeScale multiplies every rate-limit window: 1 = real Slack timing
// (60 s windows), 0.001 = 60 ms windows. Retry-After is still reported in
// whole "virtual" seconds (ceil of remaining window / scale, at least 1), so
// a client that multiplies Retry-After by the same scale waits the right
// real time. Values ≤ 0 are ignored.
func WithTimeScale(scale float64) Option {
	return func(s *Server) {
		if scale > 0 {
			s.scale = scale
		}
	}
}

// WithToken registers an extra token (AdminToken is always registered).
func WithToken(t Token) Option {
	return func(s *Server) { s.AddToken(t) }
}

// WithLogger logs every request (method, HTTP status, Slack error, duration)
// at Info level. Tokens are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *Server) { s.log = l }
}

// WithSlackEscaping makes responses escape '/' as "\/" and every non-ASCII
// character as \uXXXX, as Slack's production API does, so clients are tested
// against escaped payloads. Default off: plain UTF-8 is smaller and faster.
func WithSlackEscaping(on bool) Option {
	return func(s *Server) { s.escapeASCII = on }
}

// Server serves an Org over the Slack Web API on loopback.
type Server struct {
	org         *Org
	rateLimits  bool
	scale       float64
	escapeASCII bool
	log         *slog.Logger

	hs        *http.Server
	url       string
	scimURL   string
	done      chan struct{}
	closeOnce sync.Once

	// Calls held by a fault (hangs, stalls, delays): Close ends them and
	// waits for them, so no handler outlives the server.
	closing chan struct{}
	holdMu  sync.Mutex
	closed  bool
	holds   sync.WaitGroup

	tokMu  sync.RWMutex
	tokens map[string]Token

	callMu  sync.Mutex
	calls   map[string]int
	limited map[string]int // calls answered 429 by the rate limits, not a fault

	faults  faultQueue
	pages   pageTrails
	limiter limiter
}

// NewServer starts serving org on 127.0.0.1 at a free port. It panics if it
// cannot listen, as httptest.NewServer does.
func NewServer(org *Org, opts ...Option) *Server {
	s := &Server{
		org:        org,
		rateLimits: true,
		scale:      1,
		tokens:     make(map[string]Token),
		calls:      make(map[string]int),
		limited:    make(map[string]int),
		done:       make(chan struct{}),
		closing:    make(chan struct{}),
	}
	if org.cache == nil { // an Org built by hand: written state needs a home
		org.cache = newOrgCache()
	}
	org.prepare()
	s.AddToken(org.AdminToken())
	for _, opt := range opts {
		opt(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Errorf("slacktest: listen on loopback: %w", err))
	}
	s.url = "http://" + ln.Addr().String() + "/api/"
	s.scimURL = "http://" + ln.Addr().String() + scimPrefix
	s.hs = &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		defer close(s.done)
		_ = s.hs.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return s
}

// URL is the Web API base, ending in "/api/"; a method is served at URL()+method.
func (s *Server) URL() string { return s.url }

// SCIMURL is the SCIM 2.0 base, ending in "/scim/v2/": users are served at
// SCIMURL()+"Users" and SCIMURL()+"Users/<id>" (see scim.go).
func (s *Server) SCIMURL() string { return s.scimURL }

// Close stops the server and closes every connection. Calls held by a
// fault (FaultHang, FaultStallBody) end with their connection closed, and
// Close returns once every one of them has.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.holdMu.Lock()
		s.closed = true
		s.holdMu.Unlock()
		close(s.closing)
		_ = s.hs.Close()
		<-s.done
		s.holds.Wait()
	})
}

// hold registers a call about to be held by a fault; false once the
// server is closing.
func (s *Server) hold() bool {
	s.holdMu.Lock()
	defer s.holdMu.Unlock()
	if s.closed {
		return false
	}
	s.holds.Add(1)
	return true
}

// unhold ends a hold.
func (s *Server) unhold() { s.holds.Done() }

// Org is the organisation being served.
func (s *Server) Org() *Org { return s.org }

// AddToken registers a token; calls presenting its Value act as it.
func (s *Server) AddToken(t Token) {
	s.tokMu.Lock()
	s.tokens[t.Value] = t
	s.tokMu.Unlock()
}

func (s *Server) lookupToken(value string) (Token, bool) {
	s.tokMu.RLock()
	t, ok := s.tokens[value]
	s.tokMu.RUnlock()
	return t, ok
}

// Inject queues a fault; safe for concurrent use. It panics for a fault
// that can never fire: an unknown method or kind, or a kind the method's
// answer cannot show (see FaultKind).
func (s *Server) Inject(f Fault) {
	checkFault(f)
	s.faults.add(f)
}

// PendingFaults returns the faults still queued, in order, with After and
// Times as they now stand (Forever for endless ones): empty once every
// injected fault has been spent, which a test can require.
func (s *Server) PendingFaults() []Fault { return s.faults.pending() }

// ClearFaults drops every queued fault (Forever ones included).
func (s *Server) ClearFaults() { s.faults.clear() }

// Faulted is the number of calls of method answered by an injected fault
// (a page fault a call could not show does not count).
func (s *Server) Faulted(method string) int { return s.faults.served(method) }

// Calls is the number of HTTP requests received for method, including
// faulted, rate-limited and rejected ones.
func (s *Server) Calls(method string) int {
	s.callMu.Lock()
	defer s.callMu.Unlock()
	return s.calls[method]
}

// CallCounts returns a copy of the per-method request counts.
func (s *Server) CallCounts() map[string]int {
	s.callMu.Lock()
	defer s.callMu.Unlock()
	return maps.Clone(s.calls)
}

// RateLimited is the number of calls of method the rate limits answered
// with 429 (injected 429s are Faulted, not counted here).
func (s *Server) RateLimited(method string) int {
	s.callMu.Lock()
	defer s.callMu.Unlock()
	return s.limited[method]
}

// RateLimitedCounts returns a copy of the per-method counts of calls the
// rate limits answered with 429.
func (s *Server) RateLimitedCounts() map[string]int {
	s.callMu.Lock()
	defer s.callMu.Unlock()
	return maps.Clone(s.limited)
}

// ResetCalls zeroes every request count, every RateLimited count and
// every Faulted count.
func (s *Server) ResetCalls() {
	s.callMu.Lock()
	s.calls = make(map[string]int)
	s.limited = make(map[string]int)
	s.callMu.Unlock()
	s.faults.resetServed()
}

// ResetRateLimits forgets every call counted against the rate limits.
func (s *Server) ResetRateLimits() { s.limiter.reset() }

// ServeHTTP answers /api/<method> and the SCIM API under /scim/v2/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	c := &call{s: s, w: w, r: r}
	if rest, ok := strings.CutPrefix(r.URL.Path, scimPrefix); ok {
		s.serveSCIM(c, rest)
	} else {
		method, ok := strings.CutPrefix(r.URL.Path, "/api/")
		if !ok || method == "" || strings.Contains(method, "/") {
			http.NotFound(w, r)
			return
		}
		c.method = method
		s.count(method)
		s.handle(c)
	}
	s.logCall(c, start)
}

// count adds one to the request count of method.
func (s *Server) count(method string) {
	s.callMu.Lock()
	s.calls[method]++
	s.callMu.Unlock()
}

// logCall logs a finished request when a logger is set.
func (s *Server) logCall(c *call, start time.Time) {
	if s.log != nil {
		s.log.LogAttrs(c.r.Context(), slog.LevelInfo, "slacktest request",
			slog.String("method", c.method),
			slog.Int("status", c.status),
			slog.String("error", c.errCode),
			slog.Duration("took", time.Since(start)))
	}
}

// handle runs the checks every method shares, then the method itself:
// method known → parameters → token → token kind → scope → injected fault →
// rate limit → plan gate. From the token on it holds the org's lock:
// shared for reads, exclusive for the write methods, which also see every
// lazily built data set materialised first (Org.freeze).
func (s *Server) handle(c *call) {
	spec, ok := methods[c.method]
	if !ok {
		c.fail("unknown_method")
		return
	}
	if code := c.parse(); code != "" {
		c.fail(code)
		return
	}
	c.lockOrg(spec.write)
	defer c.release()
	if code := s.authenticate(c); code != "" {
		c.fail(code)
		return
	}
	if !spec.tokens.allows(c.tok.Kind) {
		c.fail("not_allowed_token_type")
		return
	}
	if spec.scope != "" && !c.tok.HasScope(spec.scope) {
		c.missingScope(spec.scope)
		return
	}
	c.notePage()
	if p, ok := s.faults.take(c.method); ok {
		c.serveFault(p, func() { s.serveMethod(c, spec) })
		return
	}
	if s.rateLimited(c, spec) {
		return
	}
	s.serveMethod(c, spec)
}

// rateLimited answers 429 when the call is over its method's rate limit in
// its workspace, counting it, and reports whether it did.
func (s *Server) rateLimited(c *call, spec methodSpec) bool {
	if !s.rateLimits {
		return false
	}
	window := time.Duration(float64(time.Minute) * s.scale)
	key := limitKey{method: c.method, team: s.rateLimitTeam(c)}
	ok, wait := s.limiter.allow(key, spec.tier.perMinute(), window, time.Now())
	if ok {
		return false
	}
	s.callMu.Lock()
	s.limited[c.method]++
	s.callMu.Unlock()
	c.rateLimited(retryAfterSeconds(wait, s.scale))
	return true
}

// serveMethod checks the plan gate and runs the method.
func (s *Server) serveMethod(c *call, spec methodSpec) {
	if code := spec.gate.check(s.org.Plan); code != "" {
		c.fail(code)
		return
	}
	if spec.write {
		s.org.freeze()
	}
	spec.serve(s, c)
}

// authenticate finds the call's token, user and workspace; it returns a
// Slack error code when the call is not authenticated.
func (s *Server) authenticate(c *call) string {
	value := bearer(c.r)
	if value == "" {
		value = c.param("token")
	}
	if value == "" {
		return "not_authed"
	}
	tok, ok := s.lookupToken(value)
	if !ok {
		return "invalid_auth"
	}
	c.tok = tok
	if tok.UserID != "" {
		u := s.org.user(tok.UserID)
		if u == nil {
			return "invalid_auth"
		}
		if u.Deleted {
			return "account_inactive"
		}
		c.user = u
	}
	if tok.Kind != TokenOrg {
		c.team = s.org.Team(tok.TeamID)
		if c.team == nil {
			return "invalid_auth"
		}
	}
	return ""
}

// rateLimitTeam is the workspace a call counts against: the token's, or for
// org tokens the team_id asked for (else the enterprise).
func (s *Server) rateLimitTeam(c *call) string {
	if c.team != nil {
		return c.team.ID
	}
	if id := c.param("team_id"); id != "" {
		return id
	}
	return s.org.EnterpriseID
}
