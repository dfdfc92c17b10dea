package slacktest

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
)

// serveFault answers a call that took the queued fault p. real runs the
// method and writes its answer to c.w: for the Web API the plan gate and
// the method, for SCIM the plan check and the operation.
func (c *call) serveFault(p *pendingFault, real func()) {
	f := p.f
	switch {
	case f.Kind == FaultStatus && c.isSCIM():
		c.serveSCIMFault(f)
	case f.Kind == FaultStatus:
		c.serveStatus(f)
	case f.Kind == FaultReset:
		c.release()
		c.reset(nil)
	case f.Kind == FaultHang:
		c.hang(f, real)
	case f.Kind == FaultHTML200:
		c.serveHTML200(f)
	case f.Kind == FaultEchoToken && (f.Error != "" || c.isSCIM()):
		c.echoError(f)
	case f.Kind == FaultMalformed && f.Body != "":
		c.serveStatus(Fault{Status: f.Status, Body: f.Body})
	default:
		if !c.alterAnswer(f, c.capture(real), real) {
			c.s.faults.refund(p) // the call is answered unchanged; the fault waits
			return
		}
	}
	c.errCode = "injected_fault"
}

// isSCIM reports whether the call is a SCIM operation.
func (c *call) isSCIM() bool { return strings.HasPrefix(c.method, "scim.") }

// alterAnswer sends the method's answer a damaged as f says, or, when a
// cannot show f (a body-cutting kind and an empty body, a page kind and an
// answer it cannot change), unchanged, reporting false.
func (c *call) alterAnswer(f Fault, a *answer, real func()) bool {
	if len(a.body) == 0 && f.Kind != FaultResetHeaders && f.Kind != FaultResetBody {
		c.send(a, a.body)
		return false
	}
	switch f.Kind {
	case FaultResetHeaders:
		head := a.head(len(a.body))
		c.reset(head[:cutHead(f.CutAt, len(head))])
	case FaultResetBody:
		cut := cutPoint(f.CutAt, len(a.body))
		c.reset(append(a.head(len(a.body)), a.body[:cut]...))
	case FaultStallBody:
		c.stallBody(a, f)
	case FaultTruncate:
		c.truncate(a, f)
	case FaultMalformed:
		a.body[len(a.body)-1] ^= 0x20 // a JSON object's closing "}" becomes "]"
		c.send(a, a.body)
	default:
		body, ok := c.alterPage(f, a, real)
		if !ok {
			c.send(a, a.body)
			return false
		}
		c.send(a, body)
	}
	return true
}

// serveStatus answers c as a FaultStatus fault describes.
func (c *call) serveStatus(f Fault) {
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
		if f.Body != "" || f.Error != "" {
			status = http.StatusOK
		}
	}
	if status == http.StatusTooManyRequests {
		c.w.Header().Set("Retry-After", strconv.Itoa(max(f.RetryAfter, 1)))
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
		writeErrorPage(e, status)
		c.write(status, htmlContentType, e.b)
	}
}

// writeErrorPage writes the HTML error page a proxy such as nginx sends
// with a 5xx.
func writeErrorPage(e *encoder, status int) {
	text := http.StatusText(status)
	e.raw("<html>\n<head><title>")
	e.int(int64(status))
	e.raw(" " + text + "</title></head>\n<body>\n<center><h1>")
	e.int(int64(status))
	e.raw(" " + text + "</h1></center>\n<hr><center>slacktest</center>\n</body>\n</html>\n")
}

// captivePortal is the page FaultHTML200 sends by default.
const captivePortal = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in to the network</title></head>
<body>
<h1>Welcome to the guest network</h1>
<p>Accept the terms of use to continue to slack.com.</p>
<form method="post" action="/portal/accept"><button type="submit">Accept and connect</button></form>
</body>
</html>
`

// serveHTML200 answers HTTP 200 with an HTML page: Body, or a captive portal.
func (c *call) serveHTML200(f Fault) {
	c.release()
	body := f.Body
	if body == "" {
		body = captivePortal
	}
	c.write(http.StatusOK, htmlContentType, []byte(body))
}

// echoError answers an error that echoes the request's token: a Slack
// ok:false answer, or a SCIM error.
func (c *call) echoError(f Fault) {
	tok := c.tok.Value
	if c.isSCIM() {
		status, code := f.Status, f.Error
		if status == 0 {
			status = http.StatusBadRequest
		}
		if code == "" {
			code = "invalid_arguments"
		}
		c.scimError(status, "", code, "request arguments echoed: token="+tok)
		return
	}
	e := getEncoder(false)
	defer putEncoder(e)
	e.raw(`{"ok":false,"error":`)
	e.str(f.Error)
	e.raw(`,"warning":`)
	e.str(echoWarning + tok)
	e.raw(`,"response_metadata":{"messages":[`)
	e.str("[ERROR] " + f.Error + ": token=" + tok)
	e.raw(`]}}`)
	c.write(cmp.Or(f.Status, http.StatusOK), jsonContentType, e.b)
}

// echoWarning leads the warning of FaultEchoToken answers.
const echoWarning = "arguments_echoed: token="
