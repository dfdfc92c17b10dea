package slackapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSCIMURLFor(t *testing.T) {
	for in, want := range map[string]string{
		"https://slack.com/api/":         DefaultSCIMURL,
		"https://slack-gov.com/api/":     "https://api.slack-gov.com/scim/v2/",
		"http://127.0.0.1:8080/api/":     "http://127.0.0.1:8080/scim/v2/",
		"https://proxy.example.com/api/": "https://proxy.example.com/scim/v2/",
		"::not a url":                    DefaultSCIMURL,
	} {
		assert.Equal(t, want, SCIMURLFor(in), in)
	}
}

func TestSCIMErrorBodies(t *testing.T) {
	for _, tc := range []struct {
		status     int
		body, code string
		kind       Kind
		msg        string
	}{
		{403, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"cannot_modify_primary_owner: the primary owner cannot be changed","status":"403"}`,
			"cannot_modify_primary_owner", KindScope, "SCIM PATCH /Users/W1: cannot_modify_primary_owner: HTTP 403: the primary owner cannot be changed"},
		{404, `{"Errors":{"description":"user_not_found","code":404}}`, "user_not_found", KindArgument, "SCIM PATCH /Users/W1: user_not_found: HTTP 404"},
		{400, `{"detail":"Invalid PATCH body"}`, "", KindArgument, "SCIM PATCH /Users/W1: HTTP 400: Invalid PATCH body"},
		{502, `<html>bad gateway</html>`, "", KindServer, "SCIM PATCH /Users/W1: HTTP 502"},
	} {
		e := scimError("SCIM PATCH /Users/W1", tc.status, []byte(tc.body)).(*Error)
		assert.Equal(t, tc.code, e.Code, tc.body)
		assert.Equal(t, tc.kind, e.Kind, tc.body)
		assert.Equal(t, tc.msg, e.Message(), tc.body)
	}
}
