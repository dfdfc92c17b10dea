package slackapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// DefaultSCIMURL is Slack's SCIM v2 base (Business+ and Enterprise Grid).
const DefaultSCIMURL = "https://api.slack.com/scim/v2/"

// SCIM operations as the transport paces and counts them. Slack allows
// 180 user writes a minute (bursts of 20) and 300 single-user reads a
// minute, across the whole organisation; the tiers below stay inside both.
const (
	scimGetUser   = "scim.Users.get"
	scimPatchUser = "scim.Users.patch"
)

// SCIMURLFor is the SCIM v2 base that goes with a Web API base: Slack's own
// for slack.com, https://api.slack-gov.com/scim/v2/ for GovSlack, and for any
// other host (a proxy, the synthetic org) the same scheme and host with the
// path /scim/v2/.
func SCIMURLFor(apiURL string) string {
	u, err := url.Parse(apiURL)
	if err != nil || u.Host == "" {
		return DefaultSCIMURL
	}
	switch u.Hostname() {
	case "slack.com", "api.slack.com", "www.slack.com":
		return DefaultSCIMURL
	case "slack-gov.com", "api.slack-gov.com":
		return "https://api.slack-gov.com/scim/v2/"
	}
	return u.Scheme + "://" + u.Host + "/scim/v2/"
}

// SCIMUser is the part of a SCIM v2 User resource slackaudit reads.
type SCIMUser struct {
	ID          string `json:"id"`
	UserName    string `json:"userName"`
	DisplayName string `json:"displayName"`
	Active      bool   `json:"active"`
	Emails      []struct {
		Value   string `json:"value"`
		Primary bool   `json:"primary"`
	} `json:"emails"`
}

// SCIM calls Slack's SCIM v2 API through the client's transport: the same
// token, rate limiting, Retry-After waits and retries as the Web API.
type SCIM struct {
	c    *Client
	base string
}

// SCIM returns a SCIM client for base (DefaultSCIMURL when empty).
func (c *Client) SCIM(base string) (*SCIM, error) {
	if base == "" {
		base = DefaultSCIMURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--scim-url %q is not an http(s) URL such as %s", base, DefaultSCIMURL)
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return &SCIM{c: c, base: base}, nil
}

// URL is the SCIM base the client calls.
func (s *SCIM) URL() string { return s.base }

// User reads one user: GET /Users/{id}.
func (s *SCIM) User(ctx context.Context, id string) (SCIMUser, error) {
	var u SCIMUser
	err := s.do(ctx, scimGetUser, http.MethodGet, id, nil, &u)
	return u, err
}

// SetActive deactivates (active false) or reactivates (true) a user with
// PATCH /Users/{id} and returns the user as Slack answers it. Deactivating
// keeps the account and its history; it frees the seat.
func (s *SCIM) SetActive(ctx context.Context, id string, active bool) (SCIMUser, error) {
	body := map[string]any{
		"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []map[string]any{
			{"op": "replace", "path": "active", "value": active},
		},
	}
	var u SCIMUser
	err := s.do(ctx, scimPatchUser, http.MethodPatch, id, body, &u)
	return u, err
}

func (s *SCIM) do(ctx context.Context, op, method, id string, in, out any) error {
	label := "SCIM " + method + " /Users/" + id
	var payload []byte
	if in != nil {
		var err error
		if payload, err = json.Marshal(in); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(withMethod(ctx, op), method, s.base+"Users/"+url.PathEscape(id), bytes.NewReader(payload))
	if err != nil {
		return err
	}
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(payload)), nil }
	req.Header.Set("Authorization", "Bearer "+s.c.token)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.c.http.Do(req)
	if err != nil {
		return classify(label, "", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return classify(label, "", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return scimError(label, resp.StatusCode, body)
	}
	if out == nil || len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return classify(label, "", err)
	}
	return nil
}

// codeLike matches Slack-style error codes (cannot_modify_primary_owner).
var codeLike = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// scimError reads a SCIM error body: v2's {"detail","status"} or v1's
// {"Errors":{"description","code"}}. A description that is, or starts
// with, a Slack error code gives the Error's Code; the rest its Detail.
func scimError(label string, status int, body []byte) error {
	var v struct {
		Detail string          `json:"detail"`
		Status json.RawMessage `json:"status"`
		Errors json.RawMessage `json:"Errors"`
	}
	_ = json.Unmarshal(body, &v)
	desc := v.Detail
	if desc == "" && len(v.Errors) > 0 {
		var one struct {
			Description string `json:"description"`
		}
		if json.Unmarshal(v.Errors, &one) != nil || one.Description == "" {
			var many []struct {
				Description string `json:"description"`
			}
			if json.Unmarshal(v.Errors, &many) == nil && len(many) > 0 {
				one.Description = many[0].Description
			}
		}
		desc = one.Description
	}
	e := &Error{Method: label, Detail: "HTTP " + strconv.Itoa(status)}
	desc = strings.TrimSpace(desc)
	code, text, _ := strings.Cut(desc, ":")
	switch {
	case codeLike.MatchString(code):
		// Slack's SCIM errors lead with a Web API style code:
		// "cannot_modify_primary_owner: the primary owner cannot be changed".
		e.Code = code
		if text = strings.TrimSpace(text); text != "" {
			e.Detail += ": " + text
		}
	case desc != "":
		e.Detail += ": " + desc
	}
	switch {
	case status == http.StatusUnauthorized:
		e.Kind = KindAuth
	case status == http.StatusForbidden:
		e.Kind = KindScope
	case status == http.StatusNotFound:
		e.Kind = KindArgument
	case status == http.StatusTooManyRequests:
		e.Kind = KindRateLimited
	case status >= 500:
		e.Kind = KindServer
	default:
		e.Kind = KindArgument
	}
	if k, ok := codeKinds[e.Code]; ok {
		e.Kind = k
	}
	return e
}
