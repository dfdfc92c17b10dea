package main

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/transform"
	"slackaudit/warehouse"
)

func init() {
	registerFeature(feature{
		name: "apps",
		plan: planApps,
		derive: func(_ *syncPlan, o syncOptions, _ time.Time) deriver {
			return appsDeriver{transform.NewApps(transform.AppsConfig{Alloc: o.alloc})}
		},
	})
}

// planApps reads each workspace's integration log and, with an org-level
// token, Enterprise Grid app management.
func planApps(p *syncPlan, c *slackapi.Client, o syncOptions, _ time.Time) {
	teams := make([]string, 0, len(p.workspaces))
	for _, w := range p.workspaces {
		teams = append(teams, w.TeamID)
		p.sources = append(p.sources, plannedSource{src: extract.IntegrationLogs{Client: c, TeamID: w.TeamID, Alloc: o.alloc}, teamID: w.TeamID})
	}
	if p.mode == modeGridOrg {
		p.sources = append(p.sources,
			plannedSource{src: extract.AppDirectory{Client: c, EnterpriseID: p.enterpriseID, TeamIDs: teams, Alloc: o.alloc}, teamID: p.enterpriseID},
			plannedSource{src: extract.AppRequests{Client: c, EnterpriseID: p.enterpriseID, Alloc: o.alloc}, teamID: p.enterpriseID})
		return
	}
	why := p.workspaces[0].Plan.Title() + " has no app approvals or app requests: they come from Enterprise Grid's Admin API (admin.apps.*); apps come from the integration log alone"
	unlock := "upgrade to Enterprise Grid and sync with an org-level token holding admin.apps:read (--mode grid_org)"
	if p.mode == modeGridWorkspace {
		why = "a workspace token cannot read Enterprise Grid's app management (admin.apps.*); apps come from the integration log alone"
		unlock = "sync with an org-level token holding admin.apps:read (--mode grid_org)"
	}
	for _, src := range []string{"app_directory", "app_requests"} {
		p.unavailable = append(p.unavailable, warehouse.SourceStatus{TeamID: p.teamID, Source: src, Status: "unavailable", Reason: why, Unlock: unlock})
	}
}

// appsDeriver lands apps.
type appsDeriver struct{ a *transform.Apps }

func (d appsDeriver) Observe(table string, rec arrow.RecordBatch) error {
	return d.a.Observe(table, rec)
}

func (d appsDeriver) Emit(load func(string, arrow.RecordBatch) error) error {
	return d.a.Emit(extract.MaxBatchRows, func(rec arrow.RecordBatch) error { return load("apps", rec) })
}
