package slacktest

import (
	"fmt"
	"time"
)

// Fault makes the server misbehave on purpose for a method: a Web API
// method ("users.list") or a SCIM operation (SCIMListUsers, SCIMPatchUser,
// …). Faults are data: a Kind and its parameters, chosen per method with
// After and Times, so a test reads like a table:
//
//	srv.Inject(slacktest.Fault{Method: "users.list", After: 1, Times: 20, Status: 429, RetryAfter: 30})
//	srv.Inject(slacktest.Fault{Method: "users.list", After: 2, Kind: slacktest.FaultRepeatCursor, Times: slacktest.Forever})
//	srv.Inject(slacktest.Fault{Method: "team.accessLogs", Kind: slacktest.FaultHang})
//
// Faults are checked after authentication (token, token kind, scope): an
// unauthenticated call neither triggers nor spends one. A call that takes
// a fault skips the rate limiter. Only the first fault queued for a method
// is active for it; After counts from when the faults before it are spent.
//
// Some kinds replace the answer, so a faulted write changes nothing:
// FaultStatus, FaultReset, FaultHang without Delay, FaultHTML200,
// FaultMalformed with Body, and FaultEchoToken with Error or on SCIM. The others run the method and alter, cut or
// delay its real answer (the plan gate included), so a write takes effect
// and only its answer is damaged, which is how a client learns an unknown
// outcome. The page kinds (FaultRepeatCursor … FaultDuplicateItems, and
// FaultEchoToken without Error) need an answer they can change, and
// FaultMalformed, FaultTruncate and FaultStallBody a body to cut: when a
// call cannot show its fault (the answer is not ok:true, the list is
// empty, there is no cursor to repeat or no earlier page, the body is
// empty as a SCIM DELETE's 204), the call is answered unchanged and the
// fault stays queued for the next call. Inject panics for a kind
// that can never apply to the method (see each kind).
//
// Durations are virtual and scaled like the rate limits (WithTimeScale):
// Retry-After is sent as given, so a client that scales its waits by the
// same factor waits RetryAfter×scale seconds; Delay lasts Delay×scale.
type Fault struct {
	Method string // e.g. "users.list", "admin.users.assign" or SCIMPatchUser
	After  int    // let this many calls of Method through first, then fault (0 = the next call)
	Times  int    // consecutive calls to fault; 0 means 1; Forever (any negative) means every call until ClearFaults
	Kind   FaultKind

	// FaultStatus, and the status of FaultEchoToken with Error.
	Status     int    // HTTP status, e.g. 429 (sends Retry-After), 500, 502, 503; 0 means 500, or 200 with Body or Error
	RetryAfter int    // virtual seconds for a 429 (0 means 1)
	Body       string // FaultStatus, FaultMalformed, FaultHTML200: answer HTTP 200 (or Status) with exactly this body
	Error      string // FaultStatus: answer {"ok":false,"error":Error}; FaultEchoToken: the error code to echo with

	CutAt       int           // bytes sent before the cut (FaultResetHeaders, FaultResetBody, FaultStallBody, FaultTruncate); 0 means half
	LyingLength bool          // FaultTruncate: declare the whole answer's Content-Length and close the connection after CutAt bytes
	Delay       time.Duration // FaultHang, FaultStallBody: virtual time before the answer goes on; 0 means never
	List        ListShape     // FaultEmptyPage: what the list field becomes
	NoCursor    bool          // FaultEmptyPage: also set next_cursor to ""
	Cursor      CursorRepeat  // FaultRepeatCursor: which cursor to repeat
}

// Forever, as Fault.Times, faults every call of the method until
// Server.ClearFaults: a burst longer than any client's retries.
const Forever = -1

// FaultKind is how a faulted call misbehaves.
type FaultKind uint8

