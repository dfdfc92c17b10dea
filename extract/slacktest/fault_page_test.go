package slacktest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// cursorListing is a cursor-paged method, a server and parameters giving
// it at least three pages.
type cursorListing struct {
	method string
	srv    *slacktest.Server
	tok    string
	params []string
}

func cursorListings(t *testing.T) []cursorListing {
	grid, tok := newGrid(t, 400, 3)
	// Restricted apps are rare: this org's first workspace has three.
	grid2, tok2 := newGrid(t, 400, 2)
	team, ent := grid.Org().Teams[0].ID, grid.Org().EnterpriseID
	return []cursorListing{
		{"users.list", grid, tok.Value, []string{"team_id", team, "limit", "5"}},
		{"team.billableInfo", grid, tok.Value, []string{"team_id", team, "limit", "5"}},
		{"team.accessLogs", grid, tok.Value, []string{"team_id", team, "limit", "5"}},
		{"admin.teams.list", grid, tok.Value, []string{"limit", "1"}},
		{"admin.users.list", grid, tok.Value, []string{"limit", "5"}},
		{"admin.apps.approved.list", grid, tok.Value, []string{"enterprise_id", ent, "limit", "1"}},
		{"admin.apps.restricted.list", grid2, tok2.Value, []string{"team_id", grid2.Org().Teams[0].ID, "limit", "1"}},
		{"admin.apps.requests.list", grid, tok.Value, []string{"enterprise_id", ent, "limit", "1"}},
	}
}

var cursorField = regexp.MustCompile(`"next_cursor":"[^"]*"`)

// withCursor is body with its next_cursor replaced.
func withCursor(body []byte, cursor string) string {
	return cursorField.ReplaceAllString(string(body), `"next_cursor":"`+cursor+`"`)
}

// page calls a listing at cursor.
func (l cursorListing) page(t *testing.T, cursor string) response {
	t.Helper()
	r := call(t, l.srv, l.method, form(append([]string{"token", l.tok, "cursor", cursor}, l.params...)...))
	require.Equal(t, http.StatusOK, r.Status, "%s: %s", l.method, r.Body)
	return r
}

func TestFaultRepeatedCursorOnEveryCursorMethod(t *testing.T) {
	for _, l := range cursorListings(t) {
		t.Run(l.method, func(t *testing.T) {
			srv := l.srv
			p1 := l.page(t, "")
			c1 := nextCursor(p1.Body)
			p2 := l.page(t, c1)
			c2 := nextCursor(p2.Body)
			p3 := l.page(t, c2)
			require.NotEmpty(t, c2, "three pages at least")
			require.Contains(t, string(p3.Body), `"ok":true`)

			// The first page has no cursor to repeat: answered as is, the fault waits.
			srv.Inject(slacktest.Fault{Method: l.method, Kind: slacktest.FaultRepeatCursor, Times: 2})
			require.Equal(t, string(p1.Body), string(l.page(t, "").Body))
			require.Zero(t, srv.Faulted(l.method))
			// Page 2 names itself as the next page, twice; then paging goes on.
			for range 2 {
				require.Equal(t, withCursor(p2.Body, c1), string(l.page(t, c1).Body))
			}
			require.Equal(t, string(p2.Body), string(l.page(t, c1).Body))

			// RepeatFirst: page 3 sends the client back to page 2.
			srv.Inject(slacktest.Fault{Method: l.method, Kind: slacktest.FaultRepeatCursor, Cursor: slacktest.RepeatFirst})
			require.Equal(t, withCursor(p3.Body, c1), string(l.page(t, c2).Body))
			require.Equal(t, 3, srv.Faulted(l.method))
			require.Empty(t, srv.PendingFaults())
		})
	}
}

