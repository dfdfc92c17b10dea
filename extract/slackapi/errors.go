package slackapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"
)

// Kind classifies a failed Slack call by what the user can do about it.
type Kind int

const (
	KindOther       Kind = iota
	KindAuth             // no token, or Slack rejected it (invalid, revoked, expired)
	KindScope            // the token lacks a scope the method needs
	KindPlan             // the workspace's plan does not offer the method
	KindTokenType        // the method needs another kind of token (user, bot, org-level)
	KindRateLimited      // still rate limited after the bounded waits
	KindServer           // Slack answered 5xx after the bounded retries
	KindNetwork          // Slack could not be reached after the bounded retries
	KindMalformed        // the response could not be decoded
	KindArgument         // Slack rejected an argument (unknown team, bad cursor…)
	KindImplausible      // the answer was well formed but cannot be right (an empty member list)
)

// Error is a failed Slack call. Its message names the method and, where known,
// the workspace, Slack's error code and what to do. It never contains the token.
type Error struct {
	Method   string
	TeamID   string
	Kind     Kind
	Code     string // Slack's error code, e.g. missing_scope
	Needed   string // scope Slack said is needed (missing_scope)
	Provided string // scopes the token has (missing_scope)
	Detail   string // what went wrong beyond the code: the malformed field, the last network error
	Err      error
}

func (e *Error) Error() string {
	msg := e.Message()
	if h := e.Hint(); h != "" {
		msg += " — " + h
	}
	return msg
}

