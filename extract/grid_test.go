package extract_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// gridFixture is a Grid org with an org-level token holding every admin scope.
func gridFixture(t *testing.T, users int, opts ...slacktest.Option) (*fixture, *slackapi.Client) {
	t.Helper()
	f := newFixture(t, slacktest.Config{Seed: 13, Users: users, Workspaces: 3, Plan: slacktest.PlanEnterprise}, opts...)
	tok := f.org.OrgToken("admin", "admin.teams:read", "admin.users:read", "admin.analytics:read", "users:read", "users:read.email", "team:read", "team.billing:read")
	f.srv.AddToken(tok)
	return f, newClient(t, f.srv, tok.Value)
}

func TestOrgTokenIdentityAndWorkspaces(t *testing.T) {
	f, c := gridFixture(t, 300)
	ctx := context.Background()
	id, err := c.AuthTest(ctx)
	require.NoError(t, err)
	assert.True(t, id.IsEnterpriseInstall)
	ws, err := c.AdminTeams(ctx, f.org.EnterpriseID, f.org.EnterpriseName)
	require.NoError(t, err)
	require.Len(t, ws, 3)
	for i, w := range ws {
		assert.Equal(t, f.org.Teams[i].ID, w.TeamID)
		assert.Equal(t, f.org.Teams[i].Domain, w.Domain)
		assert.Equal(t, f.org.EnterpriseID, w.EnterpriseID)
		assert.Equal(t, "enterprise", w.Plan.Code())
	}
}

func TestOrgUsersActiveAndDeactivated(t *testing.T) {
	f, c := gridFixture(t, 450)
	got, err := extractAll(t, extract.OrgUsers{Client: c, EnterpriseID: f.org.EnterpriseID})
	require.NoError(t, err)
	want := 0
	for _, u := range f.org.Users {
		if u.ID == slacktest.SlackbotID {
			continue
		}
		want++
		i := got.index("user_id", u.ID)
		require.GreaterOrEqual(t, i, 0, u.ID)
		assert.Equal(t, !u.Deleted, got.cols["is_active"][i], u.ID)
		if u.LastActive.IsZero() {
			assert.Nil(t, got.cols["last_active_at"][i], u.ID)
		} else {
			assert.Equal(t, u.LastActive.Truncate(time.Second), got.cols["last_active_at"][i].(time.Time).UTC(), u.ID)
		}
	}
	assert.Equal(t, want, got.rows)
	assert.GreaterOrEqual(t, f.srv.Calls("admin.users.list"), 5, "100 a page, the largest admin.users.list allows")
}

func TestWorkspaceMethodsWithAnOrgTokenNeedTeamID(t *testing.T) {
	f, c := gridFixture(t, 100)
	_, err := extractAll(t, extract.Users{Client: c})
	e, ok := slackapi.AsError(err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "missing_argument", e.Code)
	assert.Contains(t, e.Error(), "--team")
	got, err := extractAll(t, extract.Users{Client: c, TeamID: f.org.Teams[1].ID})
	require.NoError(t, err)
	n := 0
	for _, u := range f.org.Users {
		if u.InTeam(f.org.Teams[1].ID) {
			n++
		}
	}
	assert.Equal(t, n, got.rows)
}

func days(f *fixture, back ...int) []time.Time {
	var out []time.Time
	for _, b := range back {
		out = append(out, f.org.Now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -b))
	}
	return out
}

func TestMemberActivityMatchesTheFiles(t *testing.T) {
	f, c := gridFixture(t, 500, slacktest.WithRateLimits(false))
	src := &extract.MemberActivity{Client: c, EnterpriseID: f.org.EnterpriseID, Days: days(f, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)}
	got, err := extractAll(t, src)
	require.NoError(t, err)
	want := 0
	active := 0
	for _, d := range days(f, 2, 3, 4, 5, 6, 7, 8, 9) {
		for _, u := range f.org.Users {
			if line, ok := f.org.MemberAnalyticsLine(u, d); ok {
				want++
				if line.IsActive {
					active++
				}
			}
		}
	}
	assert.Equal(t, want, got.rows)
	n := 0
	for _, v := range got.cols["is_active"] {
		if v == true {
			n++
		}
	}
	assert.Equal(t, active, n)
	assert.Equal(t, 10, f.srv.Calls("admin.analytics.getFile"))
	note := src.Note()
	assert.Contains(t, note, "8 days fetched")
	assert.Contains(t, note, days(f, 1)[0].Format(time.DateOnly)+", "+days(f, 0)[0].Format(time.DateOnly)+" not yet available")
}

func TestMemberActivityBeforeTheDataStartsIsSkipped(t *testing.T) {
	f, c := gridFixture(t, 60, slacktest.WithRateLimits(false))
	src := &extract.MemberActivity{Client: c, EnterpriseID: f.org.EnterpriseID, Days: days(f, 3, 500)}
	got, err := extractAll(t, src)
	require.NoError(t, err)
	assert.Positive(t, got.rows)
	assert.Contains(t, src.Note(), "before Slack's analytics start")
}

func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func TestMemberActivityBadFilesNameTheDateAndLine(t *testing.T) {
	good := `{"enterprise_id":"E1","team_id":"T1","date":"%s","user_id":"W1","is_active":true,"is_billable_seat":true}` + "\n"
	cases := []struct {
		name, body string
		want       []string
	}{
		{"bad json line", gz(good + "{\"user_id\":\"W2\",\"is_active\":tru\n"), []string{"line 2", "invalid JSON"}},
		{"wrong type", gz(good + good + `{"user_id":"W3","is_active":"yes"}` + "\n"), []string{"line 3", "is_active"}},
		{"truncated gzip", gz(good + good)[:40], []string{"corrupt or truncated"}},
		{"missing field", gz(`{"user_id":"W1"}` + "\n"), []string{"line 1", "is_active is missing"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, c := gridFixture(t, 60, slacktest.WithRateLimits(false))
			day := days(f, 5)[0]
			body := tc.body
			if tc.name != "truncated gzip" {
				// Put the asked-for date in the lines.
				body = gz(replaceDate(ungz(t, tc.body), day.Format(time.DateOnly)))
			}
			f.srv.Inject(slacktest.Fault{Method: "admin.analytics.getFile", Body: body})
			_, err := extractAll(t, &extract.MemberActivity{Client: c, EnterpriseID: f.org.EnterpriseID, Days: []time.Time{day}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "admin.analytics.getFile")
			assert.Contains(t, err.Error(), day.Format(time.DateOnly))
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func ungz(t *testing.T, s string) string {
	r, err := gzip.NewReader(bytes.NewReader([]byte(s)))
	require.NoError(t, err)
	var b bytes.Buffer
	_, err = b.ReadFrom(r)
	require.NoError(t, err)
	return b.String()
}

func replaceDate(s, date string) string {
	return string(bytes.ReplaceAll([]byte(s), []byte("%s"), []byte(date)))
}

func TestMemberActivityOffGridIsUnavailable(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 3, Users: 60})
	_, err := extractAll(t, &extract.MemberActivity{Client: f.client, Days: days(f, 3)})
	e, ok := slackapi.AsError(err)
	require.True(t, ok, "%v", err)
	assert.True(t, e.Unavailable(), "%v", e)
}