func TestFaultRepeatedCursorWithSlackGo(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 40}, slacktest.WithRateLimits(false))
	api := slackClient(srv, tok)
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultRepeatCursor, Times: slacktest.Forever})
	ctx := context.Background()
	p, err := api.GetUsersPaginated(slack.GetUsersOptionLimit(10)).Next(ctx)
	require.NoError(t, err)
	first := p.Cursor
	require.NotEmpty(t, first)
	for range 5 {
		next, err := p.Next(ctx)
		require.NoError(t, err)
		require.Equal(t, first, next.Cursor, "a next_cursor that never changes")
		require.Equal(t, srv.Org().Users[10].ID, next.Users[0].ID)
		p = next
	}
	require.Equal(t, 5, srv.Faulted("users.list"))

	srv.ClearFaults()
	srv.Inject(slacktest.Fault{Method: "team.accessLogs", After: 1, Kind: slacktest.FaultRepeatCursor})
	params := slack.AccessLogParameters{Limit: 5}
	_, c1, err := api.GetAccessLogs(params)
	require.NoError(t, err)
	params.Cursor = c1
	_, c2, err := api.GetAccessLogs(params)
	require.NoError(t, err)
	require.Equal(t, c1, c2)
}

type classicPage struct {
	OK     bool              `json:"ok"`
	Logs   []json.RawMessage `json:"logs"`
	Logins []json.RawMessage `json:"logins"`
	Paging pagingJS          `json:"paging"`
}

func TestFaultEndlessPages(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 3, Users: 200}, slacktest.WithRateLimits(false))
	real := decode[classicPage](t, call(t, srv, "team.integrationLogs", form("token", tok, "count", "7")))
	require.Greater(t, real.Paging.Pages, 1)

	srv.Inject(slacktest.Fault{Method: "team.integrationLogs", Kind: slacktest.FaultEndlessPages, Times: slacktest.Forever})
	for pg := 1; pg <= real.Paging.Pages+3; pg++ {
		p := decode[classicPage](t, call(t, srv, "team.integrationLogs", form("token", tok, "count", "7", "page", itoa(pg))))
		require.True(t, p.OK)
		require.Equal(t, pagingJS{Count: 7, Page: pg, Pages: pg + 1, Total: max(real.Paging.Total, 7*(pg+1))}, p.Paging)
		if pg > real.Paging.Pages {
			require.Empty(t, p.Logs, "past the real end the pages are empty, and still not the last")
		}
	}

	// team.accessLogs: classic requests only; a cursor request has no paging to change.
	srv.Inject(slacktest.Fault{Method: "team.accessLogs", Kind: slacktest.FaultEndlessPages})
	realCursor := call(t, srv, "team.accessLogs", form("token", tok, "limit", "5"))
	require.NotContains(t, string(realCursor.Body), `"paging"`)
	require.Zero(t, srv.Faulted("team.accessLogs"))
	p := decode[classicPage](t, call(t, srv, "team.accessLogs", form("token", tok, "count", "5", "page", "100")))
	require.Equal(t, 101, p.Paging.Pages)
	require.Equal(t, 1, srv.Faulted("team.accessLogs"))

	// SCIM: on the last page, totalResults claims one more user past it.
	total := scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, "Users?count=1", tok, nil)).TotalResults
	last := "Users?count=10&startIndex=" + itoa(total-4)
	require.Len(t, scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, last, tok, nil)).Resources, 5)
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMListUsers, Kind: slacktest.FaultEndlessPages})
	l := scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, last, tok, nil))
	require.Len(t, l.Resources, 5)
	require.Equal(t, total+1, l.TotalResults)
}

// listValue is the raw value of the top-level member key of body.
func listValue(t *testing.T, body, key string) string {
	t.Helper()
	i := strings.Index(body, `"`+key+`":`)
	require.GreaterOrEqual(t, i, 0, "%s in %.200s", key, body)
	var raw json.RawMessage
	require.NoError(t, json.NewDecoder(strings.NewReader(body[i+len(key)+3:])).Decode(&raw))
	return string(raw)
}

