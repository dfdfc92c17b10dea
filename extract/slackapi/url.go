package slackapi

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultAPIURL is Slack's Web API base.
const DefaultAPIURL = "https://slack.com/api/"

// ValidateAPIURL checks a Web API base URL before any request is made: an
// http or https URL with a host, and without a query or fragment (the client
// appends the method name to the base, so "…/api/?x=1" would call
// "…/api/?x=1users.list" and Slack would answer unknown_method). Credentials
// in the URL (a proxy's user:password@) are allowed; the redactor keeps them
// out of every message and stored value. The error says what to pass instead.
func ValidateAPIURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return fmt.Errorf("the Slack Web API URL is empty: leave the flag out for %s, or pass a base URL such as https://slack-gov.com/api/", DefaultAPIURL)
	}
	if !strings.Contains(raw, "://") {
		rest := strings.TrimPrefix(strings.TrimPrefix(raw, "https:"), "http:")
		return fmt.Errorf("%q is not an http(s) URL: give the scheme too, such as https://%s", Redact(raw), Redact(strings.TrimLeft(rest, "/")))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL (%v): pass a base URL such as %s", Redact(raw), unwrapURLError(err), DefaultAPIURL)
	}
	shown := Redact(raw)
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%q is not an http(s) URL: pass a base URL such as %s", shown, DefaultAPIURL)
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return fmt.Errorf("%q names no host: pass a base URL such as %s", shown, DefaultAPIURL)
	case u.RawQuery != "" || u.ForceQuery:
		return fmt.Errorf("%q has a query (?…): the method name is appended to the base URL, so pass it without one, such as %s", shown, baseOf(u))
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return fmt.Errorf("%q has a fragment (#…): pass the base URL without one, such as %s", shown, baseOf(u))
	}
	return nil
}

// IsCleartext reports whether a valid API URL sends the token unencrypted
// over the network: plain http to a host other than this machine.
func IsCleartext(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// baseOf is u without its query and fragment, redacted, ending in "/".
func baseOf(u *url.URL) string {
	c := *u
	c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = "", false, "", ""
	s := c.String()
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return Redact(s)
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
