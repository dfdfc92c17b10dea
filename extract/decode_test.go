package extract_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
)

// payloadServer answers each method with a recorded payload from
// testdata/slack, named <method>.<case>.json.
func payloadServer(t *testing.T, files map[string]string) *slackapi.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := files[path.Base(r.URL.Path)]
		if !ok {
			w.Write([]byte(`{"ok":false,"error":"unknown_method"}`))
			return
		}
		b, err := os.ReadFile(filepath.Join("..", "testdata", "slack", name))
		if err != nil {
			t.Errorf("reading payload: %v", err)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL + "/api/", Token: "xoxp-decode-test", TimeScale: testScale, Logger: quiet})
	require.NoError(t, err)
	return c
}

func TestDecodeDocumentedUsersList(t *testing.T) {
	c := payloadServer(t, map[string]string{"users.list": "users.list.documented.json"})
	got, err := extractAll(t, extract.Users{Client: c, TeamID: "T012AB3C4"})
	require.NoError(t, err)
	require.Equal(t, 1, got.rows)
	assert.Equal(t, "W012A3CDE", got.cols["user_id"][0])
	assert.Equal(t, "Egon", got.cols["real_name"][0])
	assert.Equal(t, "s@x.com", got.cols["email"][0])
	assert.Equal(t, true, got.cols["is_admin"][0])
	assert.Equal(t, false, got.cols["has_2fa"][0])
	assert.Equal(t, "E1", got.cols["enterprise_id"][0])
	assert.Equal(t, time.Unix(1502138686, 0).UTC(), got.cols["profile_updated_at"][0].(time.Time).UTC())
	assert.Nil(t, got.cols["title"][0], "empty strings land as NULL")
}

func TestDecodeUnknownAndMissingFields(t *testing.T) {
	c := payloadServer(t, map[string]string{"users.list": "users.list.unknown-and-missing-fields.json"})
	got, err := extractAll(t, extract.Users{Client: c, TeamID: "T012AB3C4"})
	require.NoError(t, err)
	require.Equal(t, 2, got.rows)
	assert.Equal(t, "Néw Fïelds", got.cols["real_name"][0], "real_name falls back to the profile's")
	assert.Equal(t, time.Unix(1700000000, 0).UTC(), got.cols["profile_updated_at"][0].(time.Time).UTC(), "updated as a string")
	assert.Nil(t, got.cols["has_2fa"][0], "has_2fa absent stays unknown")
	assert.Nil(t, got.cols["enterprise_id"][0])
	assert.Equal(t, "U0MINIMAL", got.cols["user_id"][1])
	assert.Equal(t, true, got.cols["deleted"][1])
	assert.Nil(t, got.cols["real_name"][1])
	assert.Nil(t, got.cols["profile_updated_at"][1])
}

func TestDecodeDocumentedBillableInfo(t *testing.T) {
	c := payloadServer(t, map[string]string{"team.billableInfo": "team.billableInfo.documented.json"})
	got, err := extractAll(t, extract.Billable{Client: c, TeamID: "T1"})
	require.NoError(t, err)
	assert.Equal(t, []string{"U02UCPE1R", "U02UEBSD2", "U0632EWRW"}, got.strings("user_id"), "sorted by user")
	assert.Equal(t, []any{true, true, false}, got.cols["billing_active"])
}

func TestDecodeDocumentedWorkspace(t *testing.T) {
	c := payloadServer(t, map[string]string{
		"auth.test":         "auth.test.documented.json",
		"team.info":         "team.info.documented.json",
		"team.billing.info": "team.billing.info.documented.json",
	})
	ctx := context.Background()
	id, err := c.AuthTest(ctx)
	require.NoError(t, err)
	assert.Equal(t, "W12345678", id.UserID)
	assert.Equal(t, "E1", id.EnterpriseID)
	id.TeamID = "T12345" // the recorded payloads come from different teams
	ws, err := c.Discover(ctx, id, "")
	require.NoError(t, err)
	assert.Equal(t, slackapi.Workspace{TeamID: "T12345", Name: "My Team", Domain: "example", EmailDomain: "example.com",
		EnterpriseID: "E1234A12AB", EnterpriseName: "Umbrella Corporation", Plan: slackapi.PlanBusinessPlus}, ws)
	assert.Equal(t, "business_plus", ws.Plan.String())
}

