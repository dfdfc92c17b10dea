package slackapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Envelope is the part of every Web API answer that says whether it worked.
// Response types for raw calls embed it.
type Envelope struct {
	OK               bool   `json:"ok"`
	Error            string `json:"error"`
	Needed           string `json:"needed"`
	Provided         string `json:"provided"`
	Warning          string `json:"warning"`
	ResponseMetadata struct {
		NextCursor string   `json:"next_cursor"`
		Messages   []string `json:"messages"`
		Warnings   []string `json:"warnings"`
	} `json:"response_metadata"`
}

func (e *Envelope) envelope() *Envelope { return e }

type response interface{ envelope() *Envelope }

// Call makes a raw Web API call: a form POST with the token in the
// Authorization header, through the client's transport (its limiter,
// retries and call counts), decoding Slack's answer into out. It fails with
// an *Error. Empty params are dropped. teamID only labels errors.
func (c *Client) Call(ctx context.Context, method, teamID string, params url.Values, out response) error {
	return classify(method, teamID, c.call(ctx, method, params, out))
}

func (c *Client) call(ctx context.Context, method string, params url.Values, out response) error {
	resp, err := c.post(ctx, method, dropEmpty(params))
	var page *htmlPageError
	if errors.As(err, &page) && sendOnce[method] {
		// Whatever sent the page may have passed the write on first.
		return outcomeUnknown(method, KindNetwork, page.Error(), err)
	}
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil {
		err = json.Unmarshal(body, out)
	}
	if err != nil {
		if sendOnce[method] {
			// Slack answered 200, so it acted on the write; whether it
			// made the change only the lost answer said.
			return outcomeUnknown(method, KindMalformed, "HTTP 200 with an unreadable answer: "+err.Error(), err)
		}
		return err
	}
	env := out.envelope()
	if !env.OK {
		return envelopeError(env)
	}
	return nil
}

// body makes a raw call and returns Slack's 200 answer for the caller to
// decode. Empty params are dropped.
func (c *Client) body(ctx context.Context, method string, params url.Values) ([]byte, error) {
	resp, err := c.post(ctx, method, dropEmpty(params))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// dropEmpty returns params without empty values.
func dropEmpty(params url.Values) url.Values {
	form := url.Values{}
	for k, vs := range params {
		for _, v := range vs {
			if v != "" {
				form.Add(k, v)
			}
		}
	}
	return form
}

// post sends a form POST with the token in the Authorization header and
// returns a 200 answer, or the error of any other.
func (c *Client) post(ctx context.Context, method string, form url.Values) (*http.Response, error) {
	body := form.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+method, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if err := statusError(resp); err != nil {
		drain(resp)
		return nil, err
	}
	return resp, nil
}

// statusError is the error of a non-200 answer, and of an HTML page sent
// with 200 (an *htmlPageError).
func statusError(resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		ct := resp.Header.Get("Content-Type")
		if mt, _, _ := mime.ParseMediaType(ct); mt == "text/html" {
			return &htmlPageError{contentType: ct}
		}
		return nil
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return &rateLimitedError{RetryAfter: time.Duration(secs) * time.Second}
	}
	return statusCodeError{Code: resp.StatusCode, Status: resp.Status}
}

// errorf builds an *Error for problems found in a decoded answer.
func errorf(method, teamID string, kind Kind, format string, args ...any) error {
	return &Error{Method: method, TeamID: teamID, Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// htmlPageError is an HTML page answered with HTTP 200 where Slack sends
// JSON or a file: a captive portal, a proxy's sign-in or error page, or an
// --api-url that is not Slack's Web API.
type htmlPageError struct{ contentType string }

func (e *htmlPageError) Error() string {
	return fmt.Sprintf("an HTML page came instead of Slack's answer (HTTP 200, Content-Type %s): a proxy, a captive portal or an --api-url that is not Slack's Web API answered",
		quoteShort(e.contentType))
}
