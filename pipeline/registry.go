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
	"slackaudit/warehouse/schema"
)

// registry is everything a sync can read and derive. Adding a data set is
// one entry in a group (its schema and Source are one file in extract); a
// derived table, one entry in a group's derivers (one file in transform).
type registry struct {
	// groups are read in order (see plan.planDataSets), and their tables,
	// each group's data sets then its derived tables, are the warehouse's
	// in that order (Tables).
	groups []group
	// histories are tables that keep what earlier syncs fetched.
	histories []history
}

// group is data sets read together, and the tables derived from them.
type group struct {
	name     string
	dataSets []dataSet
	// derivers are put in the order their inputs require (orderDerivers);
	// among those free to go, registry order.
	derivers []deriverSpec
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
	// schema is its table, declared in extract; the data set's name, in
	// source_status and --skip, is the table's.
	schema *arrow.Schema
	// records names what it lists, for the note on records Slack listed
	// twice ("Slack listed 3 accounts twice").
	records string
	scope   scope
	// modes are the modes that read it; in the others it is unavailable,
	// for the reason unavailable gives.
	modes       []Mode
	unavailable func(p *plan) gap
	// required are the modes whose sync fails without it.
	required []Mode
	// source reads the data set for teamID: a workspace, or the plan's team.
	source func(p *plan, teamID string) extract.Source
}

// name is the data set's name: its table's.
func (ds dataSet) name() string { return name(ds.schema) }

// name is the name of the table s declares.
func name(s *arrow.Schema) string { return schema.TableName(s) }

// names are the names of the tables ss declare.
func names(ss ...*arrow.Schema) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = name(s)
	}
	return out
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
		if i := slices.IndexFunc(g.dataSets, func(ds dataSet) bool { return ds.name() == name }); i >= 0 {
			return g.dataSets[i], true
		}
	}
	return dataSet{}, false
}

// derivers are every group's derivers, in registry order.
func (r registry) derivers() []deriverSpec {
	var out []deriverSpec
	for _, g := range r.groups {
		out = append(out, g.derivers...)
	}
	return out
}

// tables are the schemas of every table the registry lands: each group's
// data sets, then its derived tables.
func (r registry) tables() []*arrow.Schema {
	var out []*arrow.Schema
	for _, g := range r.groups {
		for _, ds := range g.dataSets {
			out = append(out, ds.schema)
		}
		for _, d := range g.derivers {
			out = append(out, d.outputs...)
		}
	}
	return out
}

// Tables are the schemas of every table a sync lands, data sets and
// derived tables, in the order the warehouse lists them. Open the
// warehouse for writing with them (warehouse.Options.Tables).
func Tables() []*arrow.Schema { return defaultRegistry().tables() }

// defaultRegistry is what every sync reads and derives.
func defaultRegistry() registry {
	return registry{
		groups: []group{
			{name: "people", dataSets: peopleDataSets(), derivers: []deriverSpec{usageDeriver()}},
			{name: "apps", dataSets: appDataSets(), derivers: []deriverSpec{appsDeriver()}},
			{name: "app management", dataSets: appManagementDataSets()},
			{name: "licences", derivers: []deriverSpec{licensesDeriver()}},
		},
		histories: []history{{table: name(extract.MemberActivitySchema), plan: planActivityDays, read: readActivityHistory}},
	}
}

