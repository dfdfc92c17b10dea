package pipeline

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/extract"
	"slackaudit/transform"
	"slackaudit/warehouse"
)

// The data sets and derived tables, by the name of their table.
const (
	dsWorkspaces     = "workspaces"
	dsOrgUsers       = "org_users"
	dsMemberActivity = "member_activity"
	dsUsers          = "users"
	dsBillable       = "billable_info"
	dsAccessLogs     = "access_logs"
	dsUserGroups     = "user_groups"
	dsAppEvents      = "app_events"
	dsAppDirectory   = "app_directory"
	dsAppRequests    = "app_requests"
	tUserUsage       = "user_usage"
	tLicenses        = "licenses"
	tSeatHistory     = "seat_history"
	tApps            = "apps"
)

// registry is everything a sync can read and derive. Adding a data set is
// one entry in a group; a derived table, one entry in derivers.
type registry struct {
	// groups are read in order (see plan.planDataSets).
	groups []group
	// histories are tables that keep what earlier syncs fetched.
	histories []history
	// derivers are put in the order their inputs require (orderDerivers);
	// among those free to go, registry order.
	derivers []deriverSpec
}

// group is data sets read together.
type group struct {
	name     string
	dataSets []dataSet
}

// scope is how often a sync reads a data set.
type scope uint8

const (
	// perSync: once, for the plan's team: the enterprise with an org-level
	// token, the workspace with a workspace token.
	perSync scope = iota
	// perWorkspace: once for each workspace the sync reads.
	perWorkspace
)

// dataSet is one data set a sync can read.
type dataSet struct {
	name  string // in source_status and --skip; also its table's name
	scope scope
	// modes are the modes that read it; in the others it is unavailable,
	// for the reason unavailable gives.
	modes       []Mode
	unavailable func(p *plan) gap
	// required are the modes whose sync fails without it.
	required []Mode
	// source reads the data set for teamID: a workspace, or the plan's team.
	source func(p *plan, teamID string) extract.Source
}

// gap is why a mode cannot read a data set, and what would unlock it.
type gap struct{ reason, unlock string }

// history is a table that keeps the rows earlier syncs fetched: a sync
// fetches only what it lacks and shows its derivers the rest from the
// warehouse. It is planned when its data set is read in the sync's mode.
type history struct {
	table string // also the name of its data set
	// plan drops from p what earlier syncs fetched.
	plan func(ctx context.Context, wr *warehouse.Run, p *plan) error
	// read passes fn what earlier syncs fetched that derivers need.
	read func(ctx context.Context, wr *warehouse.Run, p *plan, fn func(arrow.RecordBatch) error) error
}

func (r registry) dataSet(name string) (dataSet, bool) {
	for _, g := range r.groups {
		if i := slices.IndexFunc(g.dataSets, func(ds dataSet) bool { return ds.name == name }); i >= 0 {
			return g.dataSets[i], true
		}
	}
	return dataSet{}, false
}

// defaultRegistry is what every sync reads and derives.
func defaultRegistry() registry {
	return registry{
		groups:    []group{{name: "people", dataSets: peopleDataSets()}, {name: "apps", dataSets: appDataSets()}},
		histories: []history{{table: dsMemberActivity, plan: planActivityDays, read: readActivityHistory}},
		derivers:  derivers(),
	}
}

// peopleDataSets are who is in the organisation, what Slack bills for and
// when people used Slack.
func peopleDataSets() []dataSet {
	allModes, workspaceModes, gridOrgOnly := Modes(), []Mode{Pro, BusinessPlus, GridWorkspace}, []Mode{GridOrg}
	return []dataSet{
		{name: dsWorkspaces, scope: perSync, modes: allModes, required: allModes, source: func(p *plan, _ string) extract.Source {
			return extract.Workspaces{List: p.workspaces, Alloc: p.opts.Alloc}
		}},
		{name: dsOrgUsers, scope: perSync, modes: gridOrgOnly, unavailable: gridAdminAPIGap, source: func(p *plan, team string) extract.Source {
			return extract.OrgUsers{Client: p.opts.Client, EnterpriseID: team, MustList: p.identity.UserID, Alloc: p.opts.Alloc}
		}},
		{name: dsMemberActivity, scope: perSync, modes: gridOrgOnly, unavailable: gridAdminAPIGap, source: func(p *plan, team string) extract.Source {
			return &extract.MemberActivity{Client: p.opts.Client, EnterpriseID: team, Days: p.days, Alloc: p.opts.Alloc}
		}},
		// The token's own workspace must list the token's user, among its
		// members and its billing flags: a list without it is not whole.
		{name: dsUsers, scope: perWorkspace, modes: allModes, required: workspaceModes, source: func(p *plan, team string) extract.Source {
			return extract.Users{Client: p.opts.Client, TeamID: team, MustList: p.mustList(team), Alloc: p.opts.Alloc}
		}},
		{name: dsBillable, scope: perWorkspace, modes: allModes, source: func(p *plan, team string) extract.Source {
			return extract.Billable{Client: p.opts.Client, TeamID: team, MustList: p.mustList(team), Alloc: p.opts.Alloc}
		}},
		{name: dsAccessLogs, scope: perWorkspace, modes: allModes, source: func(p *plan, team string) extract.Source {
			return extract.AccessLogs{Client: p.opts.Client, TeamID: team, Before: p.opts.AsOf, Alloc: p.opts.Alloc}
		}},
		{name: dsUserGroups, scope: perWorkspace, modes: allModes, source: func(p *plan, team string) extract.Source {
			return extract.UserGroups{Client: p.opts.Client, TeamID: team, Alloc: p.opts.Alloc}
		}},
	}
}

