package slacktest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

type scimUserJS struct {
	Schemas     []string `json:"schemas"`
	ID          string   `json:"id"`
	UserName    string   `json:"userName"`
	DisplayName string   `json:"displayName"`
	Active      *bool    `json:"active"`
	Name        struct {
		GivenName  string `json:"givenName"`
		FamilyName string `json:"familyName"`
	} `json:"name"`
	Emails []struct {
		Value   string `json:"value"`
		Primary bool   `json:"primary"`
	} `json:"emails"`
	Groups []struct {
		Value   string `json:"value"`
		Display string `json:"display"`
	} `json:"groups"`
	Meta struct {
		ResourceType string `json:"resourceType"`
		Created      string `json:"created"`
		LastModified string `json:"lastModified"`
		Location     string `json:"location"`
	} `json:"meta"`
	Guest *struct {
		Type string `json:"type"`
	} `json:"urn:ietf:params:scim:schemas:extension:slack:guest:2.0:User"`
}

type scimListJS struct {
	Schemas      []string     `json:"schemas"`
	TotalResults int          `json:"totalResults"`
	ItemsPerPage int          `json:"itemsPerPage"`
	StartIndex   int          `json:"startIndex"`
	Resources    []scimUserJS `json:"Resources"`
}

type scimErrorJS struct {
	Schemas  []string `json:"schemas"`
	Detail   string   `json:"detail"`
	Status   string   `json:"status"`
	ScimType string   `json:"scimType"`
}

// requireSCIMError asserts a SCIM error with the status and a detail
// starting with code.
func requireSCIMError(t testing.TB, r response, status int, code string) scimErrorJS {
	t.Helper()
	require.Equal(t, status, r.Status, "body: %s", r.Body)
	var e scimErrorJS
	require.NoError(t, jsonUnmarshal(r.Body, &e), "body: %s", r.Body)
	require.Equal(t, []string{"urn:ietf:params:scim:api:messages:2.0:Error"}, e.Schemas)
	require.Equal(t, itoa(status), e.Status)
	require.True(t, strings.HasPrefix(e.Detail, code+": "), e.Detail)
	return e
}

// scimJSON decodes a successful SCIM answer.
func scimJSON[T any](t testing.TB, r response) T {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	var v T
	require.NoError(t, jsonUnmarshal(r.Body, &v), "body: %s", r.Body)
	return v
}

func deactivateOp(active any) map[string]any {
	return map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []map[string]any{{"op": "replace", "path": "active", "value": active}},
	}
}