// peopleDataSets are who is in the organisation, what Slack bills for and
// when people used Slack.
func peopleDataSets() []dataSet {
	allModes, workspaceModes, gridOrgOnly := Modes(), []Mode{Pro, BusinessPlus, GridWorkspace}, []Mode{GridOrg}
	return []dataSet{
		{schema: extract.WorkspacesSchema, records: "workspaces", scope: perSync, modes: allModes, required: allModes,
			source: func(p *plan, _ string) extract.Source {
				return extract.Workspaces{List: p.workspaces, Alloc: p.opts.Alloc}
			}},
		// The token's own workspace must list the token's user, among its
		// members and its billing flags: a list without it is not whole.
		{schema: extract.UsersSchema, records: "accounts", scope: perWorkspace, modes: allModes, required: workspaceModes,
			source: func(p *plan, team string) extract.Source {
				return extract.Users{Client: p.opts.Client, TeamID: team, MustList: p.mustList(team), Alloc: p.opts.Alloc}
			}},
		{schema: extract.BillableSchema, records: "billing flags", scope: perWorkspace, modes: allModes,
			source: func(p *plan, team string) extract.Source {
				return extract.Billable{Client: p.opts.Client, TeamID: team, MustList: p.mustList(team), Alloc: p.opts.Alloc}
			}},
		{schema: extract.OrgUsersSchema, records: "accounts", scope: perSync, modes: gridOrgOnly, unavailable: gridAdminAPIGap,
			source: func(p *plan, team string) extract.Source {
				return extract.OrgUsers{Client: p.opts.Client, EnterpriseID: team, MustList: p.identity.UserID, Alloc: p.opts.Alloc}
			}},
		{schema: extract.AccessLogsSchema, records: "sign-in rows", scope: perWorkspace, modes: allModes,
			source: func(p *plan, team string) extract.Source {
				return extract.AccessLogs{Client: p.opts.Client, TeamID: team, Before: p.opts.AsOf, Alloc: p.opts.Alloc}
			}},
		{schema: extract.MemberActivitySchema, records: "daily activity lines", scope: perSync, modes: gridOrgOnly, unavailable: gridAdminAPIGap,
			source: func(p *plan, team string) extract.Source {
				return &extract.MemberActivity{Client: p.opts.Client, EnterpriseID: team, Days: p.days, Alloc: p.opts.Alloc}
			}},
		{schema: extract.UserGroupsSchema, records: "user groups", scope: perWorkspace, modes: allModes,
			source: func(p *plan, team string) extract.Source {
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

// appDataSets are each workspace's integration log.
func appDataSets() []dataSet {
	return []dataSet{
		{schema: extract.AppEventsSchema, records: "integration-log entries", scope: perWorkspace, modes: Modes(),
			source: func(p *plan, team string) extract.Source {
				return extract.IntegrationLogs{Client: p.opts.Client, TeamID: team, Alloc: p.opts.Alloc}
			}},
	}
}

// appManagementDataSets are Enterprise Grid app management, read with an
// org-level token.
func appManagementDataSets() []dataSet {
	gridOrgOnly := []Mode{GridOrg}
	return []dataSet{
		{schema: extract.AppDirectorySchema, records: "apps", scope: perSync, modes: gridOrgOnly, unavailable: appsAdminAPIGap,
			source: func(p *plan, team string) extract.Source {
				return extract.AppDirectory{Client: p.opts.Client, EnterpriseID: team, TeamIDs: p.teamIDs(), Alloc: p.opts.Alloc}
			}},
		{schema: extract.AppRequestsSchema, records: "app requests", scope: perSync, modes: gridOrgOnly, unavailable: appsAdminAPIGap,
			source: func(p *plan, team string) extract.Source {
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

// usageDeriver is user_usage: last use and frequency.
func usageDeriver() deriverSpec {
	return deriverSpec{name: "usage", outputs: []*arrow.Schema{transform.UserUsageSchema},
		inputs: names(extract.UsersSchema, extract.OrgUsersSchema, extract.AccessLogsSchema, extract.MemberActivitySchema),
		new: func(p *plan) deriver {
			return oneTable{name(transform.UserUsageSchema), transform.NewUsage(transform.UsageConfig{AsOf: p.opts.AsOf, OrgOf: p.orgOf(), Alloc: p.opts.Alloc})}
		}}
}

// appsDeriver is apps: the integration log replayed, with risk.
func appsDeriver() deriverSpec {
	return deriverSpec{name: "apps", outputs: []*arrow.Schema{transform.AppsSchema},
		inputs: names(extract.UsersSchema, extract.OrgUsersSchema, extract.AppEventsSchema, extract.AppDirectorySchema),
		new: func(p *plan) deriver {
			return oneTable{name(transform.AppsSchema), transform.NewApps(transform.AppsConfig{Alloc: p.opts.Alloc})}
		}}
}

// licensesDeriver is licenses and seat_history: seats, billing and waste.
func licensesDeriver() deriverSpec {
	return deriverSpec{name: "licenses", outputs: []*arrow.Schema{transform.LicensesSchema, transform.SeatHistorySchema},
		inputs: names(extract.WorkspacesSchema, extract.UsersSchema, extract.OrgUsersSchema, extract.BillableSchema, transform.UserUsageSchema),
		new: func(p *plan) deriver {
			return manyTables{transform.NewLicenses(transform.LicenseConfig{AsOf: p.opts.AsOf, RunID: p.runID, OrgOf: p.orgOf(),
				InactiveAfter: p.opts.InactiveAfter, Prices: p.opts.Prices, Alloc: p.opts.Alloc})}
		}}
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