// gridAdminAPIGap is why a workspace mode has no org users or daily
// analytics.
func gridAdminAPIGap(p *plan) gap {
	if p.mode == GridWorkspace {
		return gap{"a workspace token cannot read Enterprise Grid's Admin API",
			fmt.Sprintf("sync with an org-level token (--mode %s) installed by an Org Owner with admin.analytics:read and admin.users:read", GridOrg)}
	}
	return gap{p.workspaces[0].Plan.Title() + " has no daily member analytics or org-wide last-active times: they come from the Enterprise Grid Admin API",
		fmt.Sprintf("upgrade to Enterprise Grid and sync with an org-level token (--mode %s)", GridOrg)}
}

// appDataSets are each workspace's integration log and, with an org-level
// token, Enterprise Grid app management.
func appDataSets() []dataSet {
	allModes, gridOrgOnly := Modes(), []Mode{GridOrg}
	return []dataSet{
		{name: dsAppEvents, scope: perWorkspace, modes: allModes, source: func(p *plan, team string) extract.Source {
			return extract.IntegrationLogs{Client: p.opts.Client, TeamID: team, Alloc: p.opts.Alloc}
		}},
		{name: dsAppDirectory, scope: perSync, modes: gridOrgOnly, unavailable: appsAdminAPIGap, source: func(p *plan, team string) extract.Source {
			return extract.AppDirectory{Client: p.opts.Client, EnterpriseID: team, TeamIDs: p.teamIDs(), Alloc: p.opts.Alloc}
		}},
		{name: dsAppRequests, scope: perSync, modes: gridOrgOnly, unavailable: appsAdminAPIGap, source: func(p *plan, team string) extract.Source {
			return extract.AppRequests{Client: p.opts.Client, EnterpriseID: team, Alloc: p.opts.Alloc}
		}},
	}
}

// appsAdminAPIGap is why a workspace mode has no app approvals or requests.
func appsAdminAPIGap(p *plan) gap {
	if p.mode == GridWorkspace {
		return gap{"a workspace token cannot read Enterprise Grid's app management (admin.apps.*); apps come from the integration log alone",
			fmt.Sprintf("sync with an org-level token holding admin.apps:read (--mode %s)", GridOrg)}
	}
	return gap{p.workspaces[0].Plan.Title() + " has no app approvals or app requests: they come from Enterprise Grid's Admin API (admin.apps.*); apps come from the integration log alone",
		fmt.Sprintf("upgrade to Enterprise Grid and sync with an org-level token holding admin.apps:read (--mode %s)", GridOrg)}
}

// derivers are the derived tables: last use and frequency, licences, apps.
func derivers() []deriverSpec {
	return []deriverSpec{
		{name: "usage", inputs: []string{dsUsers, dsOrgUsers, dsAccessLogs, dsMemberActivity}, outputs: []string{tUserUsage},
			new: func(p *plan) deriver {
				return oneTable{tUserUsage, transform.NewUsage(transform.UsageConfig{AsOf: p.opts.AsOf, OrgOf: p.orgOf(), Alloc: p.opts.Alloc})}
			}},
		{name: "apps", inputs: []string{dsUsers, dsOrgUsers, dsAppEvents, dsAppDirectory}, outputs: []string{tApps},
			new: func(p *plan) deriver {
				return oneTable{tApps, transform.NewApps(transform.AppsConfig{Alloc: p.opts.Alloc})}
			}},
		{name: "licenses", inputs: []string{dsWorkspaces, dsUsers, dsOrgUsers, dsBillable, tUserUsage}, outputs: []string{tLicenses, tSeatHistory},
			new: func(p *plan) deriver {
				return manyTables{transform.NewLicenses(transform.LicenseConfig{AsOf: p.opts.AsOf, RunID: p.runID, OrgOf: p.orgOf(),
					InactiveAfter: p.opts.InactiveAfter, Prices: p.opts.Prices, Alloc: p.opts.Alloc})}
			}},
	}
}

// planActivityDays leaves out of the analytics window the days earlier
// syncs fetched: a sync fetches each day once.
func planActivityDays(ctx context.Context, wr *warehouse.Run, p *plan) error {
	have, err := wr.ActivityDays(ctx, p.enterpriseID, p.opts.AsOf.Add(-p.opts.Window))
	if err != nil {
		return err
	}
	p.days = slices.DeleteFunc(days(p.opts.AsOf, p.opts.Window), func(d time.Time) bool { return have[d.Format(time.DateOnly)] })
	return nil
}

// readActivityHistory passes fn the window's days earlier syncs fetched:
// usage needs the whole window. It runs before this sync adds its own days
// to the same table.
func readActivityHistory(ctx context.Context, wr *warehouse.Run, p *plan, fn func(arrow.RecordBatch) error) error {
	err := wr.Scan(ctx, `SELECT date, enterprise_id, team_id, user_id, is_active FROM member_activity
		WHERE enterprise_id = ? AND date >= ?::DATE`, fn, p.enterpriseID, p.opts.AsOf.Add(-p.opts.Window).Format(time.DateOnly))
	if err != nil {
		return fmt.Errorf("reading earlier member analytics: %w", err)
	}
	return nil
}
