package slackapi

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// AdminAppsPageSize is the page size of the admin.apps.* lists (Slack allows 1–1000).
const AdminAppsPageSize = 1000

// AppList is one of the lists of apps admins resolved for a workspace.
type AppList int

const (
	AppsApproved   AppList = iota // admin.apps.approved.list
	AppsRestricted                // admin.apps.restricted.list
)

// String names the list as app_directory.list does: approved or restricted.
func (l AppList) String() string {
	if l == AppsRestricted {
		return "restricted"
	}
	return "approved"
}

// appLists decode the pages of each AppList.
var appLists = [...]listSpec[AppEntry]{
	AppsApproved:   appItemList("admin.apps.approved.list", "approved_apps"),
	AppsRestricted: appItemList("admin.apps.restricted.list", "restricted_apps"),
}

// ListApps says which list of apps to read, for which workspace.
type ListApps struct {
	TeamID   string
	List     AppList
	PageSize int // AdminAppsPageSize when zero (tests)
}

// Apps reads the apps admins approved or restricted for one workspace of an
// Enterprise Grid organisation (org-level token, admin.apps:read), each app
// once. The sequence ends after the first error.
func (c *Client) Apps(ctx context.Context, o ListApps) iter.Seq2[AppEntry, error] {
	return func(yield func(AppEntry, error) bool) {
		pg := newPager(c, appLists[o.List], o.TeamID, appParams(o.PageSize, o.TeamID, ""),
			func(d *dedup, it *AppEntry) uint64 { return d.key(o.TeamID, it.App.ID) })
		finish(yield, pg.byCursor(withTeam(ctx, o.TeamID), func(it *AppEntry) error { return yielded(yield(*it, nil)) }))
	}
}

// ListAppRequests says whose admin.apps.requests.list to read.
type ListAppRequests struct {
	EnterpriseID string
	PageSize     int // AdminAppsPageSize when zero (tests)
}

// AppRequests reads the requests to install apps that admins have not
// answered, for the whole organisation (org-level token, admin.apps:read).
// Several people may ask for the same app: a request is one by its ID, and
// each is read once. The sequence ends after the first error.
func (c *Client) AppRequests(ctx context.Context, o ListAppRequests) iter.Seq2[AppRequest, error] {
	return func(yield func(AppRequest, error) bool) {
		pg := newPager(c, appRequestsList, o.EnterpriseID, appParams(o.PageSize, "", o.EnterpriseID),
			func(d *dedup, rq *AppRequest) uint64 { return d.key(rq.ID) })
		finish(yield, pg.byCursor(withTeam(ctx, o.EnterpriseID), func(rq *AppRequest) error { return yielded(yield(*rq, nil)) }))
	}
}

// appParams are the parameters of an admin.apps.* list for one workspace,
// or the enterprise when team is empty.
func appParams(size int, team, enterprise string) url.Values {
	if size <= 0 {
		size = AdminAppsPageSize
	}
	params := url.Values{"limit": {strconv.Itoa(size)}, "team_id": {team}}
	if team == "" {
		params.Set("enterprise_id", enterprise)
	}
	return params
}