const (
	// FaultStatus (the zero value) answers Status with an HTML error page
	// (nginx style), or with Body, or with {"ok":false,"error":Error}; a 429
	// carries Retry-After and {"ok":false,"error":"ratelimited"}. For SCIM
	// operations Error is a SCIM error body with HTTP 400 unless Status is
	// set, and a 429 a SCIM error. 5xx burst: {Status: 503, Times: 10};
	// with a JSON body: {Status: 502, Error: "bad_gateway"}; 429 storm:
	// {Status: 429, RetryAfter: 30, Times: 20}.
	FaultStatus FaultKind = iota

	// FaultReset reads the request, then closes the connection without a
	// byte of answer, by TCP reset (the client sees "connection reset by
	// peer", or EOF). The method does not run.
	FaultReset

	// FaultResetHeaders sends the first CutAt bytes of the real answer's
	// status line and header block (0: half of it; more than the block:
	// the whole block and no body), then resets the connection.
	FaultResetHeaders

	// FaultResetBody sends the real answer's headers, with the whole
	// body's Content-Length, and the first CutAt bytes of its body (0:
	// half; at most all but one byte), then resets the connection.
	FaultResetBody

	// FaultHang reads the request and never answers: the call holds until
	// the client gives up (its deadline, a cancelled context, a closed
	// connection) or Server.Close, then the connection is closed with no
	// answer. With Delay it sends the real answer after Delay instead: a
	// slow but healthy server.
	FaultHang

	// FaultStallBody sends the real answer's headers (whole Content-Length)
	// and the first CutAt bytes of its body (0: half), then stalls like
	// FaultHang. With Delay the rest of the body follows after Delay.
	FaultStallBody

	// FaultMalformed sends the real answer (its status and headers) with
	// bit 0x20 of its last byte flipped: a JSON answer ends in "]" instead
	// of "}", so no decoder accepts it even after reading every item; a
	// gzip file (admin.analytics.getFile) fails its length check. With
	// Body set, the answer is Body instead (HTTP 200, or Status).
	FaultMalformed

	// FaultTruncate answers the real answer cut after CutAt bytes of body
	// (0: half; at most all but one byte) with a true Content-Length
	// (CutAt): a complete HTTP answer whose body ends mid-JSON. With
	// LyingLength the headers declare the whole body's length and the
	// connection is closed (FIN) after CutAt bytes: unexpected EOF.
	FaultTruncate

	// FaultHTML200 answers HTTP 200 with Content-Type text/html and a
	// captive-portal sign-in page (or Body), as a proxy or hotel network
	// does. The method does not run.
	FaultHTML200

	// FaultRepeatCursor sets the page's response_metadata.next_cursor to a
	// cursor already used: with RepeatSame (default) the request's own
	// cursor, so paging never advances; with RepeatFirst the first cursor
	// this method was called with under the same other parameters (page
	// 2's), so paging cycles. A call without a cursor (the first page)
	// cannot repeat one. Cursor-paged methods only: users.list,
	// team.billableInfo, team.accessLogs, admin.teams.list,
	// admin.users.list and the admin.apps lists.
	FaultRepeatCursor

	// FaultEndlessPages makes the page's paging object claim one more page
	// (pages = page+1, total raised to count×pages), so classic count/page
	// paging never ends; for SCIMListUsers totalResults claims one more
	// user past this page. team.integrationLogs, team.accessLogs (classic
	// requests, without limit or cursor) and SCIMListUsers only.
	FaultEndlessPages

	// FaultEmptyPage empties the page's list field as List says ([] or {},
	// null, or the member left out), keeping next_cursor unless NoCursor.
	// Every method with a list: the paged ones above plus usergroups.list
	// and usergroups.users.list.
	FaultEmptyPage

	// FaultDuplicatePage serves, in this page's answer (its own cursor or
	// paging), the items of the previous page of the same listing (same
	// method and parameters but the cursor, page or startIndex): the same
	// page twice, with paging going on. Paged methods only; the first page
	// of a listing has no previous page.
	FaultDuplicatePage

	// FaultDuplicateItems serves the page's items twice over in one list
	// ([a,b] becomes [a,b,a,b]; team.billableInfo repeats its keys). Every
	// method with a list.
	FaultDuplicateItems

	// FaultEchoToken echoes the request's token verbatim, as Slack
	// sometimes echoes arguments: with Error, {"ok":false,"error":Error,
	// "warning":"arguments_echoed: token=<token>","response_metadata":
	// {"messages":["[ERROR] <Error>: token=<token>"]}} (HTTP Status, or
	// 200); without, the real ok:true answer plus that warning and
	// response_metadata.messages ["[WARN] request arguments:
	// token=<token>"]. For SCIM operations: a SCIM error (Status or 400,
	// code Error or "invalid_arguments") whose detail holds the token.
	FaultEchoToken

	faultKinds // number of kinds
)

