package slackapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidateAPIURL(t *testing.T) {
	t.Parallel()
	ok := []string{
		"https://slack.com/api/",
		"https://slack-gov.com/api/",
		"http://127.0.0.1:8080/api/",
		"https://proxy.example:3128/slack/api", // the client adds the slash
		"http://user:p%40ss@proxy.example/api/",
	}
	for _, u := range ok {
		assert.NoError(t, ValidateAPIURL(u), u)
	}
	bad := []struct{ in, want string }{
		{"", "is empty"},
		{"   ", "is empty"},
		{"slack.com/api/", "not an http(s) URL"},
		{"ftp://slack.com/api/", "not an http(s) URL"},
		{"file:///etc/passwd", "not an http(s) URL"},
		{"https:///api/", "names no host"},
		{"http:slack.com", "not an http(s) URL: give the scheme too, such as https://slack.com"},
		{"slack-gov.com/api/", "such as https://slack-gov.com/api/"},
		{"https://slack.com/api/?team=T1", "has a query (?…)"},
		{"https://slack.com/api/?", "has a query"},
		{"https://slack.com/api/#users", "has a fragment"},
		{"https://slack.com/api/#", "has a fragment"},
		{"https://sla ck.com/api/", "is not a URL"},
		{"http://user:hunter22@proxy.example/api/?x=1", "has a query"},
	}
	for _, c := range bad {
		err := ValidateAPIURL(c.in)
		if assert.Error(t, err, c.in) {
			assert.Contains(t, err.Error(), c.want, c.in)
			assert.NotContains(t, err.Error(), "hunter22", "credentials are redacted from the message")
		}
	}
	err := ValidateAPIURL("https://slack.com/api/?team=T1#x")
	assert.Contains(t, err.Error(), "such as https://slack.com/api/", "the message shows the URL to pass instead")
}

func TestIsCleartext(t *testing.T) {
	t.Parallel()
	assert.True(t, IsCleartext("http://proxy.example/api/"))
	assert.True(t, IsCleartext("http://10.0.0.8/api/"))
	assert.False(t, IsCleartext("https://slack.com/api/"))
	assert.False(t, IsCleartext("http://127.0.0.1:9000/api/"))
	assert.False(t, IsCleartext("http://[::1]:9000/api/"))
	assert.False(t, IsCleartext("http://localhost:9000/api/"))
}
