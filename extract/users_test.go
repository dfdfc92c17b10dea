package extract_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

func TestUsersEveryMemberOnceAcrossPagesWith429s(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 3, Users: 2500})
	// A 429 on the second page and a 503 on the third: both are retried.
	f.srv.Inject(slacktest.Fault{Method: "users.list", After: 1, Status: 429, RetryAfter: 2})
	f.srv.Inject(slacktest.Fault{Method: "users.list", After: 1, Status: 503}) // After counts from when the first fault is spent

	got, err := extractAll(t, extract.Users{Client: f.client, TeamID: f.org.Teams[0].ID})
	require.NoError(t, err)

	ids := got.strings("user_id")
	require.Len(t, ids, len(f.org.Users))
	seen := map[string]bool{}
	for _, id := range ids {
		require.False(t, seen[id], "user %s landed twice", id)
		seen[id] = true
	}
	for _, u := range f.org.Users {
		require.True(t, seen[u.ID], "user %s missing", u.ID)
	}
	// ⌈2500 / 1000⌉ = 3 pages, plus the two faulted calls that were retried.
	assert.Equal(t, 5, f.srv.Calls("users.list"))
	assert.EqualValues(t, 5, f.client.Calls()["users.list"])
}

func TestUsersFieldsMatchTheOrg(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 11, Users: 300})
	got, err := extractAll(t, extract.Users{Client: f.client, TeamID: f.org.Teams[0].ID})
	require.NoError(t, err)
	require.Equal(t, len(f.org.Users), got.rows)

	var sawUnicode, sawGuest, sawSingle, sawBot, sawInvited, sawDeleted bool
	for _, u := range f.org.Users {
		i := got.index("user_id", u.ID)
		require.GreaterOrEqual(t, i, 0, u.ID)
		assert.Equal(t, u.Name, got.cols["name"][i])
		assert.Equal(t, u.RealName, got.cols["real_name"][i], u.ID)
		if u.Email != "" {
			assert.Equal(t, u.Email, got.cols["email"][i])
		} else {
			assert.Nil(t, got.cols["email"][i])
		}
		assert.Equal(t, u.IsAdmin, got.cols["is_admin"][i])
		assert.Equal(t, u.IsOwner, got.cols["is_owner"][i])
		assert.Equal(t, u.IsPrimaryOwner, got.cols["is_primary_owner"][i])
		assert.Equal(t, u.IsRestricted, got.cols["is_restricted"][i])
		assert.Equal(t, u.IsUltraRestricted, got.cols["is_ultra_restricted"][i])
		assert.Equal(t, u.IsBot, got.cols["is_bot"][i])
		assert.Equal(t, u.IsAppUser, got.cols["is_app_user"][i])
		assert.Equal(t, u.IsInvitedUser, got.cols["is_invited_user"][i])
		assert.Equal(t, u.Deleted, got.cols["deleted"][i])
		assert.Equal(t, f.org.Teams[0].ID, got.cols["team_id"][i])
		sawUnicode = sawUnicode || strings.ContainsFunc(u.RealName, func(r rune) bool { return r > 127 })
		sawGuest = sawGuest || u.IsRestricted && !u.IsUltraRestricted
		sawSingle = sawSingle || u.IsUltraRestricted
		sawBot = sawBot || u.IsBot
		sawInvited = sawInvited || u.IsInvitedUser
		sawDeleted = sawDeleted || u.Deleted
	}
	assert.True(t, sawUnicode && sawGuest && sawSingle && sawBot && sawInvited && sawDeleted, "the org should have every kind of account")
	i := got.index("user_id", slacktest.SlackbotID)
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, false, got.cols["is_bot"][i], "Slackbot is listed with is_bot false")
}

func TestUsersBatchesStayUnderTheLimit(t *testing.T) {
	const users = extract.MaxBatchRows + 5_120
	f := newFixture(t, slacktest.Config{Seed: 5, Users: users}, slacktest.WithRateLimits(false))
	got, err := extractAll(t, extract.Users{Client: f.client, TeamID: f.org.Teams[0].ID})
	require.NoError(t, err)
	assert.Equal(t, users, got.rows)
	assert.Equal(t, 2, got.batches, "MaxBatchRows rows, then the rest")
	assert.Equal(t, users/1000, f.srv.Calls("users.list"))
}

func TestUsersEmailNeedsItsScope(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 2, Users: 50})
	tok := f.org.UserToken(f.org.AdminToken().UserID, "users:read")
	f.srv.AddToken(tok)
	got, err := extractAll(t, extract.Users{Client: newClient(t, f.srv, tok.Value), TeamID: f.org.Teams[0].ID})
	require.NoError(t, err)
	for _, e := range got.cols["email"] {
		assert.Nil(t, e, "emails need users:read.email")
	}
}