var faultKindNames = [faultKinds]string{
	"FaultStatus", "FaultReset", "FaultResetHeaders", "FaultResetBody", "FaultHang", "FaultStallBody",
	"FaultMalformed", "FaultTruncate", "FaultHTML200", "FaultRepeatCursor", "FaultEndlessPages",
	"FaultEmptyPage", "FaultDuplicatePage", "FaultDuplicateItems", "FaultEchoToken",
}

func (k FaultKind) String() string {
	if k < faultKinds {
		return faultKindNames[k]
	}
	return fmt.Sprintf("FaultKind(%d)", uint8(k))
}

// ListShape is what FaultEmptyPage makes of a page's list field.
type ListShape uint8

const (
	ListEmpty   ListShape = iota // [] ({} for team.billableInfo)
	ListNull                     // null
	ListMissing                  // the member is left out
)

// CursorRepeat is which cursor FaultRepeatCursor sends as next_cursor.
type CursorRepeat uint8

const (
	RepeatSame  CursorRepeat = iota // the cursor of the request being answered
	RepeatFirst                     // the first cursor of the listing (same method and other parameters)
)

// pageShape is where a method's answer keeps its items and how it pages.
type pageShape struct {
	list    string // the top-level member holding the items
	object  bool   // the items are the members of an object (team.billableInfo)
	cursor  bool   // response_metadata.next_cursor
	classic bool   // a paging object (count, total, page, pages)
	scim    bool   // totalResults, itemsPerPage, startIndex
}

// paged reports whether the method pages at all.
func (p pageShape) paged() bool { return p.cursor || p.classic || p.scim }

// pageShapes is every method whose answer holds a list of items.
var pageShapes = map[string]pageShape{
	"users.list":                 {list: "members", cursor: true},
	"team.billableInfo":          {list: "billable_info", object: true, cursor: true},
	"team.accessLogs":            {list: "logins", cursor: true, classic: true},
	"team.integrationLogs":       {list: "logs", classic: true},
	"admin.teams.list":           {list: "teams", cursor: true},
	"admin.users.list":           {list: "users", cursor: true},
	"admin.apps.approved.list":   {list: "approved_apps", cursor: true},
	"admin.apps.restricted.list": {list: "restricted_apps", cursor: true},
	"admin.apps.requests.list":   {list: "app_requests", cursor: true},
	"usergroups.list":            {list: "usergroups"},
	"usergroups.users.list":      {list: "users"},
	SCIMListUsers:                {list: "Resources", scim: true},
}

// checkFault panics when f can never fire: an unknown method or kind, a
// negative CutAt or Delay, or a kind the method's answer cannot show.
func checkFault(f Fault) {
	_, web := methods[f.Method]
	scim := f.Method == SCIMListUsers || f.Method == SCIMGetUser || f.Method == SCIMPatchUser || f.Method == SCIMDeleteUser
	shape, listed := pageShapes[f.Method]
	var why string
	switch {
	case !web && !scim:
		why = "the server serves no such method"
	case f.Kind >= faultKinds:
		why = "unknown kind"
	case f.CutAt < 0 || f.Delay < 0 || f.RetryAfter < 0:
		why = "CutAt, Delay and RetryAfter cannot be negative"
	case f.Kind == FaultRepeatCursor && !shape.cursor:
		why = "the method does not page by cursor"
	case f.Kind == FaultEndlessPages && !shape.classic && !shape.scim:
		why = "the method has no count/page paging"
	case f.Kind == FaultEchoToken && f.Error == "" && f.Method == "admin.analytics.getFile":
		why = "its success is a gzip file, not JSON: set Error"
	case f.Kind == FaultDuplicatePage && !shape.paged():
		why = "the method does not page"
	case (f.Kind == FaultEmptyPage || f.Kind == FaultDuplicateItems) && !listed:
		why = "the method's answer has no list"
	default:
		return
	}
	panic(fmt.Sprintf("slacktest: Inject %s on %q: %s", f.Kind, f.Method, why))
}