func TestSCIMGetAndList(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 4, Users: 300}, slacktest.WithRateLimits(false))
	o := srv.Org()
	require.True(t, strings.HasSuffix(srv.SCIMURL(), "/scim/v2/"))
	u := find(t, o, func(u *slacktest.User) bool { return isMember(o.Teams[0].ID)(u) && u.Email != "" })

	got := scimJSON[scimUserJS](t, scimDo(t, srv, http.MethodGet, "Users/"+u.ID, tok, nil))
	require.Equal(t, u.ID, got.ID)
	require.Equal(t, u.Name, got.UserName)
	require.True(t, *got.Active)
	require.Len(t, got.Emails, 1)
	require.Equal(t, u.Email, got.Emails[0].Value)
	require.True(t, got.Emails[0].Primary)
	require.Contains(t, got.Schemas, "urn:ietf:params:scim:schemas:core:2.0:User")
	require.Equal(t, "User", got.Meta.ResourceType)
	require.Equal(t, srv.SCIMURL()+"Users/"+u.ID, got.Meta.Location)
	require.Equal(t, u.Created.Format("2006-01-02T15:04:05Z"), got.Meta.Created)
	require.NotEmpty(t, got.DisplayName)
	require.Nil(t, got.Guest)
	// groups lists the enabled user groups the person is in.
	want := 0
	for _, g := range o.UserGroups(o.Teams[0].ID) {
		if !g.Disabled() && contains(g.Users, u.ID) {
			want++
		}
	}
	require.Len(t, got.Groups, want)
	guest := find(t, o, func(u *slacktest.User) bool { return u.IsUltraRestricted })
	g := scimJSON[scimUserJS](t, scimDo(t, srv, http.MethodGet, "Users/"+guest.ID, tok, nil))
	require.NotNil(t, g.Guest)
	require.Equal(t, "single", g.Guest.Type)

	// Bots, Slackbot and unknown IDs are not SCIM users.
	bot := find(t, o, func(u *slacktest.User) bool { return u.IsBot })
	for _, id := range []string{bot.ID, slacktest.SlackbotID, "U0NOPE"} {
		requireSCIMError(t, scimDo(t, srv, http.MethodGet, "Users/"+id, tok, nil), http.StatusNotFound, "user_not_found")
	}

	// Listing: people only, 10 by default, startIndex 1-based, count capped at 1000.
	people := 0
	for _, u := range o.CurrentUsers() {
		if u.IsHuman() {
			people++
		}
	}
	l := scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, "Users", tok, nil))
	require.Equal(t, people, l.TotalResults)
	require.Equal(t, 10, l.ItemsPerPage)
	require.Len(t, l.Resources, 10)
	require.Equal(t, 1, l.StartIndex)
	require.Equal(t, []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"}, l.Schemas)
	var ids []string
	for start := 1; start <= people; start += 100 {
		p := scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, "Users?startIndex="+itoa(start)+"&count=100", tok, nil))
		for _, r := range p.Resources {
			ids = append(ids, r.ID)
		}
	}
	require.Len(t, ids, people)
	require.IsIncreasing(t, ids)
	all := scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, "Users?count=5000", tok, nil))
	require.Equal(t, people, all.ItemsPerPage, "fewer than 1000 people: all of them")
	none := scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, "Users?count=0", tok, nil))
	require.Empty(t, none.Resources)
	require.Equal(t, people, none.TotalResults)

	f := scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, `Users?filter=`+urlq(`userName eq "`+strings.ToUpper(u.Name)+`"`), tok, nil))
	require.Equal(t, 1, f.TotalResults)
	require.Equal(t, u.ID, f.Resources[0].ID)
	f = scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, `Users?filter=`+urlq(`emails.value eq "`+u.Email+`"`), tok, nil))
	require.Equal(t, u.ID, f.Resources[0].ID)
	f = scimJSON[scimListJS](t, scimDo(t, srv, http.MethodGet, `Users?filter=`+urlq(`userName eq "nobody.at.all"`), tok, nil))
	require.Zero(t, f.TotalResults)
	requireSCIMError(t, scimDo(t, srv, http.MethodGet, `Users?filter=`+urlq(`title co "x"`), tok, nil), http.StatusBadRequest, "invalid_filter")
	requireSCIMError(t, scimDo(t, srv, http.MethodGet, `Users?count=ten`, tok, nil), http.StatusBadRequest, "invalid_arguments")
	require.Equal(t, 5, srv.Calls(slacktest.SCIMGetUser))
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// urlq escapes a query value.
func urlq(s string) string { return form("q", s).Encode()[2:] }