// Message is the error without the hint: what failed, not what to do.
func (e *Error) Message() string {
	var b strings.Builder
	b.WriteString(e.Method)
	if e.TeamID != "" {
		fmt.Fprintf(&b, " (team %s)", e.TeamID)
	}
	b.WriteString(": ")
	switch {
	case e.Code != "":
		b.WriteString(e.Code)
		if e.Detail != "" {
			b.WriteString(": " + e.Detail)
		}
	case e.Detail != "":
		b.WriteString(e.Detail)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Unavailable reports whether the error means the data set is closed to this
// token or plan, which a sync records in source_status and moves on from.
func (e *Error) Unavailable() bool {
	return e.Kind == KindScope || e.Kind == KindPlan || e.Kind == KindTokenType
}

// Hint says what to do about the error.
func (e *Error) Hint() string {
	switch e.Code {
	case "not_authed":
		return "no token reached Slack: set SLACK_TOKEN or pass --token-file"
	case "invalid_auth":
		return "Slack does not recognise the token: check that SLACK_TOKEN or --token-file holds the app's current user token (xoxp-…)"
	case "token_revoked":
		return "the token was revoked: reinstall the Slack app and use the new token"
	case "token_expired":
		return "the token expired: refresh it or reinstall the Slack app and use the new token"
	case "account_inactive":
		return "the token's user or app was deactivated: install the app as an active admin"
	case "missing_scope":
		h := "the token lacks a scope this method needs"
		if e.Needed != "" {
			h = "needs the " + e.Needed + " scope"
		}
		if e.Provided != "" {
			h += " (the token has " + e.Provided + ")"
		}
		return h + ": add it under OAuth & Permissions in the Slack app's settings and reinstall the app"
	case "paid_only":
		return "this needs a paid plan: Pro, Business+ or Enterprise Grid"
	case "plan_upgrade_required":
		return "this needs Pro, Business+ or Enterprise Grid"
	case "feature_not_available":
		return "this needs Enterprise Grid"
	case "feature_not_enabled":
		return "the organisation has not enabled this feature (for admin.* methods: the Admin API) — an Org Owner can enable it"
	case "not_allowed_token_type":
		return "this method does not accept this kind of token: use a user token (xoxp-) from an admin, or an org-level token for admin.* methods"
	case "missing_argument":
		return "an org-level token needs a workspace: pass --team T… or use --mode grid_org"
	case "invalid_team_id", "team_not_found", "invalid_team":
		return "the workspace ID is not one this token can reach: check --team"
	case "team_access_not_granted":
		return "the org-wide app has not been granted access to this workspace: an Org Admin can add it under the app's workspaces"
	case "not_an_admin":
		return "the token's user is not an admin: install the app as a Workspace or Org Admin"
	case "app_management_app_not_installed_on_org":
		return "Enterprise Grid app management is not set up for the organisation: an Org Owner can turn on app approval and install the app with admin.apps:read"
	case "not_allowed", "restricted_action":
		return "the organisation's settings do not let this token do this: ask an Org Owner"
	}
	switch e.Kind {
	case KindRateLimited:
		return "Slack kept rate limiting the call; try again later"
	case KindServer:
		return "Slack kept failing; try again later"
	case KindNetwork:
		return "check --api-url and the network"
	case KindMalformed:
		return "Slack's answer did not have the documented shape; nothing was saved: try again later, and if it persists, report the method and this message"
	case KindImplausible:
		return "nothing was saved and the previous snapshot is kept; sync again later, and check the token's workspace in Slack if this persists"
	}
	return ""
}

// codeKinds classifies Slack's error codes.
var codeKinds = map[string]Kind{
	"not_authed": KindAuth, "invalid_auth": KindAuth, "token_revoked": KindAuth, "token_expired": KindAuth,
	"account_inactive": KindAuth, "no_permission": KindScope, "not_an_admin": KindScope,
	"missing_scope": KindScope, "team_access_not_granted": KindScope,
	"app_management_app_not_installed_on_org": KindScope, "not_allowed": KindScope, "restricted_action": KindScope,
	"paid_only": KindPlan, "plan_upgrade_required": KindPlan, "feature_not_available": KindPlan, "feature_not_enabled": KindPlan,
	"not_allowed_token_type": KindTokenType, "missing_argument": KindTokenType,
	"ratelimited": KindRateLimited, "rate_limited": KindRateLimited,
	"fatal_error": KindServer, "internal_error": KindServer, "service_unavailable": KindServer, "request_timeout": KindServer,
	"invalid_cursor": KindArgument, "invalid_limit": KindArgument, "limit_required": KindArgument,
	"invalid_team_id": KindArgument, "team_not_found": KindArgument, "invalid_team": KindArgument, "user_not_found": KindArgument,
}

// classify turns any error from a call to method into an *Error. Context
// cancellation passes through unchanged so callers can tell an interrupt.
func classify(method, teamID string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var se *Error
	if errors.As(err, &se) {
		if se.TeamID == "" && teamID != "" {
			// A copy: the error may be another call's, shared through a
			// cancelled context's cause.
			c := *se
			c.TeamID = teamID
			return &c
		}
		return se
	}
	e := &Error{Method: method, TeamID: teamID, Err: err}
	var sr slackError
	var rl *rateLimitedError
	var sc statusCodeError
	var syn *json.SyntaxError
	var ute *json.UnmarshalTypeError
	var ue *url.Error
	var ne net.Error
	var stall *StallError
	var page *htmlPageError
	var broken *brokenAnswerError
	switch {
	case errors.As(err, &stall):
		e.Kind = KindNetwork
		e.Detail = stall.Error()
	case errors.As(err, &page):
		e.Kind = KindNetwork
		e.Detail = page.Error()
	case errors.As(err, &broken):
		e.Kind = KindNetwork
		e.Detail = "the connection broke off mid-answer: " + err.Error()
	case errors.As(err, &sr):
		e.Code, e.Needed, e.Provided = sr.Err, sr.Needed, sr.Provided
		e.Kind = codeKinds[sr.Err]
		if len(sr.Messages) > 0 {
			e.Detail = strings.Join(sr.Messages, "; ")
		}
	case errors.As(err, &rl):
		e.Kind = KindRateLimited
		e.Detail = fmt.Sprintf("still rate limited (HTTP 429, Retry-After %s)", rl.RetryAfter)
	case errors.As(err, &sc):
		e.Kind = KindServer
		if sc.Code == 401 || sc.Code == 403 {
			e.Kind = KindAuth
		}
		e.Detail = fmt.Sprintf("HTTP %d from Slack", sc.Code)
	case errors.As(err, &ute):
		e.Kind = KindMalformed
		field := ute.Field
		if field == "" {
			field = "(top level)"
		}
		e.Detail = fmt.Sprintf("malformed response: field %s: got JSON %s, want %s", field, ute.Value, ute.Type)
	case errors.As(err, &syn):
		e.Kind = KindMalformed
		e.Detail = fmt.Sprintf("malformed response: invalid JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		e.Kind = KindMalformed
		e.Detail = "malformed response: truncated JSON (the body ended early)"
	case errors.As(err, &ue), errors.As(err, &ne):
		e.Kind = KindNetwork
		e.Detail = "cannot reach Slack: " + err.Error()
	}
	return e
}

// slackError is Slack's error answer: HTTP 200 with "ok": false. Err is
// Slack's error code, and the error's text.
type slackError struct {
	Err                string
	Needed, Provided   string   // missing_scope: the scope needed, the scopes the token has
	Messages, Warnings []string // response_metadata
}

func (e slackError) Error() string { return e.Err }

// rateLimitedError is an HTTP 429 answer, after the bounded waits.
type rateLimitedError struct{ RetryAfter time.Duration }

func (e *rateLimitedError) Error() string {
	return fmt.Sprintf("slack rate limit exceeded, retry after %s", e.RetryAfter)
}

// statusCodeError is a non-200 answer other than 429.
type statusCodeError struct {
	Code   int
	Status string
}

func (e statusCodeError) Error() string { return fmt.Sprintf("slack server error: %s", e.Status) }

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
