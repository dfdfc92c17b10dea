package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// slackPage is one answer of the synthetic org, decoded for a test to bend.
type slackPage map[string]any

// fetchPage asks the synthetic org for one page of method, as the sync would.
func fetchPage(t *testing.T, srv *slacktest.Server, tok, method string, params url.Values) slackPage {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL()+method, strings.NewReader(params.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	dec.UseNumber()
	var p slackPage
	require.NoError(t, dec.Decode(&p))
	require.Equal(t, true, p["ok"], "%v", p)
	return p
}

// members returns the page's member list.
func (p slackPage) members() []any { return p["members"].([]any) }

// with returns the page with its members replaced and next_cursor set.
func (p slackPage) with(members []any, next string) string {
	q := slackPage{}
	for k, v := range p {
		q[k] = v
	}
	q["members"] = members
	q["response_metadata"] = map[string]any{"next_cursor": next}
	b, _ := json.Marshal(q)
	return string(b)
}

// withoutUser drops the account id from members.
func withoutUser(members []any, id string) []any {
	var out []any
	for _, m := range members {
		if m.(map[string]any)["id"] != id {
			out = append(out, m)
		}
	}
	return out
}

func usersPage(t *testing.T, srv *slacktest.Server, tok, cursor string) slackPage {
	return fetchPage(t, srv, tok, "users.list", url.Values{"limit": {"1000"}, "team_id": {srv.Org().Teams[0].ID}, "cursor": {cursor}})
}

// syncedOnce is a synthetic org with one successful sync in a warehouse
// (a copy of the template).
func syncedOnce(t *testing.T, users int) (*slacktest.Server, string, string, *cli) {
	t.Helper()
	f := workspaceFixture(41, users)
	srv, tok := f.serve(t)
	return srv, tok, syncedCopy(t, f), newCLI(t, map[string]string{"SLACK_TOKEN": tok})
}

// assertKept checks that the first sync's snapshot is still the latest.
func assertKept(t *testing.T, db string, users int) {
	t.Helper()
	w := readSnapshot(t, db)
	defer w.Close()
	assert.Equal(t, users, w.Int("SELECT count(*) FROM users"), "the previous snapshot is whole")
	assert.Equal(t, 1, w.Int("SELECT run_id FROM latest_sync"))
	assert.Equal(t, 1, w.Int("SELECT count(*) FROM sync_runs WHERE run_id = 2 AND status = 'failed'"))
}

func TestSyncKeepsRepeatedAccountsOnceAndSaysSo(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 41, Users: 300})
	team := srv.Org().Teams[0].ID
	page := usersPage(t, srv, tok, "")
	all := page.members()
	srv.Inject(slacktest.Fault{Method: "users.list", Body: page.with(append(append([]any{}, all...), all[:23]...), "")})
	db := tempDB(t)
	r := newCLI(t, map[string]string{"SLACK_TOKEN": tok}).run("sync", "--db", db, "--api-url", srv.URL())
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Note: users ("+team+"): Slack listed 23 accounts twice; each was kept once")
	assert.Equal(t, 300, queryInt(t, db, "SELECT count(*) FROM users"))
	assert.Equal(t, 300, queryInt(t, db, "SELECT count(DISTINCT user_id) FROM users"))
	assert.Equal(t, 300, queryInt(t, db, "SELECT count(*) FROM licenses"), "one licence per person, as many as users")
	assert.Equal(t, 23, queryInt(t, db, "SELECT duplicates FROM source_status WHERE source = 'users'"))
	assert.Equal(t, 0, queryInt(t, db, "SELECT sum(duplicates) FROM source_status WHERE source <> 'users'"))
}

func TestSyncStopsOnARepeatedCursor(t *testing.T) {
	t.Parallel()
	srv, tok, db, c := syncedOnce(t, 2500)
	first := usersPage(t, srv, tok, "")
	next := first["response_metadata"].(map[string]any)["next_cursor"].(string)
	second := usersPage(t, srv, tok, next)
	// The second page hands back the cursor the first gave.
	srv.Inject(slacktest.Fault{Method: "users.list", After: 1, Body: second.with(second.members(), next)})
	r := c.run("sync", "--db", db, "--api-url", srv.URL())
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, fmt.Sprintf("users.list (team %s): paging stopped making progress: Slack returned cursor %q again after 2 pages (page 1 gave it first)",
		srv.Org().Teams[0].ID, next))
	assertKept(t, db, 2500)
}

