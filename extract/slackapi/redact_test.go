package slackapi

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"users.list: invalid_auth (token xoxp-1234-5678-abcdef)", "users.list: invalid_auth (token [redacted])"},
		{"xoxb-0123456789-ABCdef", "[redacted]"},
		{"refresh xoxe.xoxp-1-Mi0yLTE and xoxe-1-abc", "refresh [redacted] and [redacted]"},
		{"app token xapp-1-A0-123-abc.", "app token [redacted]."},
		{"Authorization: Bearer abc.def-ghi", "Authorization: Bearer [redacted]"},
		{"proxy http://user:p%40ss@proxy.example:8080/api/ failed", "proxy http://[redacted]@proxy.example:8080/api/ failed"},
		{"https://slack.com/api/users.list?token=abc&limit=1", "https://slack.com/api/users.list?token=[redacted]&limit=1"},
		{"post to https://hooks.slack.com/services/T0/B0/XXXX now", "post to https://hooks.slack.com/services/[redacted] now"},
		{"no secret here: team T012AB3C4, 1,000 rows", "no secret here: team T012AB3C4, 1,000 rows"},
		{"mailto:ann@example.com stays", "mailto:ann@example.com stays"},
		// A message naming the kind of token holds none.
		{"use the app's user token (xoxp-…) or a bot token (xoxb-)", "use the app's user token (xoxp-…) or a bot token (xoxb-)"},
		{"xoxp-1-\u2026", "[redacted]\u2026"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, Redact(c.in), c.in)
	}
}

func TestRedactorSecretsAndWriter(t *testing.T) {
	t.Parallel()
	var r Redactor
	r.Add("short")                     // too short to be redacted safely
	r.Add("  s3cr3t-value-from-file ") // trimmed like a token file's line
	r.Add("s3cr3t-value-from-file")    // known already
	assert.Equal(t, "short and [redacted]", r.String("short and s3cr3t-value-from-file"))
	assert.Equal(t, "", r.Error(nil))
	assert.Equal(t, "call failed: [redacted]", r.Error(errors.New("call failed: s3cr3t-value-from-file")))
	var b bytes.Buffer
	n, err := r.Writer(&b).Write([]byte("level=WARN msg=retry token=xoxp-1-2-3\n"))
	assert.NoError(t, err)
	assert.Equal(t, len("level=WARN msg=retry token=xoxp-1-2-3\n"), n)
	assert.Equal(t, "level=WARN msg=retry token=[redacted]\n", b.String())
	var nilR *Redactor
	assert.Equal(t, "[redacted]", nilR.String("xoxp-1"))
}

// tokenShape is what no redacted text may still contain.
var tokenShape = regexp.MustCompile(`(?i)(?:xox[a-z]|xapp)-[A-Za-z0-9]`)

func FuzzRedact(f *testing.F) {
	for _, s := range []string{"xoxp-1-2", "Bearer x", "http://u:p@h/", "a?token=b", "hooks.slack.com/services/T/B/X",
		"XOXB-AbC", "xoxe.xoxp-1", "plain text", "xoxp-xoxp-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s)
		if tokenShape.MatchString(out) {
			t.Fatalf("Redact(%q) = %q still holds a token", s, out)
		}
		if again := Redact(out); again != out {
			t.Fatalf("Redact is not idempotent: %q → %q → %q", s, out, again)
		}
		if !strings.Contains(s, "xox") && !strings.Contains(strings.ToLower(s), "xox") && !strings.ContainsAny(s, "@=:/") &&
			!strings.Contains(strings.ToLower(s), "bearer") && !strings.Contains(strings.ToLower(s), "basic") &&
			!strings.Contains(strings.ToLower(s), "xapp") && out != s {
			t.Fatalf("Redact(%q) changed text with no secret: %q", s, out)
		}
	})
}
