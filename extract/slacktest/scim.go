package slacktest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The SCIM 2.0 API, served at Server.SCIMURL() (…/scim/v2/): GET /Users
// (startIndex, count, filter), GET, PATCH and DELETE /Users/<id>. Slack
// serves SCIM on Business+ and Enterprise Grid only, to a user token with
// the admin scope of an owner or admin. Answers and errors follow RFC 7644;
// errors are {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],
// "detail":"<code>: <text>","status":"<HTTP status>"} (plus scimType for
// malformed requests), with a Slack-like error code leading the detail.
//
// The order of checks: route (404 unknown path, 405 a verb the path does
// not take, 501 POST and PUT, which are not modelled) → token (401
// missing, unknown or of a deactivated account) → permission (403 a bot
// token, a token without the admin scope, or one whose user is neither an
// admin nor an owner) → injected fault → rate limit (429 with Retry-After)
// → plan (403 on Free and Pro: Slack's answer there is undocumented, so
// this is a choice; the detail names the plan) → the operation.
//
// Rate limits, per org as Slack counts them: PATCH and DELETE 180 a minute
// with bursts of 20 (20 per 6⅔ s), GET /Users/<id> 300 a minute, GET
// /Users 1000 a minute; scaled by WithTimeScale like the Web API's.

const scimPrefix = "/scim/v2/"

// SCIM operation names, as counted by Server.Calls and matched by
// Fault.Method.
const (
	SCIMListUsers  = "scim.Users.list"   // GET /Users
	SCIMGetUser    = "scim.Users.get"    // GET /Users/<id>
	SCIMPatchUser  = "scim.Users.patch"  // PATCH /Users/<id>
	SCIMDeleteUser = "scim.Users.delete" // DELETE /Users/<id>
)

// SCIM schema URNs.
const (
	scimUserSchema       = "urn:ietf:params:scim:schemas:core:2.0:User"
	scimEnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	scimGuestSchema      = "urn:ietf:params:scim:schemas:extension:slack:guest:2.0:User"
	scimListSchema       = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	scimPatchSchema      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	scimErrorSchema      = "urn:ietf:params:scim:api:messages:2.0:Error"
)

// scimOp is one SCIM operation.
type scimOp struct {
	name   string
	write  bool
	bucket string        // rate-limit bucket, shared by the writes
	limit  int           // calls per window
	window time.Duration // at time scale 1
	serve  func(s *Server, c *call, id string)
}

// scimWrites is the rate-limit bucket of PATCH and DELETE.
const scimWrites = "scim.Users.write"

var (
	scimList   = scimOp{name: SCIMListUsers, bucket: SCIMListUsers, limit: 1000, window: time.Minute, serve: (*Server).scimListUsers}
	scimGet    = scimOp{name: SCIMGetUser, bucket: SCIMGetUser, limit: 300, window: time.Minute, serve: (*Server).scimGetUser}
	scimPatch  = scimOp{name: SCIMPatchUser, write: true, bucket: scimWrites, limit: 20, window: time.Minute * 20 / 180, serve: (*Server).scimPatchUser}
	scimDelete = scimOp{name: SCIMDeleteUser, write: true, bucket: scimWrites, limit: 20, window: time.Minute * 20 / 180, serve: (*Server).scimDeleteUser}
)

// scimRoute maps a request to its operation and user ID, or to the HTTP
// status of an unknown path or verb.
func scimRoute(verb, rest string) (op *scimOp, id string, status int) {
	switch {
	case rest == "Users" || rest == "Users/":
		switch verb {
		case http.MethodGet:
			return &scimList, "", 0
		case http.MethodPost:
			return nil, "", http.StatusNotImplemented
		}
		return nil, "", http.StatusMethodNotAllowed
	case strings.HasPrefix(rest, "Users/") && !strings.Contains(rest[len("Users/"):], "/"):
		id = rest[len("Users/"):]
		switch verb {
		case http.MethodGet:
			return &scimGet, id, 0
		case http.MethodPatch:
			return &scimPatch, id, 0
		case http.MethodDelete:
			return &scimDelete, id, 0
		case http.MethodPut:
			return nil, "", http.StatusNotImplemented
		}
		return nil, "", http.StatusMethodNotAllowed
	}
	return nil, "", http.StatusNotFound
}

