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
)

// payloadServer answers each method with a recorded payload from
// testdata/slack, named <method>.<case>.json.
func payloadServer(t *testing.T, files map[string]string) *extract.Client {
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
	c, err := extract.New(extract.Config{APIURL: srv.URL + "/api/", Token: "xoxp-decode-test", TimeScale: testScale, Logger: quiet})
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
	assert.Equal(t, extract.Workspace{TeamID: "T12345", Name: "My Team", Domain: "example", EmailDomain: "example.com",
		EnterpriseID: "E1234A12AB", EnterpriseName: "Umbrella Corporation", PlanCode: "plus"}, ws)
	assert.Equal(t, "business_plus", ws.Plan())
}
