package extract_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// scripted serves, per method, the given answers in order; a call past
// the last one fails the test.
func scripted(t *testing.T, answers map[string][]string) (*slackapi.Client, func(method string) int) {
	t.Helper()
	var mu sync.Mutex
	calls := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := path.Base(r.URL.Path)
		mu.Lock()
		n := calls[m]
		calls[m]++
		mu.Unlock()
		if n >= len(answers[m]) {
			t.Errorf("%s called %d times; the script has %d answers", m, n+1, len(answers[m]))
			w.Write([]byte(`{"ok":false,"error":"script_ended"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(answers[m][n]))
	}))
	t.Cleanup(srv.Close)
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL + "/api/", Token: "xoxp-pager-test-0000", TimeScale: testScale,
		NoRateLimit: true, Logger: quiet})
	require.NoError(t, err)
	return c, func(m string) int { mu.Lock(); defer mu.Unlock(); return calls[m] }
}

// members is a users.list page of the given IDs with next_cursor next.
func members(next string, ids ...string) string {
	var items []string
	for _, id := range ids {
		items = append(items, fmt.Sprintf(`{"id":%q,"name":"n-%s","updated":1700000000}`, id, id))
	}
	return fmt.Sprintf(`{"ok":true,"members":[%s],"response_metadata":{"next_cursor":%q}}`, strings.Join(items, ","), next)
}

// extractCounting extracts src with a Stats attached, returning rows and duplicates.
func extractCounting(t *testing.T, src extract.Source) (int, int64, error) {
	t.Helper()
	ctx, st := slackapi.WithStats(context.Background())
	rows := 0
	err := src.Extract(ctx, func(rec arrow.RecordBatch) error {
		rows += int(rec.NumRows())
		return nil
	})
	return rows, st.Duplicates(), err
}

func TestPagerRepeatedCursorEndsPaging(t *testing.T) {
	c, calls := scripted(t, map[string][]string{"users.list": {
		members("c1", "U1", "U2"), members("c2", "U3"), members("c1", "U4"),
	}})
	_, _, err := extractCounting(t, extract.Users{Client: c, TeamID: "T1"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `users.list (team T1): paging stopped making progress: Slack returned cursor "c1" again after 3 pages (page 1 gave it first)`)
	e, ok := slackapi.AsError(err)
	require.True(t, ok)
	assert.Equal(t, slackapi.KindMalformed, e.Kind)
	assert.Equal(t, 3, calls("users.list"))
}

func TestPagerSamePageTwiceEndsPaging(t *testing.T) {
	c, _ := scripted(t, map[string][]string{"users.list": {members("c1", "U1", "U2"), members("c2", "U1", "U2")}})
	_, _, err := extractCounting(t, extract.Users{Client: c, TeamID: "T1"})
	assert.ErrorContains(t, err, "users.list (team T1): paging stopped making progress: page 2 listed only records already read (2)")
}

func TestPagerKeepsRepeatsOnceAndCountsThem(t *testing.T) {
	c, _ := scripted(t, map[string][]string{"users.list": {members("c1", "U1", "U2", "U2"), members("", "U2", "U3")}})
	tb, dups, err := func() (*table, int64, error) {
		ctx, st := slackapi.WithStats(context.Background())
		tb, err := extractAllCtx(t, ctx, extract.Users{Client: c, TeamID: "T1"})
		return tb, st.Duplicates(), err
	}()
	require.NoError(t, err)
	assert.Equal(t, []string{"U1", "U2", "U3"}, tb.strings("user_id"))
	assert.EqualValues(t, 2, dups)
}

func TestPagerEmptyLastPageIsTheEnd(t *testing.T) {
	c, calls := scripted(t, map[string][]string{"users.list": {members("c1", "U1"), members("")}})
	rows, _, err := extractCounting(t, extract.Users{Client: c, TeamID: "T1"})
	require.NoError(t, err)
	assert.Equal(t, 1, rows)
	assert.Equal(t, 2, calls("users.list"))
}

func TestPagerEmptyPagesThatKeepGivingCursorsEnd(t *testing.T) {
	var pages []string
	for i := range 10 {
		pages = append(pages, members(fmt.Sprintf("c%d", i+1)))
	}
	c, calls := scripted(t, map[string][]string{"users.list": pages})
	_, _, err := extractCounting(t, extract.Users{Client: c, TeamID: "T1"})
	assert.ErrorContains(t, err, "paging stopped making progress: 6 pages in a row listed nothing yet gave a next cursor")
	assert.Equal(t, 6, calls("users.list"))
}

func TestPagerMissingOrNullListIsMalformed(t *testing.T) {
	for body, want := range map[string]string{
		`{"ok":true,"members":null,"response_metadata":{"next_cursor":""}}`: "users.list (team T1): malformed response: field members is null",
		`{"ok":true,"response_metadata":{"next_cursor":""}}`:                "users.list (team T1): malformed response: field members is missing",
		`{"ok":true,"members":{"id":"U1"}}`:                                 "users.list (team T1): malformed response: field members: got an object, want a list",
	} {
		c, _ := scripted(t, map[string][]string{"users.list": {body}})
		_, _, err := extractCounting(t, extract.Users{Client: c, TeamID: "T1"})
		require.Error(t, err, body)
		assert.Contains(t, err.Error(), want)
		e, _ := slackapi.AsError(err)
		assert.Equal(t, slackapi.KindMalformed, e.Kind, body)
	}
}

func TestWrongTypeNamesMethodRecordAndField(t *testing.T) {
	ids := make([]string, 17)
	for i := range ids {
		ids[i] = fmt.Sprintf("U%04d", i)
	}
	bad := strings.Replace(members("", append(ids, "U0123")...), `"id":"U0123","name":"n-U0123","updated":1700000000`,
		`"id":"U0123","name":"n-U0123","updated":"yesterday"`, 1)
	c, _ := scripted(t, map[string][]string{"users.list": {bad}})
	_, _, err := extractCounting(t, extract.Users{Client: c, TeamID: "T1"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `users.list (team T1): malformed response: members[17] (id U0123).updated: got string "yesterday", want a Unix time`)
	assert.NotContains(t, err.Error(), "strconv")

	// On a later page the page is named too; a nested field has its path.
	c, _ = scripted(t, map[string][]string{"users.list": {members("c1", "U1"),
		`{"ok":true,"members":[{"id":"U2","profile":{"email":["a@b.c"]}}]}`}})
	_, _, err = extractCounting(t, extract.Users{Client: c, TeamID: "T1"})
	assert.ErrorContains(t, err, `users.list (team T1): page 2: malformed response: members[0] (id U2).profile.email: got a list, want a string`)
}

func TestEveryDataSetKeepsRepeatsOnce(t *testing.T) {
	cases := []struct {
		name    string
		answers map[string][]string
		src     func(c *slackapi.Client) extract.Source
		rows    int
		dups    int64
	}{
		{"billable_info", map[string][]string{"team.billableInfo": {
			`{"ok":true,"billable_info":{"U1":{"billing_active":true},"U2":{"billing_active":false},"U1":{"billing_active":true}},"response_metadata":{"next_cursor":"c"}}`,
			`{"ok":true,"billable_info":{"U2":{"billing_active":false},"U3":{"billing_active":true}},"response_metadata":{"next_cursor":""}}`}},
			func(c *slackapi.Client) extract.Source { return extract.Billable{Client: c, TeamID: "T1"} }, 3, 2},
		{"access_logs", map[string][]string{"team.accessLogs": {
			`{"ok":true,"logins":[` + login("U1", "1.1.1.1", 100) + `,` + login("U1", "1.1.1.1", 100) + `,` + login("U2", "1.1.1.1", 90) + `],"paging":{"pages":1}}`}},
			func(c *slackapi.Client) extract.Source { return extract.AccessLogs{Client: c, TeamID: "T1"} }, 2, 1},
		{"app_events", map[string][]string{"team.integrationLogs": {
			`{"ok":true,"logs":[` + logEntry("A1", "added") + `,` + logEntry("A1", "added") + `,` + logEntry("A2", "added") + `],"paging":{"pages":1}}`}},
			func(c *slackapi.Client) extract.Source { return extract.IntegrationLogs{Client: c, TeamID: "T1"} }, 2, 1},
		{"org_users", map[string][]string{"admin.users.list": {
			`{"ok":true,"users":[{"id":"W1"},{"id":"W2"},{"id":"W1"}],"response_metadata":{"next_cursor":""}}`,
			`{"ok":true,"users":[{"id":"W2","is_active":false},{"id":"W3"}],"response_metadata":{"next_cursor":""}}`}},
			func(c *slackapi.Client) extract.Source { return extract.OrgUsers{Client: c, EnterpriseID: "E1"} }, 3, 2},
		{"app_directory", map[string][]string{
			"admin.apps.approved.list":   {`{"ok":true,"approved_apps":[{"app":{"id":"A1"}},{"app":{"id":"A1"}}],"response_metadata":{"next_cursor":""}}`},
			"admin.apps.restricted.list": {`{"ok":true,"restricted_apps":[{"app":{"id":"A2"}}],"response_metadata":{"next_cursor":""}}`}},
			func(c *slackapi.Client) extract.Source {
				return extract.AppDirectory{Client: c, EnterpriseID: "E1", TeamIDs: []string{"T1"}}
			}, 2, 1},
		{"app_requests", map[string][]string{"admin.apps.requests.list": {
			`{"ok":true,"app_requests":[` + request("R1", "A1") + `,` + request("R2", "A1") + `,` + request("R1", "A1") + `],"response_metadata":{"next_cursor":""}}`}},
			func(c *slackapi.Client) extract.Source { return extract.AppRequests{Client: c, EnterpriseID: "E1"} }, 2, 1},
		{"user_groups", map[string][]string{"usergroups.list": {
			`{"ok":true,"usergroups":[{"id":"S1","team_id":"T1"},{"id":"S2","team_id":"T1"},{"id":"S1","team_id":"T1"}]}`}},
			func(c *slackapi.Client) extract.Source { return extract.UserGroups{Client: c, TeamID: "T1"} }, 2, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := scripted(t, tc.answers)
			rows, dups, err := extractCounting(t, tc.src(c))
			require.NoError(t, err)
			assert.Equal(t, tc.rows, rows)
			assert.Equal(t, tc.dups, dups)
		})
	}
}

func TestAdminTeamsKeepsEachWorkspaceOnce(t *testing.T) {
	c, _ := scripted(t, map[string][]string{"admin.teams.list": {
		`{"ok":true,"teams":[{"id":"T1","name":"One","team_url":"https://one.slack.com/"},{"id":"T2"}],"response_metadata":{"next_cursor":"x"}}`,
		`{"ok":true,"teams":[{"id":"T2"},{"id":"T3"}],"response_metadata":{"next_cursor":""}}`}})
	ctx, st := slackapi.WithStats(context.Background())
	ws, err := c.AdminTeams(ctx, "E1", "Acme")
	require.NoError(t, err)
	require.Len(t, ws, 3)
	assert.Equal(t, "one", ws[0].Domain)
	assert.EqualValues(t, 1, st.Duplicates())
}

func login(user, ip string, first int64) string {
	return fmt.Sprintf(`{"user_id":%q,"ip":%q,"user_agent":"ua","date_first":%d,"date_last":%d,"count":1}`, user, ip, first, first+10)
}

func logEntry(app, change string) string {
	return fmt.Sprintf(`{"app_id":%q,"app_type":"X","user_id":"U1","date":"1700000000","change_type":%q,"scope":"chat:write"}`, app, change)
}

func request(id, app string) string {
	return fmt.Sprintf(`{"id":%q,"app":{"id":%q},"team":{"id":"T1"},"user":{"id":"U1"}}`, id, app)
}

func TestMemberListThatCannotBeRightFails(t *testing.T) {
	c, _ := scripted(t, map[string][]string{"users.list": {members(""), members("", "U1", "U2")}})
	_, _, err := extractCounting(t, extract.Users{Client: c, TeamID: "T1", MustList: "U9"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "users.list (team T1): Slack listed no accounts, yet the workspace has at least the token's own user U9")
	assert.Contains(t, err.Error(), "the previous snapshot is kept")
	e, _ := slackapi.AsError(err)
	assert.Equal(t, slackapi.KindImplausible, e.Kind)

	_, _, err = extractCounting(t, extract.Users{Client: c, TeamID: "T1", MustList: "U9"})
	assert.ErrorContains(t, err, "Slack listed 2 accounts but not the token's own user U9, so the list is not the whole workspace")
}

func TestOrgMemberListThatCannotBeRightFails(t *testing.T) {
	empty := `{"ok":true,"users":[],"response_metadata":{"next_cursor":""}}`
	c, _ := scripted(t, map[string][]string{"admin.users.list": {empty, empty,
		`{"ok":true,"users":[{"id":"W1"}],"response_metadata":{"next_cursor":""}}`, empty}})
	_, _, err := extractCounting(t, extract.OrgUsers{Client: c, EnterpriseID: "E1", MustList: "W9"})
	assert.ErrorContains(t, err, "admin.users.list (team E1): Slack listed no accounts, yet the organisation has at least the token's own user W9")
	_, _, err = extractCounting(t, extract.OrgUsers{Client: c, EnterpriseID: "E1", MustList: "W9"})
	assert.ErrorContains(t, err, "Slack listed 1 account but not the token's own user W9")
}

// The synthetic org's tokens belong to users its member lists include, so
// the rule holds for a real, whole list.
func TestSyntheticOrgListsTheTokensOwnUser(t *testing.T) {
	f, c := gridFixture(t, 300)
	id, err := c.AuthTest(context.Background())
	require.NoError(t, err)
	_, _, err = extractCounting(t, extract.OrgUsers{Client: c, EnterpriseID: f.org.EnterpriseID, MustList: id.UserID})
	require.NoError(t, err)

	w := newFixture(t, slacktest.Config{Seed: 3, Users: 200})
	wid, err := w.client.AuthTest(context.Background())
	require.NoError(t, err)
	_, _, err = extractCounting(t, extract.Users{Client: w.client, TeamID: wid.TeamID, MustList: wid.UserID})
	require.NoError(t, err)
}

func TestMemberActivityKeepsEachPersonOncePerDay(t *testing.T) {
	f, c := gridFixture(t, 60, slacktest.WithRateLimits(false))
	day := days(f, 5)[0]
	line := `{"enterprise_id":"E1","team_id":"T1","date":"%s","user_id":"%s","is_active":true}` + "\n"
	date := day.Format("2006-01-02")
	f.srv.Inject(slacktest.Fault{Method: "admin.analytics.getFile",
		Body: gz(fmt.Sprintf(line, date, "W1") + fmt.Sprintf(line, date, "W2") + fmt.Sprintf(line, date, "W1"))})
	rows, dups, err := extractCounting(t, &extract.MemberActivity{Client: c, EnterpriseID: f.org.EnterpriseID, Days: []time.Time{day}})
	require.NoError(t, err)
	assert.Equal(t, 2, rows)
	assert.EqualValues(t, 1, dups)
}

// logsPage is a team.integrationLogs page of the given apps with a paging
// object.
func logsPage(total, page, pages int, apps ...string) string {
	var items []string
	for _, a := range apps {
		items = append(items, logEntry(a, "added"))
	}
	return fmt.Sprintf(`{"ok":true,"logs":[%s],"paging":{"count":2,"total":%d,"page":%d,"pages":%d}}`, strings.Join(items, ","), total, page, pages)
}

func TestCountPagingThatEndsBeforeItsTotalFails(t *testing.T) {
	cases := []struct {
		name  string
		pages []string
		want  string
	}{
		{"an empty page amid the listing", []string{logsPage(5, 1, 3, "A1", "A2"), logsPage(5, 2, 3)},
			"page 2 listed 0 of the 2 asked for, yet paging counts 5 in all over 3 pages, leaving 3 unlisted"},
		{"a short page amid the listing", []string{logsPage(5, 1, 3, "A1", "A2"), logsPage(5, 2, 3, "A3")},
			"page 2 listed 1 of the 2 asked for, yet paging counts 5 in all over 3 pages, leaving 2 unlisted"},
		{"paging that claims one more page", []string{logsPage(4, 1, 2, "A1", "A2"), logsPage(6, 2, 3, "A3")},
			"page 2 listed 1 of the 2 asked for, yet paging counts 6 in all over 3 pages, leaving 3 unlisted"},
		{"an empty only page", []string{logsPage(3, 1, 1)},
			"page 1 listed 0 of the 2 asked for, yet paging counts 3 in all over 1 page, leaving 3 unlisted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, calls := scripted(t, map[string][]string{"team.integrationLogs": tc.pages})
			_, _, err := extractCounting(t, extract.IntegrationLogs{Client: c, TeamID: "T1", PageSize: 2})
			require.Error(t, err)
			assert.Equal(t, "team.integrationLogs (team T1): paging ended short: "+tc.want+
				" — Slack's answer did not have the documented shape; nothing was saved: try again later, and if it persists, report the method and this message", err.Error())
			assert.Equal(t, len(tc.pages), calls("team.integrationLogs"))
		})
	}

	// A listing as long as its total ends quietly, the last page short.
	c, _ := scripted(t, map[string][]string{"team.integrationLogs": {logsPage(3, 1, 2, "A1", "A2"), logsPage(3, 2, 2, "A3")}})
	rows, _, err := extractCounting(t, extract.IntegrationLogs{Client: c, TeamID: "T1", PageSize: 2})
	require.NoError(t, err)
	assert.Equal(t, 3, rows)
}

func TestSignInLogWithAnEmptyPageAmidItFails(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 2, Users: 200}, slacktest.WithRateLimits(false))
	team := f.org.Teams[0].ID
	whole, err := extractAll(t, extract.AccessLogs{Client: f.client, TeamID: team, PageSize: 100})
	require.NoError(t, err)
	require.Greater(t, whole.rows, 200, "three pages or more")

	f.srv.Inject(slacktest.Fault{Method: "team.accessLogs", Kind: slacktest.FaultEmptyPage, After: 1})
	_, err = extractAll(t, extract.AccessLogs{Client: f.client, TeamID: team, PageSize: 100})
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("team.accessLogs (team %s): paging ended short: page 2 listed 0 of the 100 asked for, yet paging counts %d in all", team, whole.rows))

	f.srv.Inject(slacktest.Fault{Method: "team.accessLogs", Kind: slacktest.FaultEndlessPages, Times: slacktest.Forever})
	_, err = extractAll(t, extract.AccessLogs{Client: f.client, TeamID: team, PageSize: 100})
	f.srv.ClearFaults()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "paging ended short: page ")
}

func TestBillingFlagsThatCannotBeRightFail(t *testing.T) {
	flags := func(next string, ids ...string) string {
		var items []string
		for _, id := range ids {
			items = append(items, fmt.Sprintf(`%q:{"billing_active":true}`, id))
		}
		return fmt.Sprintf(`{"ok":true,"billable_info":{%s},"response_metadata":{"next_cursor":%q}}`, strings.Join(items, ","), next)
	}
	c, _ := scripted(t, map[string][]string{"team.billableInfo": {flags(""), flags("", "U1", "U2"), flags("", "U1", "U9")}})
	_, _, err := extractCounting(t, extract.Billable{Client: c, TeamID: "T1", MustList: "U9"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "team.billableInfo (team T1): Slack listed no billing flags, yet the workspace has at least the token's own user U9")
	assert.Contains(t, err.Error(), "the previous snapshot is kept")
	e, _ := slackapi.AsError(err)
	assert.Equal(t, slackapi.KindImplausible, e.Kind)

	_, _, err = extractCounting(t, extract.Billable{Client: c, TeamID: "T1", MustList: "U9"})
	assert.ErrorContains(t, err, "team.billableInfo (team T1): Slack listed 2 billing flags but not the token's own user U9, so the list is not the whole workspace")

	rows, _, err := extractCounting(t, extract.Billable{Client: c, TeamID: "T1", MustList: "U9"})
	require.NoError(t, err)
	assert.Equal(t, 2, rows)
}