// serveSCIM answers one SCIM request (rest is the path after /scim/v2/).
func (s *Server) serveSCIM(c *call, rest string) {
	op, id, status := scimRoute(c.r.Method, rest)
	if op == nil {
		c.method = "scim"
		c.scimError(status, "", "not_found", "no such SCIM endpoint or method: "+c.r.Method+" /scim/v2/"+rest)
		return
	}
	c.method = op.name
	c.params = c.r.URL.Query()
	s.count(op.name)
	c.lockOrg(op.write)
	defer c.release()
	if !s.scimAuth(c) {
		return
	}
	c.notePage()
	if p, ok := s.faults.take(op.name); ok {
		c.serveFault(p, func() { s.serveSCIMOp(c, op, id) })
		return
	}
	if s.rateLimits {
		window := time.Duration(float64(op.window) * s.scale)
		if ok, wait := s.limiter.allow(limitKey{method: op.bucket}, op.limit, window, time.Now()); !ok {
			c.w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait, s.scale)))
			c.scimError(http.StatusTooManyRequests, "", "ratelimited", "too many requests; retry after the Retry-After header")
			return
		}
	}
	s.serveSCIMOp(c, op, id)
}

// serveSCIMOp checks the plan and runs the operation.
func (s *Server) serveSCIMOp(c *call, op *scimOp, id string) {
	if p := s.org.Plan; p == PlanFree || p == PlanPro {
		c.scimError(http.StatusForbidden, "", "feature_not_available",
			"the SCIM API needs the Business+ or Enterprise Grid plan; this organisation's plan is "+p)
		return
	}
	if op.write {
		s.org.freeze()
	}
	op.serve(s, c, id)
}

// scimAuth checks the bearer token and answers 401 or 403 when it does not
// allow SCIM; it reports whether the call may go on.
func (s *Server) scimAuth(c *call) bool {
	value := bearer(c.r)
	if value == "" {
		c.scimError(http.StatusUnauthorized, "", "not_authed", "no bearer token in the Authorization header")
		return false
	}
	tok, ok := s.lookupToken(value)
	if !ok {
		c.scimError(http.StatusUnauthorized, "", "invalid_auth", "the token is not valid")
		return false
	}
	c.tok = tok
	c.user = s.org.user(tok.UserID)
	switch {
	case tok.Kind == TokenBot:
		c.scimError(http.StatusForbidden, "", "not_allowed_token_type", "SCIM needs a user token, not a bot token")
	case c.user == nil:
		c.scimError(http.StatusUnauthorized, "", "invalid_auth", "the token is not valid")
	case c.user.Deleted:
		c.scimError(http.StatusUnauthorized, "", "account_inactive", "the token's user is deactivated")
	case !tok.HasScope("admin"):
		c.scimError(http.StatusForbidden, "", "missing_scope", "SCIM needs a token with the admin scope")
	case !isAdminOrOwner(c.user):
		c.scimError(http.StatusForbidden, "", "not_an_admin", "SCIM needs the token of an owner or admin")
	default:
		return true
	}
	return false
}

// scimError sends a SCIM error; code leads the detail and is logged.
func (c *call) scimError(status int, scimType, code, text string) {
	e := getEncoder(false)
	defer putEncoder(e)
	e.raw(`{"schemas":["` + scimErrorSchema + `"]`)
	if scimType != "" {
		e.raw(`,"scimType":`)
		e.str(scimType)
	}
	e.raw(`,"detail":`)
	e.str(code + ": " + text)
	e.raw(`,"status":"`)
	e.int(int64(status))
	e.raw(`"}`)
	c.errCode = code
	c.write(status, jsonContentType, e.b)
}

// serveSCIMFault answers an injected fault: Error as a SCIM error (HTTP
// 400 unless Status says otherwise), a bare 429 as a SCIM error with
// Retry-After, and Body or other statuses as for the Web API.
func (c *call) serveSCIMFault(f Fault) {
	status := f.Status
	if status == http.StatusTooManyRequests {
		secs := max(f.RetryAfter, 1)
		c.w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	switch {
	case f.Body != "":
		c.serveStatus(f)
	case f.Error != "":
		if status == 0 {
			status = http.StatusBadRequest
		}
		c.scimError(status, "", f.Error, "injected fault")
	case status == http.StatusTooManyRequests:
		c.scimError(status, "", "ratelimited", "injected fault")
	default:
		c.serveStatus(f)
	}
	c.errCode = "injected_fault"
}
