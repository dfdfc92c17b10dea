package slacktest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// Test-local shapes of Slack's documented JSON (no slack-go: decoding is
// checked against the documentation, not against a client).
type member struct {
	ID                string         `json:"id"`
	TeamID            string         `json:"team_id"`
	Name              string         `json:"name"`
	Deleted           bool           `json:"deleted"`
	Color             string         `json:"color"`
	RealName          *string        `json:"real_name"`
	TZ                string         `json:"tz"`
	TZLabel           string         `json:"tz_label"`
	TZOffset          int            `json:"tz_offset"`
	Profile           profile        `json:"profile"`
	IsAdmin           bool           `json:"is_admin"`
	IsOwner           bool           `json:"is_owner"`
	IsPrimaryOwner    bool           `json:"is_primary_owner"`
	IsRestricted      bool           `json:"is_restricted"`
	IsUltraRestricted bool           `json:"is_ultra_restricted"`
	IsBot             bool           `json:"is_bot"`
	IsAppUser         bool           `json:"is_app_user"`
	Updated           int64          `json:"updated"`
	IsEmailConfirmed  bool           `json:"is_email_confirmed"`
	Has2FA            bool           `json:"has_2fa"`
	IsInvitedUser     *bool          `json:"is_invited_user"`
	EnterpriseUser    *enterpriseUsr `json:"enterprise_user"`
}

type profile struct {
	Title                 string  `json:"title"`
	RealName              string  `json:"real_name"`
	RealNameNormalized    string  `json:"real_name_normalized"`
	DisplayName           string  `json:"display_name"`
	DisplayNameNormalized string  `json:"display_name_normalized"`
	Fields                any     `json:"fields"`
	Email                 *string `json:"email"`
	FirstName             string  `json:"first_name"`
	LastName              string  `json:"last_name"`
	Image72               string  `json:"image_72"`
	BotID                 string  `json:"bot_id"`
	APIAppID              string  `json:"api_app_id"`
	Team                  string  `json:"team"`
}

type enterpriseUsr struct {
	ID             string   `json:"id"`
	EnterpriseID   string   `json:"enterprise_id"`
	EnterpriseName string   `json:"enterprise_name"`
	Teams          []string `json:"teams"`
}

type usersPage struct {
	OK               bool     `json:"ok"`
	Error            string   `json:"error"`
	Members          []member `json:"members"`
	CacheTS          int64    `json:"cache_ts"`
	ResponseMetadata struct {
		NextCursor *string `json:"next_cursor"`
	} `json:"response_metadata"`
}

type slackError struct {
	OK       bool   `json:"ok"`
	Error    string `json:"error"`
	Needed   string `json:"needed"`
	Provided string `json:"provided"`
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// call POSTs a form to the method, as slack-go does.
func call(t testing.TB, srv *slacktest.Server, method string, params url.Values) response {
	t.Helper()
	resp, err := http.PostForm(srv.URL()+method, params)
	require.NoError(t, err)
	return read(t, resp)
}

// callJSON POSTs a JSON object with a bearer token.
func callJSON(t testing.TB, srv *slacktest.Server, method, token string, body any) response {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, srv.URL()+method, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	return read(t, resp)
}

// callGET sends the parameters in the query string.
func callGET(t testing.TB, srv *slacktest.Server, method string, params url.Values) response {
	t.Helper()
	resp, err := http.Get(srv.URL() + method + "?" + params.Encode())
	require.NoError(t, err)
	return read(t, resp)
}

func read(t testing.TB, resp *http.Response) response {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func decode[T any](t testing.TB, r response) T {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.True(t, strings.HasPrefix(r.Header.Get("Content-Type"), "application/json"), r.Header.Get("Content-Type"))
	var v T
	require.NoError(t, json.Unmarshal(r.Body, &v), "body: %.300s", r.Body)
	return v
}

// requireError asserts an HTTP 200 {"ok":false,"error":code}.
func requireError(t testing.TB, r response, code string) slackError {
	t.Helper()
	e := decode[slackError](t, r)
	require.False(t, e.OK)
	require.Equal(t, code, e.Error, "body: %s", r.Body)
	return e
}

func newServer(t testing.TB, cfg slacktest.Config, opts ...slacktest.Option) (*slacktest.Server, string) {
	t.Helper()
	srv := slacktest.NewServer(slacktest.NewOrg(cfg), opts...)
	t.Cleanup(srv.Close)
	return srv, srv.Org().AdminToken().Value
}

// listAll pages through users.list and returns every member and the number of pages.
func listAll(t testing.TB, srv *slacktest.Server, token string, limit int, extra ...string) ([]member, int) {
	t.Helper()
	var all []member
	cursor := ""
	for pages := 1; ; pages++ {
		p := form(append([]string{"token", token, "limit", itoa(limit), "cursor", cursor}, extra...)...)
		page := decode[usersPage](t, call(t, srv, "users.list", p))
		require.True(t, page.OK)
		all = append(all, page.Members...)
		require.NotNil(t, page.ResponseMetadata.NextCursor, "next_cursor must always be present")
		cursor = *page.ResponseMetadata.NextCursor
		if cursor == "" {
			return all, pages
		}
		require.Len(t, page.Members, limit)
		require.Less(t, pages, 100000)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
