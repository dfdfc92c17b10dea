package pipeline

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/warehouse"
)

// plan is what a sync will read, decided from the token and the plan.
type plan struct {
	opts         Options
	runID        int64
	identity     slackapi.Identity
	mode         Mode
	teamID       string // the workspace of a workspace token, the enterprise of an org-level one
	enterpriseID string
	title        string
	workspaces   []slackapi.Workspace
	// repeats are records Slack listed twice while planning, per data set
	// (admin.teams.list for workspaces).
	repeats map[string]int64
	// days are the analytics days to fetch: the window less the days
	// earlier syncs fetched.
	days        []time.Time
	histories   []history // the histories this sync shows its derivers
	sources     []plannedSource
	unavailable []warehouse.SourceStatus // data sets not read, known before reading: the mode cannot, or skipped
}

// plannedSource is a Source and whether the sync fails without it.
type plannedSource struct {
	src      extract.Source
	teamID   string
	required bool
	records  string // what the data set lists (dataSet.records)
	repeats  int64  // records Slack listed twice while planning
}

// planRun plans the sync and records in wr what is known before reading:
// the mode, and the data sets that are not read and why.
func planRun(ctx context.Context, wr *warehouse.Run, reg registry, o Options) (*plan, error) {
	p, err := detect(ctx, o)
	if err != nil {
		return nil, err
	}
	p.runID = wr.ID
	for _, h := range reg.histories {
		if ds, ok := reg.dataSet(h.table); ok && slices.Contains(ds.modes, p.mode) {
			if err := h.plan(ctx, wr, p); err != nil {
				return nil, err
			}
			p.histories = append(p.histories, h)
		}
	}
	p.planDataSets(reg.groups)
	if err := p.skip(o.Skip); err != nil {
		return nil, err
	}
	wr.Info.TeamID, wr.Info.Mode = p.teamID, p.mode.String()
	for _, s := range p.unavailable {
		wr.SetStatus(s)
	}
	o.Logger.Debug("sync planned", "mode", p.mode, "team", p.teamID, "data_sets", len(p.sources), "not_read", len(p.unavailable))
	return p, nil
}

// detect checks the token and works out the connection mode and the
// workspaces to read.
func detect(ctx context.Context, o Options) (*plan, error) {
	id, err := o.Client.AuthTest(ctx)
	if err != nil {
		return nil, err
	}
	p := &plan{opts: o, identity: id, repeats: map[string]int64{}}
	if id.IsEnterpriseInstall {
		if o.Mode != DetectMode && o.Mode != GridOrg {
			return nil, fmt.Errorf("--mode %s needs a token installed on one workspace, but this is an org-level token for the Enterprise Grid organisation %s (%s): use --mode %s, or a workspace token for --mode %s",
				o.Mode, id.Team, orDash(id.EnterpriseID, id.TeamID), GridOrg, o.Mode)
		}
		return p, p.gridOrg(ctx)
	}
	return p, p.workspace(ctx)
}

// workspace plans a sync with a workspace token: that workspace, in the
// mode its plan gives.
func (p *plan) workspace(ctx context.Context) error {
	o := p.opts
	ws, err := o.Client.Discover(ctx, p.identity, o.Team)
	if err != nil {
		return err
	}
	if ws.Plan == slackapi.PlanFree {
		return errFreePlan
	}
	detected := BusinessPlus
	switch {
	case ws.Plan == slackapi.PlanPro:
		detected = Pro
	case ws.Plan.IsEnterprise() || ws.EnterpriseID != "":
		detected = GridWorkspace
	}
	if o.Mode == GridOrg {
		return fmt.Errorf("--mode %s needs an org-level token, installed by an Org Owner on the whole Enterprise Grid organisation; this token belongs to the workspace %s (%s, %s): drop --mode to sync that workspace as %s",
			GridOrg, ws.TeamID, ws.Name, ws.Plan.Title(), detected)
	}
	if o.Mode != DetectMode && o.Mode != detected {
		return fmt.Errorf("--mode %s contradicts Slack: the workspace %s (%s) is on %s, which is mode %s; drop --mode or pass --mode %s",
			o.Mode, ws.TeamID, ws.Name, ws.Plan.Title(), detected, detected)
	}
	p.mode, p.teamID, p.enterpriseID = detected, ws.TeamID, ws.EnterpriseID
	p.title = fmt.Sprintf("%s (%s, %s)", ws.Name, ws.TeamID, ws.Plan.Title())
	p.workspaces = []slackapi.Workspace{ws}
	return nil
}