func TestSCIMDeactivateAndReactivate(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 4, Users: 300}, slacktest.WithRateLimits(false))
	o := srv.Org()
	team := o.Teams[0].ID
	u := find(t, o, isMember(team))
	// Put u in a group: deactivation takes it out.
	groupTok := addToken(srv, o.UserToken(o.AdminToken().UserID, "usergroups:write", "usergroups:read"))
	g := o.UserGroups(team)[1]
	requireOK(t, call(t, srv, "usergroups.users.update", form("token", groupTok, "usergroup", g.ID, "users", u.ID)))

	got := scimJSON[scimUserJS](t, scimDo(t, srv, http.MethodPatch, "Users/"+u.ID, tok, deactivateOp(false)))
	require.False(t, *got.Active)
	require.Empty(t, got.Groups)
	// Every later read sees it.
	require.True(t, o.User(u.ID).Deleted)
	require.True(t, members(t, srv, tok, team)[u.ID].Deleted, "users.list deleted:true")
	b := decode[billablePage](t, call(t, srv, "team.billableInfo", form("token", tok, "user", u.ID)))
	require.False(t, *b.BillableInfo[u.ID].BillingActive)
	require.False(t, *scimJSON[scimUserJS](t, scimDo(t, srv, http.MethodGet, "Users/"+u.ID, tok, nil)).Active)
	require.Empty(t, o.UserGroups(team)[1].Users)
	// Deactivating again changes nothing; a string value works (as some IdPs send it).
	scimJSON[scimUserJS](t, scimDo(t, srv, http.MethodPatch, "Users/"+u.ID, tok, deactivateOp("False")))
	require.True(t, o.User(u.ID).Deleted)

	// Reactivate with the no-path form.
	body := map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []map[string]any{{"op": "Replace", "value": map[string]any{"active": true}}},
	}
	got = scimJSON[scimUserJS](t, scimDo(t, srv, http.MethodPatch, "Users/"+u.ID, tok, body))
	require.True(t, *got.Active)
	require.False(t, members(t, srv, tok, team)[u.ID].Deleted)
	b = decode[billablePage](t, call(t, srv, "team.billableInfo", form("token", tok, "user", u.ID)))
	require.True(t, *b.BillableInfo[u.ID].BillingActive)

	// DELETE deactivates: 204, no body; again is still 204.
	for range 2 {
		r := scimDo(t, srv, http.MethodDelete, "Users/"+u.ID, tok, nil)
		require.Equal(t, http.StatusNoContent, r.Status)
		require.Empty(t, r.Body)
	}
	require.True(t, o.User(u.ID).Deleted)
	require.Equal(t, o.Now, o.User(u.ID).Updated)
	require.Equal(t, 3, srv.Calls(slacktest.SCIMPatchUser))
	require.Equal(t, 2, srv.Calls(slacktest.SCIMDeleteUser))
}

func TestSCIMGridAdminUsersList(t *testing.T) {
	srv, org := newWriteGrid(t, 300, 2)
	o := srv.Org()
	u := find(t, o, isMember(o.Teams[1].ID))
	r := scimDo(t, srv, http.MethodDelete, "Users/"+u.ID, org.Value, nil)
	require.Equal(t, http.StatusNoContent, r.Status)
	got, ok := adminUser(t, srv, org.Value, u.ID)
	require.True(t, ok)
	require.False(t, got.IsActive)
	require.Equal(t, o.Now.Unix(), got.DeactivatedTS)
	inactive, _ := adminUsers(t, srv, org.Value, "is_active", "false")
	require.True(t, containsUser(inactive, u.ID))
	active, _ := adminUsers(t, srv, org.Value)
	require.False(t, containsUser(active, u.ID))
	// The deactivated person's own token stops working.
	own := addToken(srv, o.UserToken(u.ID, "users:read"))
	requireError(t, call(t, srv, "users.list", form("token", own)), "account_inactive")
	// Reactivation reverses it.
	scimJSON[scimUserJS](t, scimDo(t, srv, http.MethodPatch, "Users/"+u.ID, org.Value, deactivateOp(true)))
	got, _ = adminUser(t, srv, org.Value, u.ID)
	require.True(t, got.IsActive)
	require.Zero(t, got.DeactivatedTS)
	requireOK(t, call(t, srv, "users.list", form("token", own, "limit", "1")))
}

func containsUser(us []adminUserJS, id string) bool {
	for _, u := range us {
		if u.ID == id {
			return true
		}
	}
	return false
}

