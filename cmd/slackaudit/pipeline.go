package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/transform"
	"slackaudit/warehouse"
)

// errFreePlan stops a sync of a Free workspace.
var errFreePlan = errors.New("this workspace is on Slack Free; slackaudit needs Pro, Business+ or Enterprise Grid")

// Connection modes.
const (
	modePro           = "pro"
	modeBusinessPlus  = "business_plus"
	modeGridWorkspace = "grid_workspace"
	modeGridOrg       = "grid_org"
)

var modes = []string{modePro, modeBusinessPlus, modeGridWorkspace, modeGridOrg}

// defaultWindow is how far back daily analytics are read.
const defaultWindow = 90 * 24 * time.Hour

// syncOptions configure one sync.
type syncOptions struct {
	teamID   string        // one workspace; in grid_org mode, limits workspace data sets to it
	mode     string        // "" detects it from Slack's answers
	window   time.Duration // daily analytics read back this far; defaultWindow when zero
	asOf     time.Time     // zero: now
	progress io.Writer     // live progress lines (a terminal); nil for none
	parallel int           // data sets read at once; 4 when zero
	// inactiveAfter is the Fair Billing window (28 days when zero); prices
	// the seat prices licences are costed at (list prices when empty).
	inactiveAfter time.Duration
	prices        transform.Prices
	// skip names data sets not to read this time (--skip); their tables are
	// empty in the snapshot and source_status says they were skipped.
	skip map[string]bool
	// allowShrink lets a sync land whose member count fell by more than
	// shrinkThreshold from the last successful sync (--allow-shrink).
	allowShrink bool
	// alloc allocates every Arrow batch the sync builds: sources and
	// transforms; memory.DefaultAllocator when nil.
	alloc memory.Allocator
}

// syncResult is what a finished sync reports.
type syncResult struct {
	runID      int64
	identity   slackapi.Identity
	mode       string
	title      string // what was synced, e.g. "Acme (T123, Slack Business+)"
	workspaces []slackapi.Workspace
	asOf       time.Time
	tables     []tableRows
	status     []warehouse.SourceStatus
	calls      int64
	byMethod   string
	elapsed    time.Duration
}

type tableRows struct {
	table string
	rows  int64
}

// plannedSource is a Source and whether the sync fails without it.
type plannedSource struct {
	src      extract.Source
	teamID   string
	required bool
	// repeats Slack listed while planning (admin.teams.list for workspaces).
	repeats int64
}

// syncOrg reads the organisation through c and lands a new snapshot in db.
// On any failure the previous snapshot stays whole and sync_runs records why.
func syncOrg(ctx context.Context, db *warehouse.DB, c *slackapi.Client, o syncOptions) (*syncResult, error) {
	start := time.Now()
	o = o.withDefaults(start)
	run, err := db.BeginRun(ctx, warehouse.RunInfo{AsOf: o.asOf, TeamID: o.teamID, Mode: o.mode, APIURL: c.APIURL()})
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*syncResult, error) {
		run.APICalls = c.TotalCalls()
		return nil, run.Fail(ctx, err)
	}
	p, err := planRun(ctx, c, run, o)
	if err != nil {
		return fail(err)
	}
	derivers, err := newDerivers(ctx, run, p, o)
	if err != nil {
		return fail(err)
	}
	status, err := runSources(ctx, run, p.sources, derivers, o)
	if err != nil {
		return fail(err)
	}
	for _, s := range status {
		run.SetStatus(s)
	}
	if err := p.checkMembers(status); err != nil {
		return fail(err)
	}
	if err := checkShrink(ctx, run, o.allowShrink); err != nil {
		return fail(err)
	}
	if err := emitDerived(ctx, run, derivers); err != nil {
		return fail(err)
	}
	calls := c.TotalCalls()
	if err := run.Commit(ctx, calls); err != nil {
		return nil, err
	}
	res := &syncResult{runID: run.ID, identity: p.identity, mode: p.mode, title: p.title, workspaces: p.workspaces,
		asOf: o.asOf, calls: calls, byMethod: c.CallSummary(), elapsed: time.Since(start)}
	res.status = append(p.unavailable, status...)
	for _, t := range warehouse.Tables {
		if t.Kind != warehouse.Log {
			res.tables = append(res.tables, tableRows{t.Name, run.Rows(t.Name)})
		}
	}
	return res, nil
}