func TestSyncRefusesAMemberListThatCannotBeRight(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		body func(p slackPage, owner string) string
		want string
	}{
		{"empty", func(p slackPage, _ string) string { return p.with([]any{}, "") },
			"users.list (team {team}): Slack listed no accounts, yet the workspace has at least the token's own user {owner}"},
		{"null", func(slackPage, string) string {
			return `{"ok":true,"members":null,"response_metadata":{"next_cursor":""}}`
		},
			"users.list (team {team}): malformed response: field members is null"},
		{"missing", func(slackPage, string) string { return `{"ok":true,"response_metadata":{"next_cursor":""}}` },
			"users.list (team {team}): malformed response: field members is missing"},
		{"without the token's user", func(p slackPage, owner string) string { return p.with(withoutUser(p.members(), owner), "") },
			"users.list (team {team}): Slack listed 299 accounts but not the token's own user {owner}, so the list is not the whole workspace"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, tok, db, c := syncedOnce(t, 300)
			owner := srv.Org().AdminToken().UserID
			srv.Inject(slacktest.Fault{Method: "users.list", Body: tc.body(usersPage(t, srv, tok, ""), owner)})
			r := c.run("sync", "--db", db, "--api-url", srv.URL())
			assert.Equal(t, exitFailure, r.code)
			assert.Contains(t, r.stderr, strings.NewReplacer("{team}", srv.Org().Teams[0].ID, "{owner}", owner).Replace(tc.want))
			assertKept(t, db, 300)
		})
	}
}

func TestSyncRefusesAnOrgMemberListWithoutTheTokensUser(t *testing.T) {
	t.Parallel()
	fx := gridFixture(300, "--since", "3d")
	srv, tok := fx.serve(t)
	db := syncedCopy(t, fx)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	srv.Inject(slacktest.Fault{Method: "admin.users.list", Times: 2, Body: `{"ok":true,"users":[],"response_metadata":{"next_cursor":""}}`})
	r := c.run("sync", "--db", db, "--api-url", srv.URL(), "--since", "3d")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, fmt.Sprintf("admin.users.list (team %s): Slack listed no accounts, yet the organisation has at least the token's own user %s",
		srv.Org().EnterpriseID, srv.Org().AdminToken().UserID))
	assert.Contains(t, r.stderr, "the previous snapshot is kept")
	assert.Equal(t, 1, queryInt(t, db, "SELECT run_id FROM latest_sync"))
}

func TestSyncShrinkGuard(t *testing.T) {
	t.Parallel()
	srv, tok, db, c := syncedOnce(t, 300)
	team := srv.Org().Teams[0].ID
	owner := srv.Org().AdminToken().UserID
	page := usersPage(t, srv, tok, "")
	// 120 accounts, the token's user among them: a list cut short.
	short := append(withoutUser(page.members(), owner)[:119], page.members()[slicesIndex(page.members(), owner)])
	srv.Inject(slacktest.Fault{Method: "users.list", Body: page.with(short, "")})
	r := c.run("sync", "--db", db, "--api-url", srv.URL())
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "the member count of "+team+" fell from 300 to 120 (60% fewer) since the last successful sync, more than the 50% a sync may lose")
	assert.Contains(t, r.stderr, "the previous snapshot is kept; pass --allow-shrink if this is real")
	assertKept(t, db, 300)

	srv.Inject(slacktest.Fault{Method: "users.list", Body: page.with(short, "")})
	r = c.run("sync", "--db", db, "--api-url", srv.URL(), "--allow-shrink")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 120, queryInt(t, db, "SELECT count(*) FROM users"))

	// Half of 120 is allowed without the flag.
	srv.Inject(slacktest.Fault{Method: "users.list", Body: page.with(short[60:], "")})
	r = c.run("sync", "--db", db, "--api-url", srv.URL())
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 60, queryInt(t, db, "SELECT count(*) FROM users"))
}

func slicesIndex(members []any, id string) int {
	for i, m := range members {
		if m.(map[string]any)["id"] == id {
			return i
		}
	}
	return -1
}

// A workspace sync after an org-wide one counts fewer people for the same
// enterprise by design: the guard compares syncs of the same mode and scope.
func TestSyncShrinkGuardComparesLikeWithLike(t *testing.T) {
	t.Parallel()
	fx := gridFixture(300, "--since", "3d")
	srv, _ := fx.serve(t)
	org := srv.Org()
	db := syncedCopy(t, fx)
	wsTok := org.UserToken(org.AdminToken().UserID, slacktest.AdminScopes()...)
	srv.AddToken(wsTok)
	r := newCLI(t, map[string]string{"SLACK_TOKEN": wsTok.Value}).run("sync", "--db", db, "--api-url", srv.URL())
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "mode grid_workspace")
	assert.Less(t, queryInt(t, db, "SELECT count(*) FROM users"), 150, "fewer than half the org's people, and no refusal")
}
