package extract_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

func TestBillablePagesAndFlags(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 4, Users: 2300})
	f.srv.Inject(slacktest.Fault{Method: "team.billableInfo", After: 1, Status: 429})
	got, err := extractAll(t, extract.Billable{Client: f.client, TeamID: f.org.Teams[0].ID})
	require.NoError(t, err)
	require.Equal(t, len(f.org.Users), got.rows)
	for _, u := range f.org.Users {
		i := got.index("user_id", u.ID)
		require.GreaterOrEqual(t, i, 0, u.ID)
		// Slack's Fair Billing flag reads active for every non-deleted person.
		assert.Equal(t, u.IsHuman() && !u.Deleted, got.cols["billing_active"][i], u.ID)
	}
	assert.Equal(t, 3+1, f.srv.Calls("team.billableInfo"), "⌈2300/1000⌉ pages and one retried 429")
}

func TestBillableWithoutAdminIsUnavailable(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 4, Users: 60})
	tok := f.org.UserToken(f.org.AdminToken().UserID, "users:read", "team:read")
	f.srv.AddToken(tok)
	_, err := extractAll(t, extract.Billable{Client: newClient(t, f.srv, tok.Value), TeamID: f.org.Teams[0].ID})
	e, ok := slackapi.AsError(err)
	require.True(t, ok, "%v", err)
	assert.True(t, e.Unavailable())
	assert.Equal(t, "admin", e.Needed)
	assert.Contains(t, e.Error(), "team.billableInfo")
}

func TestDiscoverReadsWorkspaceAndPlan(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 4, Users: 60, Plan: slacktest.PlanPro, Name: "Globex"})
	ctx := context.Background()
	id, err := f.client.AuthTest(ctx)
	require.NoError(t, err)
	ws, err := f.client.Discover(ctx, id, "")
	require.NoError(t, err)
	assert.Equal(t, f.org.Teams[0].ID, ws.TeamID)
	assert.Equal(t, "Globex", ws.Name)
	assert.Equal(t, "std", ws.Plan.Code())
	assert.Equal(t, "pro", ws.Plan.String())

	_, err = f.client.Discover(ctx, id, "T0OTHER")
	assert.ErrorContains(t, err, "the token belongs to workspace "+ws.TeamID)
}