// withDefaults fills in what o leaves unset: as_of (now, to the second), the
// analytics window and the allocator. A nil allocator means Go's default
// here, at the top, and nowhere below.
func (o syncOptions) withDefaults(now time.Time) syncOptions {
	if o.asOf.IsZero() {
		o.asOf = now
	}
	o.asOf = o.asOf.UTC().Truncate(time.Second)
	if o.window <= 0 {
		o.window = defaultWindow
	}
	if o.alloc == nil {
		o.alloc = memory.DefaultAllocator
	}
	return o
}

// planRun plans the sync and records in run what is known before reading:
// the mode, the data sets that cannot be read, the analytics days to fetch.
func planRun(ctx context.Context, c *slackapi.Client, run *warehouse.Run, o syncOptions) (*syncPlan, error) {
	p, err := plan(ctx, c, o, o.asOf)
	if err != nil {
		return nil, err
	}
	for _, f := range features {
		if f.plan != nil {
			f.plan(p, c, o, o.asOf)
		}
	}
	if err := p.skip(o.skip); err != nil {
		return nil, err
	}
	run.Info.TeamID, run.Info.Mode, p.runID = p.teamID, p.mode, run.ID
	for _, s := range p.unavailable {
		run.SetStatus(s)
	}
	if p.analytics != nil {
		have, err := run.ActivityDays(ctx, p.enterpriseID, o.asOf.Add(-o.window))
		if err != nil {
			return nil, err
		}
		p.analytics.Days = slices.DeleteFunc(p.analytics.Days, func(d time.Time) bool { return have[d.Format(time.DateOnly)] })
	}
	return p, nil
}

// newDerivers builds the sync's derivers and shows them the analytics days
// earlier syncs fetched.
func newDerivers(ctx context.Context, run *warehouse.Run, p *syncPlan, o syncOptions) ([]deriver, error) {
	usage := transform.NewUsage(transform.UsageConfig{AsOf: o.asOf, OrgOf: p.orgOf(), Alloc: o.alloc})
	derivers := []deriver{usageDeriver{usage}}
	for _, f := range features {
		if f.derive != nil {
			if d := f.derive(p, o, o.asOf); d != nil {
				derivers = append(derivers, d)
			}
		}
	}
	if p.analytics == nil {
		return derivers, nil
	}
	// Days fetched by earlier syncs are not fetched again, but the
	// transform needs the whole window. Read them before this sync adds
	// new days to the same table.
	err := run.Scan(ctx, `SELECT date, enterprise_id, team_id, user_id, is_active FROM member_activity
		WHERE enterprise_id = ? AND date >= ?::DATE`, func(rec arrow.RecordBatch) error {
		return observe(derivers, "member_activity", rec)
	}, p.enterpriseID, o.asOf.Add(-o.window).Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("reading earlier member analytics: %w", err)
	}
	return derivers, nil
}

// emitDerived loads each deriver's output and shows it to the derivers
// after it (licences need user_usage).
func emitDerived(ctx context.Context, run *warehouse.Run, derivers []deriver) error {
	for i, d := range derivers {
		if err := d.Emit(func(table string, rec arrow.RecordBatch) error {
			if err := run.Load(ctx, table, rec); err != nil {
				return err
			}
			return observe(derivers[i+1:], table, rec)
		}); err != nil {
			return fmt.Errorf("computing derived tables: %w", err)
		}
	}
	return nil
}

// deriver computes tables from the batches a sync reads (pure Go over
// Arrow: the transform package). It sees every batch once, then emits.
type deriver interface {
	Observe(table string, rec arrow.RecordBatch) error
	Emit(load func(table string, rec arrow.RecordBatch) error) error
}

func observe(ds []deriver, table string, rec arrow.RecordBatch) error {
	for _, d := range ds {
		if err := d.Observe(table, rec); err != nil {
			return err
		}
	}
	return nil
}

// usageDeriver lands user_usage.
type usageDeriver struct{ u *transform.Usage }

func (d usageDeriver) Observe(table string, rec arrow.RecordBatch) error {
	return d.u.Observe(table, rec)
}

func (d usageDeriver) Emit(load func(string, arrow.RecordBatch) error) error {
	return d.u.Emit(extract.MaxBatchRows, func(rec arrow.RecordBatch) error { return load("user_usage", rec) })
}