func TestDecodeDocumentedAccessLogs(t *testing.T) {
	c := payloadServer(t, map[string]string{"team.accessLogs": "team.accessLogs.documented.json"})
	got, err := extractAll(t, extract.AccessLogs{Client: c, TeamID: "T1"})
	require.NoError(t, err)
	assert.Equal(t, []string{"U45678", "U12345"}, got.strings("user_id"))
	assert.Equal(t, "BigCo ISP", got.cols["isp"][0])
	assert.Nil(t, got.cols["isp"][1], "null stays NULL")
	assert.Equal(t, time.Unix(1422922864, 0).UTC(), got.cols["last_seen_at"][0].(time.Time).UTC())
}

func TestDecodeDocumentedIntegrationLogs(t *testing.T) {
	c := payloadServer(t, map[string]string{"team.integrationLogs": "team.integrationLogs.documented.json"})
	got, err := extractAll(t, extract.IntegrationLogs{Client: c, TeamID: "T1"})
	require.NoError(t, err)
	assert.Equal(t, []string{"app", "service", "app"}, got.strings("kind"))
	assert.Equal(t, []string{"2345678901", "3456789012", "4567890123"}, got.strings("integration_id"))
	assert.Equal(t, "user", got.cols["reason"][1])
	assert.Equal(t, time.Unix(1392163202, 0).UTC(), got.cols["changed_at"][1].(time.Time).UTC())
}

func TestDecodeDocumentedGridLists(t *testing.T) {
	c := payloadServer(t, map[string]string{
		"admin.users.list": "admin.users.list.documented.json", "admin.teams.list": "admin.teams.list.documented.json",
		"admin.apps.approved.list": "admin.apps.approved.list.documented.json", "admin.apps.restricted.list": "admin.apps.restricted.list.documented.json",
		"admin.apps.requests.list": "admin.apps.requests.list.documented.json", "usergroups.list": "usergroups.list.documented.json",
	})
	// admin.users.list answers the active and the deactivated list alike here.
	users, err := extractAll(t, extract.OrgUsers{Client: c, EnterpriseID: "E1"})
	require.NoError(t, err)
	assert.Equal(t, []string{"W0L3P31SP", "W0M4Q42TQ"}, users.strings("user_id"))
	assert.Equal(t, `["T0123ABCD","T0456EFGH"]`, users.cols["workspaces"][0])
	assert.Equal(t, time.Unix(1700000000, 0).UTC(), users.cols["last_active_at"][0].(time.Time).UTC())
	assert.Nil(t, users.cols["last_active_at"][1])

	ws, err := c.AdminTeams(context.Background(), "E1", "Acme")
	require.NoError(t, err)
	assert.Equal(t, []slackapi.Workspace{{TeamID: "T1234", Name: "My Team", Domain: "subarachnoid", EnterpriseID: "E1",
		EnterpriseName: "Acme", Plan: slackapi.PlanEnterprise}}, ws)

	dir, err := extractAll(t, extract.AppDirectory{Client: c, EnterpriseID: "E1", TeamIDs: []string{"T1"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"A0W7UKG8E", "A0FDLP8M2"}, dir.strings("app_id"))
	assert.Equal(t, []string{"approved", "restricted"}, dir.strings("list"))
	assert.Equal(t, `["bot"]`, dir.cols["sensitive_scopes"][0])
	assert.Equal(t, `["incoming-webhook"]`, dir.cols["user_scopes"][1])
	assert.Equal(t, "W0G82F4FD", dir.cols["resolved_by"][0])

	reqs, err := extractAll(t, extract.AppRequests{Client: c, EnterpriseID: "E1"})
	require.NoError(t, err)
	assert.Equal(t, []string{"Ar0XJGFLMLS"}, reqs.strings("request_id"))
	assert.Equal(t, "T0M94LNUCR", reqs.cols["team_id"][0])
	assert.Equal(t, "janedoe@example.com", reqs.cols["user_email"][0])
	assert.Equal(t, true, reqs.cols["previously_restricted"][0])

	groups, err := extractAll(t, extract.UserGroups{Client: c, TeamID: "T060RNRCH"})
	require.NoError(t, err)
	assert.Equal(t, []string{"admins", "owners"}, groups.strings("handle"))
	assert.Equal(t, []any{int64(2), int64(1)}, groups.cols["user_count"], "user_count as the documented string")
	assert.Equal(t, "U060RNRCZ", groups.cols["updated_by"][0])
}