func TestSCIMErrors(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 4, Users: 300}, slacktest.WithRateLimits(false))
	o := srv.Org()
	team := o.Teams[0].ID
	member := find(t, o, isMember(team))
	admin := find(t, o, func(u *slacktest.User) bool { return u.IsAdmin && !u.IsOwner && !u.Deleted && u.IsHuman() })
	owner := find(t, o, func(u *slacktest.User) bool { return u.IsOwner && !u.IsPrimaryOwner && !u.Deleted })
	adminTok := addToken(srv, o.UserToken(admin.ID, "admin"))
	memberTok := addToken(srv, o.UserToken(member.ID, "admin"))
	narrow := addToken(srv, o.UserToken(o.AdminToken().UserID, "users:read"))
	bot := addToken(srv, o.BotToken("admin"))

	get := "Users/" + member.ID
	requireSCIMError(t, scimDo(t, srv, http.MethodGet, get, "", nil), http.StatusUnauthorized, "not_authed")
	requireSCIMError(t, scimDo(t, srv, http.MethodGet, get, "xoxp-nope", nil), http.StatusUnauthorized, "invalid_auth")
	requireSCIMError(t, scimDo(t, srv, http.MethodGet, get, memberTok, nil), http.StatusForbidden, "not_an_admin")
	requireSCIMError(t, scimDo(t, srv, http.MethodGet, get, narrow, nil), http.StatusForbidden, "missing_scope")
	requireSCIMError(t, scimDo(t, srv, http.MethodGet, get, bot, nil), http.StatusForbidden, "not_allowed_token_type")
	requireSCIMError(t, scimDo(t, srv, http.MethodGet, "Groups", tok, nil), http.StatusNotFound, "not_found")
	requireSCIMError(t, scimDo(t, srv, http.MethodPut, get, tok, nil), http.StatusNotImplemented, "not_found")
	requireSCIMError(t, scimDo(t, srv, http.MethodPost, "Users", tok, nil), http.StatusNotImplemented, "not_found")
	requireSCIMError(t, scimDo(t, srv, http.MethodDelete, "Users", tok, nil), http.StatusMethodNotAllowed, "not_found")

	// Nobody changes the primary owner; an admin cannot change an owner.
	requireSCIMError(t, scimDo(t, srv, http.MethodDelete, "Users/"+o.AdminToken().UserID, tok, nil), http.StatusForbidden, "cannot_modify_primary_owner")
	requireSCIMError(t, scimDo(t, srv, http.MethodPatch, "Users/"+o.AdminToken().UserID, adminTok, deactivateOp(false)), http.StatusForbidden, "cannot_modify_primary_owner")
	requireSCIMError(t, scimDo(t, srv, http.MethodDelete, "Users/"+owner.ID, adminTok, nil), http.StatusForbidden, "permission_denied")
	require.False(t, o.User(owner.ID).Deleted)
	requireSCIMError(t, scimDo(t, srv, http.MethodDelete, "Users/U0NOPE", tok, nil), http.StatusNotFound, "user_not_found")

	// Malformed bodies are 400 and change nothing.
	for _, body := range []any{
		"{nope",
		map[string]any{"Operations": []map[string]any{{"op": "replace", "path": "active", "value": false}}},
		map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
		deactivateOp("maybe"),
		deactivateOp(nil),
		map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
			"Operations": []map[string]any{{"op": "remove", "path": "active"}}},
		map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
			"Operations": []map[string]any{{"op": "replace", "path": "title", "value": "Boss"}}},
		map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
			"Operations": []map[string]any{{"op": "replace", "value": map[string]any{"active": false, "title": "x"}}}},
	} {
		e := requireSCIMError(t, scimDo(t, srv, http.MethodPatch, "Users/"+member.ID, adminTok, body), http.StatusBadRequest, "invalid_arguments")
		require.NotEmpty(t, e.ScimType)
	}
	require.False(t, o.User(member.ID).Deleted)
	// An admin may deactivate a member.
	require.Equal(t, http.StatusNoContent, scimDo(t, srv, http.MethodDelete, "Users/"+member.ID, adminTok, nil).Status)
	require.True(t, o.User(member.ID).Deleted)
}