// feature adds data sets and derived tables to every sync. Each feature
// registers one from an init function in a file of its own.
type feature struct {
	name string
	// plan adds the feature's sources to p, or records in p.unavailable why
	// the mode cannot read them. It runs after the core plan.
	plan func(p *syncPlan, c *slackapi.Client, o syncOptions, asOf time.Time)
	// derive returns the feature's deriver for this sync, or nil.
	derive func(p *syncPlan, o syncOptions, asOf time.Time) deriver
}

var features []feature

func registerFeature(f feature) { features = append(features, f) }

// syncPlan is what a sync will read, decided from the token and the plan.
type syncPlan struct {
	runID        int64
	identity     slackapi.Identity
	mode         string
	teamID       string // workspace or enterprise of the token
	enterpriseID string
	title        string
	workspaces   []slackapi.Workspace
	sources      []plannedSource
	unavailable  []warehouse.SourceStatus // data sets this mode cannot read, known without calling Slack
	analytics    *extract.MemberActivity
}

func (p *syncPlan) orgOf() map[string]string {
	m := map[string]string{}
	for _, w := range p.workspaces {
		if w.EnterpriseID != "" {
			m[w.TeamID] = w.EnterpriseID
		} else {
			m[w.TeamID] = w.TeamID
		}
	}
	return m
}

// skip drops the data sets named in skip from the plan.
func (p *syncPlan) skip(skip map[string]bool) error {
	if len(skip) == 0 {
		return nil
	}
	known := map[string]bool{}
	kept := p.sources[:0]
	for _, ps := range p.sources {
		name := ps.src.Name()
		known[name] = true
		if !skip[name] {
			kept = append(kept, ps)
			continue
		}
		if ps.required {
			return usagef("--skip %s: the sync cannot do without %s", name, name)
		}
		p.unavailable = append(p.unavailable, warehouse.SourceStatus{TeamID: ps.teamID, Source: name, Status: "skipped",
			Reason: "skipped with --skip", Unlock: "sync without --skip " + name})
	}
	p.sources = kept
	for name := range skip {
		if !known[name] {
			return usagef("--skip %s: no such data set in this sync; data sets: %s", name, strings.Join(slices.Sorted(maps.Keys(known)), ", "))
		}
	}
	return nil
}

// plan checks the token, works out the connection mode and lists the data
// sets to read.
func plan(ctx context.Context, c *slackapi.Client, o syncOptions, asOf time.Time) (*syncPlan, error) {
	id, err := c.AuthTest(ctx)
	if err != nil {
		return nil, err
	}
	p := &syncPlan{identity: id}
	if id.IsEnterpriseInstall {
		if o.mode != "" && o.mode != modeGridOrg {
			return nil, fmt.Errorf("--mode %s needs a token installed on one workspace, but this is an org-level token for the Enterprise Grid organisation %s (%s): use --mode grid_org, or a workspace token for --mode %s",
				o.mode, id.Team, orDash(id.EnterpriseID, id.TeamID), o.mode)
		}
		return p, p.gridOrg(ctx, c, o, asOf)
	}
	ws, err := c.Discover(ctx, id, o.teamID)
	if err != nil {
		return nil, err
	}
	if ws.Plan == slackapi.PlanFree {
		return nil, errFreePlan
	}
	detected := modeBusinessPlus
	switch {
	case ws.Plan == slackapi.PlanPro:
		detected = modePro
	case ws.Plan.IsEnterprise() || ws.EnterpriseID != "":
		detected = modeGridWorkspace
	}
	if o.mode == modeGridOrg {
		return nil, fmt.Errorf("--mode grid_org needs an org-level token, installed by an Org Owner on the whole Enterprise Grid organisation; this token belongs to the workspace %s (%s, %s): drop --mode to sync that workspace as %s",
			ws.TeamID, ws.Name, ws.Plan.Title(), detected)
	}
	if o.mode != "" && o.mode != detected {
		return nil, fmt.Errorf("--mode %s contradicts Slack: the workspace %s (%s) is on %s, which is mode %s; drop --mode or pass --mode %s",
			o.mode, ws.TeamID, ws.Name, ws.Plan.Title(), detected, detected)
	}
	p.mode, p.teamID, p.enterpriseID = detected, ws.TeamID, ws.EnterpriseID
	p.title = fmt.Sprintf("%s (%s, %s)", ws.Name, ws.TeamID, ws.Plan.Title())
	p.workspaces = []slackapi.Workspace{ws}
	p.sources = append([]plannedSource{{src: extract.Workspaces{List: []slackapi.Workspace{ws}, Alloc: o.alloc}, teamID: ws.TeamID, required: true}},
		p.workspaceSources(c, ws.TeamID, o, true)...)
	unlock := "upgrade to Enterprise Grid and sync with an org-level token (--mode grid_org)"
	why := ws.Plan.Title() + " has no daily member analytics or org-wide last-active times: they come from the Enterprise Grid Admin API"
	if detected == modeGridWorkspace {
		unlock = "sync with an org-level token (--mode grid_org) installed by an Org Owner with admin.analytics:read and admin.users:read"
		why = "a workspace token cannot read Enterprise Grid's Admin API"
	}
	for _, src := range []string{"org_users", "member_activity"} {
		p.unavailable = append(p.unavailable, warehouse.SourceStatus{TeamID: ws.TeamID, Source: src, Status: "unavailable", Reason: why, Unlock: unlock})
	}
	return p, nil
}