// withoutMember is body without member and the comma that joins it.
func withoutMember(body, member string) string {
	if strings.Contains(body, member+",") {
		return strings.Replace(body, member+",", "", 1)
	}
	return strings.Replace(body, ","+member, "", 1)
}

func TestFaultEmptyPages(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 40}, slacktest.WithRateLimits(false))
	team := srv.Org().Teams[0].ID
	for _, tc := range []struct {
		method, list string
		params       []string
		empty        string
	}{
		{"users.list", "members", []string{"limit", "5"}, "[]"},
		{"team.billableInfo", "billable_info", []string{"limit", "5"}, "{}"},
		{"team.accessLogs", "logins", []string{"limit", "5"}, "[]"},
		{"usergroups.list", "usergroups", []string{"team_id", team, "include_users", "true"}, "[]"},
	} {
		p := form(append([]string{"token", tok}, tc.params...)...)
		real := string(call(t, srv, tc.method, p).Body)
		member := `"` + tc.list + `":` + listValue(t, real, tc.list)
		require.Greater(t, len(member), len(tc.list)+5, "a page with items")
		for _, shape := range []struct {
			list slacktest.ListShape
			want string
		}{
			{slacktest.ListEmpty, strings.Replace(real, member, `"`+tc.list+`":`+tc.empty, 1)},
			{slacktest.ListNull, strings.Replace(real, member, `"`+tc.list+`":null`, 1)},
			{slacktest.ListMissing, withoutMember(real, member)},
		} {
			srv.Inject(slacktest.Fault{Method: tc.method, Kind: slacktest.FaultEmptyPage, List: shape.list})
			require.Equal(t, shape.want, string(call(t, srv, tc.method, p).Body), "%s %d", tc.method, shape.list)
			if strings.Contains(real, "next_cursor") {
				require.NotEmpty(t, nextCursor([]byte(real)))
				srv.Inject(slacktest.Fault{Method: tc.method, Kind: slacktest.FaultEmptyPage, List: shape.list, NoCursor: true})
				require.Equal(t, withCursor([]byte(shape.want), ""), string(call(t, srv, tc.method, p).Body))
			}
		}
	}
	require.Empty(t, srv.PendingFaults())

	// slack-go takes an empty page with a cursor as a page of nobody, and goes on.
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultEmptyPage, List: slacktest.ListNull})
	pg, err := slackClient(srv, tok).GetUsersPaginated(slack.GetUsersOptionLimit(5)).Next(context.Background())
	require.NoError(t, err)
	require.Empty(t, pg.Users)
	require.NotEmpty(t, pg.Cursor)

	// SCIM: Resources emptied, totalResults as it was.
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMListUsers, Kind: slacktest.FaultEmptyPage})
	l := scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, "Users?count=5", tok, nil))
	require.Empty(t, l.Resources)
	require.Greater(t, l.TotalResults, 5)
}

func TestFaultDuplicatedPage(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 40}, slacktest.WithRateLimits(false))
	p := func(cursor string) url.Values { return form("token", tok, "limit", "5", "cursor", cursor) }
	p1 := call(t, srv, "users.list", p(""))
	p2 := call(t, srv, "users.list", p(nextCursor(p1.Body)))
	members := regexp.MustCompile(`"members":\[.*\],"cache_ts"`)

	// The first page of a listing has no previous page; the second gets the first's items.
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultDuplicatePage})
	require.Equal(t, string(p1.Body), string(call(t, srv, "users.list", p("")).Body))
	require.Zero(t, srv.Faulted("users.list"))
	want := strings.Replace(string(p2.Body), members.FindString(string(p2.Body)), members.FindString(string(p1.Body)), 1)
	require.Equal(t, want, string(call(t, srv, "users.list", p(nextCursor(p1.Body))).Body), "page 1's members with page 2's cursor")
	// A retried page 2 still has page 1 before it.
	require.Equal(t, string(p2.Body), string(call(t, srv, "users.list", p(nextCursor(p1.Body))).Body))
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultDuplicatePage})
	require.Equal(t, want, string(call(t, srv, "users.list", p(nextCursor(p1.Body))).Body))
	require.Equal(t, 2, srv.Faulted("users.list"))

	// Through slack-go: the listing ends with five people twice.
	srv.Inject(slacktest.Fault{Method: "users.list", After: 2, Kind: slacktest.FaultDuplicatePage})
	users, err := slackClient(srv, tok).GetUsersContext(context.Background(), slack.GetUsersOptionLimit(5))
	require.NoError(t, err)
	seen := map[string]int{}
	for _, u := range users {
		seen[u.ID]++
	}
	require.Len(t, users, len(seen)+5)
	for _, u := range srv.Org().Users[5:10] {
		require.Equal(t, 2, seen[u.ID], "page 2's people come again as page 3")
	}
}