func TestSCIMPlans(t *testing.T) {
	for _, plan := range []string{slacktest.PlanFree, slacktest.PlanPro, slacktest.PlanBusiness, slacktest.PlanEnterprise} {
		o := slacktest.NewOrg(slacktest.Config{Seed: 2, Users: 60, Plan: plan, Workspaces: 2})
		srv := slacktest.NewServer(o)
		r := scimDo(t, srv, http.MethodGet, "Users", o.AdminToken().Value, nil)
		if plan == slacktest.PlanFree || plan == slacktest.PlanPro {
			e := requireSCIMError(t, r, http.StatusForbidden, "feature_not_available")
			require.Contains(t, e.Detail, plan)
		} else {
			require.Equal(t, http.StatusOK, r.Status, "%s: %s", plan, r.Body)
		}
		srv.Close()
	}
}

func TestSCIMRateLimitsAndFaults(t *testing.T) {
	srv, tok := newServer(t, slacktest.Config{Seed: 4, Users: 300}, slacktest.WithTimeScale(10))
	o := srv.Org()
	var people []*slacktest.User
	for _, u := range o.CurrentUsers() {
		if isMember(o.Teams[0].ID)(u) {
			people = append(people, u)
		}
	}
	// Writes: bursts of 20, PATCH and DELETE together.
	for i := range 20 {
		path := "Users/" + people[i].ID
		if i%2 == 0 {
			require.Equal(t, http.StatusNoContent, scimDo(t, srv, http.MethodDelete, path, tok, nil).Status)
		} else {
			scimJSON[scimUserJS](t, scimDo(t, srv, http.MethodPatch, path, tok, deactivateOp(false)))
		}
	}
	r := scimDo(t, srv, http.MethodDelete, "Users/"+people[20].ID, tok, nil)
	requireSCIMError(t, r, http.StatusTooManyRequests, "ratelimited")
	require.NotEmpty(t, r.Header.Get("Retry-After"))
	require.False(t, o.User(people[20].ID).Deleted, "a throttled write changes nothing")
	// Reads have their own allowance.
	scimJSON[scimUserJS](t, scimDo(t, srv, http.MethodGet, "Users/"+people[20].ID, tok, nil))

	srv.ResetRateLimits()
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMPatchUser, After: 1, Status: http.StatusTooManyRequests, RetryAfter: 3})
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMDeleteUser, Status: http.StatusServiceUnavailable})
	srv.Inject(slacktest.Fault{Method: slacktest.SCIMGetUser, Error: "internal_error", Status: http.StatusInternalServerError})
	scimJSON[scimUserJS](t, scimDo(t, srv, http.MethodPatch, "Users/"+people[21].ID, tok, deactivateOp(false)))
	r = scimDo(t, srv, http.MethodPatch, "Users/"+people[22].ID, tok, deactivateOp(false))
	requireSCIMError(t, r, http.StatusTooManyRequests, "ratelimited")
	require.Equal(t, "3", r.Header.Get("Retry-After"))
	require.False(t, o.User(people[22].ID).Deleted)
	require.Equal(t, http.StatusServiceUnavailable, scimDo(t, srv, http.MethodDelete, "Users/"+people[22].ID, tok, nil).Status)
	requireSCIMError(t, scimDo(t, srv, http.MethodGet, "Users/"+people[22].ID, tok, nil), http.StatusInternalServerError, "internal_error")
	require.False(t, o.User(people[22].ID).Deleted)
	require.Equal(t, http.StatusNoContent, scimDo(t, srv, http.MethodDelete, "Users/"+people[22].ID, tok, nil).Status)
}

// scimDo sends a SCIM request with a bearer token and an optional JSON body.
func scimDo(t testing.TB, srv *slacktest.Server, method, path, token string, body any) response {
	t.Helper()
	var rd *bytes.Reader
	if s, ok := body.(string); ok {
		rd = bytes.NewReader([]byte(s))
	} else if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, srv.SCIMURL()+path, rd)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	return read(t, resp)
}