func TestUsersMissingScopeNamesMethodScopeAndFix(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 2, Users: 50})
	tok := f.org.UserToken(f.org.AdminToken().UserID, "team:read")
	f.srv.AddToken(tok)
	_, err := extractAll(t, extract.Users{Client: newClient(t, f.srv, tok.Value), TeamID: f.org.Teams[0].ID})
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "users.list")
	assert.Contains(t, msg, "missing_scope")
	assert.Contains(t, msg, "users:read")
	assert.Contains(t, msg, "reinstall")
	e, ok := slackapi.AsError(err)
	require.True(t, ok)
	assert.Equal(t, slackapi.KindScope, e.Kind)
	assert.NotContains(t, msg, tok.Value)
}

func TestMalformedPayloadNamesMethodAndField(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"wrong type", `{"ok":true,"members":[{"id":"U1","name":"a","is_admin":"yes"}],"response_metadata":{"next_cursor":""}}`,
			[]string{"users.list", "is_admin", "malformed"}},
		{"truncated", `{"ok":true,"members":[{"id":"U1","name":"a","is_adm`, []string{"users.list", "truncated"}},
		// Whole, but closed by the wrong bracket: not truncated.
		{"wrong last byte", `{"ok":true,"members":[],"response_metadata":{"next_cursor":""}]`,
			[]string{"users.list", "invalid JSON at byte 63: invalid character ']' after object key:value pair"}},
		{"not json", `<html>Bad gateway</html>`, []string{"users.list", "invalid JSON"}},
		{"missing id", `{"ok":true,"members":[{"name":"a"}],"response_metadata":{"next_cursor":""}}`,
			[]string{"users.list", "members[0].id"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, slacktest.Config{Seed: 2, Users: 50})
			f.srv.Inject(slacktest.Fault{Method: "users.list", Body: tc.body})
			_, err := extractAll(t, extract.Users{Client: f.client, TeamID: f.org.Teams[0].ID})
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			e, ok := slackapi.AsError(err)
			require.True(t, ok)
			assert.Equal(t, slackapi.KindMalformed, e.Kind)
		})
	}
}

func TestRateLimitsAreHonouredNotFatal(t *testing.T) {
	// 45 pages of users.list at Tier 2 (20 a minute): the client paces itself
	// and waits out the server's 429s; every member arrives once.
	f := newFixture(t, slacktest.Config{Seed: 9, Users: 900})
	got, err := extractAll(t, extract.Users{Client: f.client, TeamID: f.org.Teams[0].ID, PageSize: 20})
	require.NoError(t, err)
	assert.Equal(t, 900, got.rows)
	assert.GreaterOrEqual(t, f.srv.Calls("users.list"), 45)
}

func TestRateLimitWaitsAreBounded(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 2, Users: 50})
	f.srv.Inject(slacktest.Fault{Method: "users.list", Status: 429, Times: 100})
	c, err := slackapi.New(slackapi.Config{APIURL: f.srv.URL(), Token: f.org.AdminToken().Value, TimeScale: testScale,
		MaxRateLimitWaits: 3, Logger: quiet})
	require.NoError(t, err)
	_, err = extractAll(t, extract.Users{Client: c, TeamID: f.org.Teams[0].ID})
	require.Error(t, err)
	e, ok := slackapi.AsError(err)
	require.True(t, ok)
	assert.Equal(t, slackapi.KindRateLimited, e.Kind)
	assert.Equal(t, 4, f.srv.Calls("users.list"), "one call and three waits")
}

func TestUnreachableAPIURLFailsClearlyAfterRetries(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 2, Users: 50})
	url := f.srv.URL()
	f.srv.Close()
	c, err := slackapi.New(slackapi.Config{APIURL: url, Token: "xoxp-unreachable-0000", TimeScale: testScale, MaxRetries: 2, Logger: quiet})
	require.NoError(t, err)
	_, err = c.AuthTest(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "auth.test")
	assert.Contains(t, err.Error(), "cannot reach Slack")
	assert.Contains(t, err.Error(), "after 3 attempts")
	assert.Contains(t, err.Error(), "--api-url")
	assert.NotContains(t, err.Error(), "xoxp-unreachable-0000")
	assert.EqualValues(t, 3, c.Calls()["auth.test"])
}

func TestBadTokensSaySoWithoutPrintingThem(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 2, Users: 50})
	const bad = "xoxp-1111-2222-not-a-real-token"
	_, err := newClient(t, f.srv, bad).AuthTest(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid_auth")
	assert.Contains(t, err.Error(), "does not recognise the token")
	assert.NotContains(t, err.Error(), bad)
	e, _ := slackapi.AsError(err)
	assert.Equal(t, slackapi.KindAuth, e.Kind)
}

func TestNewRejectsBadConfig(t *testing.T) {
	_, err := slackapi.New(slackapi.Config{APIURL: "slack.com/api", Token: "x"})
	assert.ErrorContains(t, err, "--api-url")
	_, err = slackapi.New(slackapi.Config{Token: "  "})
	assert.ErrorContains(t, err, "SLACK_TOKEN")
}