// gridOrg plans a sync with an org-level token: the organisation's
// workspaces, people and analytics, and each workspace's own data sets.
func (p *syncPlan) gridOrg(ctx context.Context, c *slackapi.Client, o syncOptions, asOf time.Time) error {
	id := p.identity
	ent := orDash(id.EnterpriseID, id.TeamID)
	p.mode, p.teamID, p.enterpriseID = modeGridOrg, ent, ent
	tctx, stats := slackapi.WithStats(ctx)
	all, err := c.AdminTeams(tctx, ent, id.Team)
	if err != nil {
		return err
	}
	if o.teamID != "" {
		i := slices.IndexFunc(all, func(w slackapi.Workspace) bool { return w.TeamID == o.teamID })
		if i < 0 {
			return fmt.Errorf("--team %s is not a workspace of the Enterprise Grid organisation %s (%s)", o.teamID, id.Team, ent)
		}
		all = all[i : i+1]
	}
	p.workspaces = all
	p.title = fmt.Sprintf("%s (%s, Enterprise Grid, %d workspaces)", id.Team, ent, len(all))
	p.sources = []plannedSource{
		{src: extract.Workspaces{List: all, Alloc: o.alloc}, teamID: ent, required: true, repeats: stats.Duplicates()},
		{src: extract.OrgUsers{Client: c, EnterpriseID: ent, MustList: id.UserID, Alloc: o.alloc}, teamID: ent},
	}
	p.analytics = &extract.MemberActivity{Client: c, EnterpriseID: ent, Days: days(asOf, o.window), Alloc: o.alloc}
	p.sources = append(p.sources, plannedSource{src: p.analytics, teamID: ent})
	for _, w := range all {
		p.sources = append(p.sources, p.workspaceSources(c, w.TeamID, o, false)...)
	}
	return nil
}

// workspaceSources are the data sets read per workspace. The token's own
// workspace must list the token's user, among its members and its billing
// flags: a list without it is not whole.
func (p *syncPlan) workspaceSources(c *slackapi.Client, teamID string, o syncOptions, usersRequired bool) []plannedSource {
	users := extract.Users{Client: c, TeamID: teamID, Alloc: o.alloc}
	billable := extract.Billable{Client: c, TeamID: teamID, Alloc: o.alloc}
	if id := p.identity; teamID == id.TeamID && !id.IsEnterpriseInstall {
		users.MustList, billable.MustList = id.UserID, id.UserID
	}
	return []plannedSource{
		{src: users, teamID: teamID, required: usersRequired},
		{src: billable, teamID: teamID},
		{src: extract.AccessLogs{Client: c, TeamID: teamID, Before: o.asOf, Alloc: o.alloc}, teamID: teamID},
		{src: extract.UserGroups{Client: c, TeamID: teamID, Alloc: o.alloc}, teamID: teamID},
	}
}

// days lists the UTC days of the window, newest first.
func days(asOf time.Time, window time.Duration) []time.Time {
	end := asOf.UTC().Truncate(24 * time.Hour)
	n := int(window / (24 * time.Hour))
	out := make([]time.Time, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, end.AddDate(0, 0, -i))
	}
	return out
}

func orDash(s, alt string) string {
	if s != "" {
		return s
	}
	return alt
}
