package warehouse_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
	"slackaudit/warehouse/schema"
)

// The tables a member count reads besides users.
var (
	workspacesTable = schema.Declare(schema.Table{
		Name: "workspaces", Kind: schema.Snapshot, Comment: "Each workspace.",
		Columns: []schema.Column{schema.String("team_id", "Workspace."), schema.String("enterprise_id", "Enterprise.").Optional()},
	})
	orgUsersTable = schema.Declare(schema.Table{
		Name: "org_users", Kind: schema.Snapshot, Comment: "Every account of an enterprise.",
		Columns: []schema.Column{schema.String("enterprise_id", "Enterprise."), schema.String("user_id", "Slack user ID.")},
	})
)

// MemberCounts counts the rows a sync has loaded, including those still
// gathered for a multi-batch scan and not yet in the staging tables, and
// the last successful snapshot's.
func TestMemberCountsSeeRowsNotYetLanded(t *testing.T) {
	tables := append(slices.Clone(contract), workspacesTable, orgUsersTable)
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{Tables: tables})
	require.NoError(t, err)
	defer db.Close()
	first := syncUsers(t, db, "U1", "U2", "U3")
	require.NoError(t, first.Commit(ctx, 0))

	run := syncUsers(t, db, "U1")
	before, now, err := run.MemberCounts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"T1": 3}, before)
	assert.Equal(t, map[string]int64{"T1": 1}, now, "a sync's own rows, landed or gathered")
	require.ErrorIs(t, run.Fail(ctx, assert.AnError), assert.AnError)
}