func TestFaultDuplicatedClassicAndSCIMPages(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 3, Users: 200}, slacktest.WithRateLimits(false))
	page1 := decode[classicPage](t, call(t, srv, "team.integrationLogs", form("token", tok, "count", "4", "page", "1")))
	srv.Inject(slacktest.Fault{Method: "team.integrationLogs", Kind: slacktest.FaultDuplicatePage})
	page2 := decode[classicPage](t, call(t, srv, "team.integrationLogs", form("token", tok, "count", "4", "page", "2")))
	require.Equal(t, page1.Logs, page2.Logs)
	require.Equal(t, 2, page2.Paging.Page)

	first := scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, "Users?startIndex=1&count=5", tok, nil))
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMListUsers, Kind: slacktest.FaultDuplicatePage})
	second := scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, "Users?startIndex=6&count=5", tok, nil))
	require.Equal(t, first.Resources, second.Resources)
	require.Equal(t, 6, second.StartIndex)
}

func TestFaultDuplicatedItems(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 1, Users: 40}, slacktest.WithRateLimits(false))
	srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultDuplicateItems})
	pg, err := slackClient(srv, tok).GetUsersPaginated(slack.GetUsersOptionLimit(3)).Next(context.Background())
	require.NoError(t, err)
	ids := []string{}
	for _, u := range pg.Users {
		ids = append(ids, u.ID)
	}
	o := srv.Org()
	require.Equal(t, []string{o.Users[0].ID, o.Users[1].ID, o.Users[2].ID, o.Users[0].ID, o.Users[1].ID, o.Users[2].ID}, ids)
	require.Equal(t, o.Users[3].ID, decodeCursorID(t, pg.Cursor), "the cursor is the page's own")

	// team.billableInfo repeats its keys: a decoder into a map hides the repeat.
	real := call(t, srv, "team.billableInfo", form("token", tok, "limit", "2"))
	srv.Inject(slacktest.Fault{Method: "team.billableInfo", Kind: slacktest.FaultDuplicateItems})
	r := call(t, srv, "team.billableInfo", form("token", tok, "limit", "2"))
	require.Equal(t, 2, strings.Count(string(r.Body), `"`+o.Users[0].ID+`":{"billing_active"`))
	require.Equal(t, 2*strings.Count(string(real.Body), `"billing_active"`), strings.Count(string(r.Body), `"billing_active"`))

	// An empty list has nothing to repeat: answered as is, the fault waits.
	srv.Inject(slacktest.Fault{Method: "team.integrationLogs", Kind: slacktest.FaultDuplicateItems})
	p := decode[classicPage](t, call(t, srv, "team.integrationLogs", form("token", tok, "page", "999")))
	require.Empty(t, p.Logs)
	require.Zero(t, srv.Faulted("team.integrationLogs"))
	require.Len(t, srv.PendingFaults(), 1)
}

// decodeCursorID is the user ID in a users.list cursor.
func decodeCursorID(t *testing.T, cursor string) string {
	t.Helper()
	var b []byte
	require.NoError(t, json.Unmarshal([]byte(`"`+cursor+`"`), &b))
	return strings.TrimPrefix(string(b), "user:")
}