// gridOrg plans a sync with an org-level token: the organisation's
// workspaces (or the one o.Team names), people and analytics.
func (p *plan) gridOrg(ctx context.Context) error {
	id, o := p.identity, p.opts
	ent := orDash(id.EnterpriseID, id.TeamID)
	p.mode, p.teamID, p.enterpriseID = GridOrg, ent, ent
	tctx, stats := slackapi.WithStats(ctx)
	all, err := o.Client.AdminTeams(tctx, ent, id.Team)
	if err != nil {
		return err
	}
	if o.Team != "" {
		i := slices.IndexFunc(all, func(w slackapi.Workspace) bool { return w.TeamID == o.Team })
		if i < 0 {
			return fmt.Errorf("--team %s is not a workspace of the Enterprise Grid organisation %s (%s)", o.Team, id.Team, ent)
		}
		all = all[i : i+1]
	}
	p.workspaces = all
	p.repeats[name(extract.WorkspacesSchema)] = stats.Duplicates()
	p.title = fmt.Sprintf("%s (%s, Enterprise Grid, %d workspaces)", id.Team, ent, len(all))
	return nil
}

// planDataSets lists the sources of the registry's data sets this mode
// reads, group by group: first those read once per sync, for the plan's
// team, then the per-workspace ones workspace by workspace (users,
// billable_info… of the first workspace, then of the next), each in
// registry order. A data set the mode cannot read is recorded as
// unavailable, with why.
func (p *plan) planDataSets(groups []group) {
	for _, g := range groups {
		var perWorkspaces []dataSet
		for _, ds := range g.dataSets {
			switch {
			case !slices.Contains(ds.modes, p.mode):
				why := ds.unavailable(p)
				p.unavailable = append(p.unavailable, warehouse.SourceStatus{TeamID: p.teamID, Source: ds.name(),
					Status: "unavailable", Reason: why.reason, Unlock: why.unlock})
			case ds.scope == perWorkspace:
				perWorkspaces = append(perWorkspaces, ds)
			default:
				p.add(ds, p.teamID)
			}
		}
		for _, w := range p.workspaces {
			for _, ds := range perWorkspaces {
				p.add(ds, w.TeamID)
			}
		}
	}
}

// add plans ds for teamID.
func (p *plan) add(ds dataSet, teamID string) {
	p.sources = append(p.sources, plannedSource{src: ds.source(p, teamID), teamID: teamID, records: ds.records,
		required: slices.Contains(ds.required, p.mode), repeats: p.repeats[ds.name()]})
}

// mustList is the account a member list of teamID must hold to be whole:
// the token's user, in the token's own workspace.
func (p *plan) mustList(teamID string) string {
	if id := p.identity; teamID == id.TeamID && !id.IsEnterpriseInstall {
		return id.UserID
	}
	return ""
}

// teamIDs are the IDs of the workspaces the sync reads.
func (p *plan) teamIDs() []string {
	ids := make([]string, 0, len(p.workspaces))
	for _, w := range p.workspaces {
		ids = append(ids, w.TeamID)
	}
	return ids
}

// orgOf maps each workspace to its billing account: the enterprise on
// Enterprise Grid, the workspace itself elsewhere.
func (p *plan) orgOf() map[string]string {
	m := map[string]string{}
	for _, w := range p.workspaces {
		m[w.TeamID] = orDash(w.EnterpriseID, w.TeamID)
	}
	return m
}

// skip drops the data sets named in skip from the plan.
func (p *plan) skip(skip map[string]bool) error {
	if len(skip) == 0 {
		return nil
	}
	known := map[string]bool{}
	kept := p.sources[:0]
	for _, ps := range p.sources {
		name := extract.Name(ps.src)
		known[name] = true
		if !skip[name] {
			kept = append(kept, ps)
			continue
		}
		if ps.required {
			return optionErrorf("--skip %s: the sync cannot do without %s", name, name)
		}
		p.unavailable = append(p.unavailable, warehouse.SourceStatus{TeamID: ps.teamID, Source: name, Status: "skipped",
			Reason: "skipped with --skip", Unlock: "sync without --skip " + name})
	}
	p.sources = kept
	for name := range skip {
		if !known[name] {
			return optionErrorf("--skip %s: no such data set in this sync; data sets: %s", name, strings.Join(slices.Sorted(maps.Keys(known)), ", "))
		}
	}
	return nil
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
