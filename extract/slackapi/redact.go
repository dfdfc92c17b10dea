package slackapi

import (
	"io"
	"regexp"
	"strings"
	"sync"
)

// Redacted replaces a secret in text.
const Redacted = "[redacted]"

// secretPatterns match secrets by their shape: Slack tokens (xoxp-, xoxb-,
// xoxa-, xoxe.xoxp-, xapp-, …, at least one character after the prefix, so
// a message naming the kind of token, "(xoxp-…)", keeps it), bearer
// credentials, credentials in a URL's userinfo or query, and
// incoming-webhook URLs (the URL is the secret).
var secretPatterns = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`(?i)(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9_\-]+`), Redacted},
	{regexp.MustCompile(`(?i)\b(bearer|basic)\s+[^\s"',;]+`), "$1 " + Redacted},
	{regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://)[^/\s@"'<>]*@`), "${1}" + Redacted + "@"},
	{regexp.MustCompile(`(?i)([?&](?:token|access_token|client_secret|password|pass|key|sig|signature)=)[^&#\s"'<>]*`), "${1}" + Redacted},
	{regexp.MustCompile(`(?i)(hooks\.slack(?:-gov)?\.com/(?:services|workflows|triggers)/)[^\s"'<>]+`), "${1}" + Redacted},
}

// Redact removes every secret that can be recognised by its shape from s.
func Redact(s string) string {
	for _, p := range secretPatterns {
		s = p.re.ReplaceAllString(s, p.repl)
	}
	return s
}

// A Redactor removes secrets from text: those recognised by their shape
// (Redact) and the exact values it was told about with Add, such as the token
// a command read from a file. It is safe for concurrent use. The zero value
// redacts by shape only.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// minSecret is the shortest value Add accepts: shorter ones would redact
// ordinary words.
const minSecret = 8

// Add makes r redact secret wherever it appears. Values shorter than eight
// characters, and values already known, are ignored.
func (r *Redactor) Add(secret string) {
	secret = strings.TrimSpace(secret)
	if len(secret) < minSecret {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.secrets {
		if s == secret {
			return
		}
	}
	r.secrets = append(r.secrets, secret)
}

// String returns s with every secret replaced by [redacted].
func (r *Redactor) String(s string) string {
	if r != nil {
		r.mu.RLock()
		for _, sec := range r.secrets {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
		r.mu.RUnlock()
	}
	return Redact(s)
}

// Error returns err's message redacted, or "" for nil.
func (r *Redactor) Error(err error) string {
	if err == nil {
		return ""
	}
	return r.String(err.Error())
}

// Writer returns a writer that redacts each Write before passing it to w.
// Secrets are found within one Write: use it for messages and log lines,
// which are written whole.
func (r *Redactor) Writer(w io.Writer) io.Writer { return &redactWriter{r: r, w: w} }

type redactWriter struct {
	r *Redactor
	w io.Writer
}

func (rw *redactWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(rw.w, rw.r.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
