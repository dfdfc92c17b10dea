package pipeline

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slacktest"
	"slackaudit/warehouse"
)

// Every data set and derived table of the registry lands in a table of the
// warehouse.
func TestRegistryTablesAreWarehouseTables(t *testing.T) {
	t.Parallel()
	cat, err := warehouse.NewCatalog(Tables())
	require.NoError(t, err)
	tables := map[string]bool{}
	for _, tb := range cat.TableNames() {
		tables[tb] = true
	}
	reg := defaultRegistry()
	for _, g := range reg.groups {
		for _, ds := range g.dataSets {
			assert.True(t, tables[ds.name()], "data set %s", ds.name())
		}
	}
	for _, d := range reg.derivers() {
		for _, out := range names(d.outputs...) {
			assert.True(t, tables[out], "%s's output %s", d.name, out)
		}
	}
}

// In every mode, each data set of the registry is either read (once per
// sync, or once per workspace) by a source of its own name and table, or
// recorded as unavailable with why and what would unlock it.
func TestRegistryPlansEveryDataSetOrSaysWhy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		plan  string
		grid  bool
		mode  Mode
		teams int
	}{
		{slacktest.PlanPro, false, Pro, 1},
		{slacktest.PlanBusiness, false, BusinessPlus, 1},
		{slacktest.PlanEnterprise, false, GridWorkspace, 1},
		{slacktest.PlanEnterprise, true, GridOrg, 3},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			t.Parallel()
			srv, tok := orgServer(t, slacktest.Config{Seed: 8, Users: 40, Plan: tc.plan, Workspaces: 3}, tc.grid)
			p, err := detect(context.Background(), options(t, srv, tok).withDefaults(srv.Org().Now))
			require.NoError(t, err)
			require.Equal(t, tc.mode, p.mode)
			require.Len(t, p.workspaces, tc.teams)
			reg := defaultRegistry()
			p.planDataSets(reg.groups)
			for _, g := range reg.groups {
				for _, ds := range g.dataSets {
					assertPlanned(t, p, ds)
				}
			}
		})
	}
}

func assertPlanned(t *testing.T, p *plan, ds dataSet) {
	t.Helper()
	var teams []string
	for _, ps := range p.sources {
		if extract.Name(ps.src) == ds.name() {
			assert.Same(t, ds.schema, ps.src.Schema(), "%s's source lands in its table", ds.name())
			assert.Equal(t, slices.Contains(ds.required, p.mode), ps.required, "%s required", ds.name())
			teams = append(teams, ps.teamID)
		}
	}
	i := slices.IndexFunc(p.unavailable, func(s warehouse.SourceStatus) bool { return s.Source == ds.name() })
	switch {
	case !slices.Contains(ds.modes, p.mode):
		assert.Empty(t, teams, ds.name())
		require.GreaterOrEqual(t, i, 0, "%s neither read nor unavailable", ds.name())
		s := p.unavailable[i]
		assert.Equal(t, "unavailable", s.Status)
		assert.Equal(t, p.teamID, s.TeamID)
		assert.NotEmpty(t, s.Reason, ds.name())
		assert.NotEmpty(t, s.Unlock, ds.name())
	case ds.scope == perWorkspace:
		assert.Equal(t, p.teamIDs(), teams, ds.name())
		assert.Less(t, i, 0, ds.name())
	default:
		assert.Equal(t, []string{p.teamID}, teams, ds.name())
		assert.Less(t, i, 0, ds.name())
	}
}

// An org-level sync reads the org's data sets first, then each workspace's
// people data sets workspace by workspace, then the apps.
func TestGridOrgReadingOrder(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 8, Users: 40, Plan: slacktest.PlanEnterprise, Workspaces: 2}, true)
	p, err := detect(context.Background(), options(t, srv, tok).withDefaults(srv.Org().Now))
	require.NoError(t, err)
	p.planDataSets(defaultRegistry().groups)
	var got []string
	for _, ps := range p.sources {
		got = append(got, extract.Name(ps.src)+"@"+ps.teamID)
	}
	e, w1, w2 := p.enterpriseID, p.workspaces[0].TeamID, p.workspaces[1].TeamID
	want := []string{"workspaces@" + e, "org_users@" + e, "member_activity@" + e}
	for _, w := range []string{w1, w2} {
		for _, ds := range []string{"users", "billable_info", "access_logs", "user_groups"} {
			want = append(want, ds+"@"+w)
		}
	}
	want = append(want, "app_events@"+w1, "app_events@"+w2, "app_directory@"+e, "app_requests@"+e)
	assert.Equal(t, want, got)
	assert.Empty(t, p.unavailable)
}

// The sync's tables come in the order the summary and export list them:
// each group's data sets, then the tables derived from them.
func TestTablesInTheWarehouseOrder(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"workspaces", "users", "billable_info", "org_users", "access_logs", "member_activity", "user_groups",
		"user_usage", "app_events", "apps", "app_directory", "app_requests", "licenses", "seat_history"}, names(Tables()...))
}
