package slacktest

import (
	"cmp"
	"slices"
)

// admin.apps.approved.list, admin.apps.restricted.list and
// admin.apps.requests.list: Grid app management, consistent with the
// workspaces' integration logs (same app IDs and names).

const (
	adminAppsDefaultLimit = 100
	adminAppsMaxLimit     = 1000
)

// appList is which admin.apps list a call asks for.
type appList uint8

const (
	listApproved appList = iota
	listRestricted
	listRequests
)

// cursor prefix and response key of each list.
var appLists = [...]struct{ cursor, key string }{
	listApproved:   {"approved:", "approved_apps"},
	listRestricted: {"restricted:", "restricted_apps"},
	listRequests:   {"requests:", "app_requests"},
}

func (s *Server) adminAppsApprovedList(c *call)   { s.adminAppsList(c, listApproved) }
func (s *Server) adminAppsRestrictedList(c *call) { s.adminAppsList(c, listRestricted) }
func (s *Server) adminAppsRequestsList(c *call)   { s.adminAppsList(c, listRequests) }

// appItem is one approved or restricted app.
type appItem struct {
	in    *install
	date  int64
	actor *User
}

// adminAppsList answers the three admin.apps list methods. Exactly one of
// team_id and enterprise_id is required (both: too_many_teams_provided;
// neither: no_team_or_enterprise_provided; an unknown team: team_not_found;
// another enterprise: invalid_enterprise_id). For a workspace:
// approved = its apps installed or disabled now (date_updated = the newest
// "added", last_resolved_by = who added it); restricted = its removed apps
// that admins also restricted (date_updated = the removal, by the remover);
// requests = pending requests from its members. For the enterprise: the
// union over workspaces (an app approved anywhere is not listed as
// restricted; the earliest approval wins). Approved and restricted apps
// are ordered by date_updated descending then app ID, requests by
// date_created descending then ID. certified=true keeps only Marketplace
// apps (is_app_directory_approved), certified=false only the others.
// Paged by cursor; limit 1–1000, default 100.
func (s *Server) adminAppsList(c *call, which appList) {
	teams, ok := s.org.appsTeams(c)
	if !ok {
		return
	}
	limit, code := c.limitParam(adminAppsDefaultLimit, adminAppsMaxLimit, false)
	if code != "" {
		c.fail(code)
		return
	}
	start, code := c.offsetCursor(appLists[which].cursor)
	if code != "" {
		c.fail(code)
		return
	}
	keep, ok := certifiedFilter(c)
	if !ok {
		return
	}
	var items []appItem
	var reqs []appRequest
	if which == listRequests {
		reqs = s.org.appRequests(teams, keep)
	} else {
		items = s.org.appItems(teams, which, keep)
	}
	n := len(items) + len(reqs)
	if start > n {
		c.fail("invalid_cursor")
		return
	}
	s.writeAppsPage(c, which, items, reqs, start, min(start+limit, n))
}

// appsTeams reads team_id or enterprise_id: the workspaces an admin.apps
// list covers. Exactly one is required (both: too_many_teams_provided;
// neither: no_team_or_enterprise_provided; an unknown team: team_not_found;
// another enterprise: invalid_enterprise_id); false when the call failed.
func (o *Org) appsTeams(c *call) ([]*Team, bool) {
	teamID, entID := c.param("team_id"), c.param("enterprise_id")
	switch {
	case teamID != "" && entID != "":
		c.fail("too_many_teams_provided")
	case teamID == "" && entID == "":
		c.fail("no_team_or_enterprise_provided")
	case teamID != "" && o.Team(teamID) == nil:
		c.fail("team_not_found")
	case entID != "" && entID != o.EnterpriseID:
		c.fail("invalid_enterprise_id")
	case teamID != "":
		return []*Team{o.Team(teamID)}, true
	default:
		return o.Teams, true
	}
	return nil, false
}

// certifiedFilter reads certified: true keeps only Marketplace apps, false
// only the others, absent keeps all; false when the value is not a boolean
// (the call failed).
func certifiedFilter(c *call) (func(*catalogApp) bool, bool) {
	if c.param("certified") == "" {
		return func(*catalogApp) bool { return true }, true
	}
	certified, ok := c.boolParam("certified", false)
	if !ok {
		c.failWithMessage("invalid_arguments", "invalid value for certified: expected true or false")
		return nil, false
	}
	return func(a *catalogApp) bool { return a.directory == certified }, true
}

// appRequests collects the workspaces' pending requests for the apps keep
// accepts, newest first then by ID.
func (o *Org) appRequests(teams []*Team, keep func(*catalogApp) bool) []appRequest {
	var reqs []appRequest
	for _, t := range teams {
		for _, rq := range o.apps(t.ID).requests {
			if keep(rq.app) {
				reqs = append(reqs, rq)
			}
		}
	}
	slices.SortFunc(reqs, func(a, b appRequest) int {
		if c := cmp.Compare(b.date, a.date); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return reqs
}

// writeAppsPage answers with items [start, end) of the list: requests or
// approved or restricted apps, and the cursor of the next page.
func (s *Server) writeAppsPage(c *call, which appList, items []appItem, reqs []appRequest, start, end int) {
	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"`)
	e.raw(appLists[which].key)
	e.raw(`":[`)
	for i := start; i < end; i++ {
		if i > start {
			e.byte(',')
		}
		if which == listRequests {
			writeAppRequest(e, &reqs[i])
		} else {
			writeAppItem(e, &items[i])
		}
	}
	e.raw(`],"response_metadata":{"next_cursor":"`)
	if end < len(items)+len(reqs) {
		e.offsetCursor(appLists[which].cursor, end)
	}
	e.raw(`"}}`)
	c.ok(e)
}

// appItems collects the approved or restricted apps of the workspaces.
func (o *Org) appItems(teams []*Team, which appList, keep func(*catalogApp) bool) []appItem {
	byID := map[string]int{}
	approved := map[string]bool{}
	var items []appItem
	for _, t := range teams {
		for _, in := range o.apps(t.ID).installs {
			if in.app == nil || !keep(in.app) {
				continue
			}
			if in.status != StatusRemoved {
				approved[in.id] = true
			}
			var it appItem
			switch {
			case which == listApproved && in.status != StatusRemoved:
				it = appItem{in: in, date: in.installedAt, actor: in.installedBy}
			case which == listRestricted && in.restricted:
				it = appItem{in: in, date: in.resolvedAt, actor: in.resolvedBy}
			default:
				continue
			}
			if i, ok := byID[in.id]; ok {
				if it.date < items[i].date {
					items[i] = it
				}
				continue
			}
			byID[in.id] = len(items)
			items = append(items, it)
		}
	}
	if which == listRestricted {
		items = slices.DeleteFunc(items, func(it appItem) bool { return approved[it.in.id] })
	}
	slices.SortFunc(items, func(a, b appItem) int {
		if c := cmp.Compare(b.date, a.date); c != 0 {
			return c
		}
		return cmp.Compare(a.in.id, b.in.id)
	})
	return items
}

// writeAppItem writes an approved_apps or restricted_apps entry.
func writeAppItem(e *encoder, it *appItem) {
	e.raw(`{"app":`)
	writeAdminApp(e, it.in.app, it.in.id)
	e.raw(`,"scopes":`)
	writeAppScopes(e, it.in.app, it.in.scopes, false)
	e.raw(`,"date_updated":`)
	e.int(it.date)
	e.raw(`,"last_resolved_by":{"actor_id":`)
	e.str(it.actor.ID)
	e.raw(`,"actor_type":"user"}}`)
}

// writeAppRequest writes an app_requests entry.
func writeAppRequest(e *encoder, rq *appRequest) {
	scopes := append(append([]string(nil), rq.app.bot...), rq.app.user...)
	e.raw(`{"id":`)
	e.str(rq.id)
	e.raw(`,"app":`)
	writeAdminApp(e, rq.app, rq.appID)
	e.raw(`,"previous_resolution":`)
	if rq.previous {
		e.raw(`{"status":"restricted","scopes":`)
		writeAppScopes(e, rq.app, scopes, true)
		e.byte('}')
	} else {
		e.raw("null")
	}
	e.raw(`,"user":{"id":`)
	e.str(rq.user.ID)
	e.raw(`,"name":`)
	e.str(rq.user.Name)
	e.raw(`,"email":`)
	e.str(rq.user.Email)
	e.raw(`},"team":{"id":`)
	e.str(rq.team.ID)
	e.raw(`,"name":`)
	e.str(rq.team.Name)
	e.raw(`,"domain":`)
	e.str(rq.team.Domain)
	e.raw(`},"scopes":`)
	writeAppScopes(e, rq.app, scopes, true)
	e.raw(`,"message":`)
	e.str(rq.message)
	e.raw(`,"is_user_app_collaborator":`)
	e.bool(rq.collab)
	e.raw(`,"date_created":`)
	e.int(rq.date)
	e.byte('}')
}

// writeAdminApp writes the app object of the admin.apps lists.
func writeAdminApp(e *encoder, a *catalogApp, id string) {
	site := ""
	if a.vendor != "" {
		site = "https://" + a.vendor + "/"
	}
	e.raw(`{"id":`)
	e.str(id)
	e.raw(`,"name":`)
	e.str(a.name)
	e.raw(`,"description":`)
	e.str(a.desc)
	e.raw(`,"help_url":`)
	e.str(urlOr(site, "support/slack"))
	e.raw(`,"privacy_policy_url":`)
	e.str(urlOr(site, "privacy"))
	e.raw(`,"app_homepage_url":`)
	e.str(site)
	e.raw(`,"app_directory_url":`)
	if a.directory {
		e.str("https://slack.com/apps/" + id + "-" + slugify(a.name))
	} else {
		e.raw(`""`)
	}
	e.raw(`,"is_app_directory_approved":`)
	e.bool(a.directory)
	e.raw(`,"is_internal":`)
	e.bool(a.internal)
	e.raw(`,"developer_type":`)
	if a.internal {
		e.raw(`"internal"`)
	} else {
		e.raw(`"third_party"`)
	}
	e.raw(`,"socket_mode_enabled":`)
	e.bool(a.socket)
	e.raw(`,"icons":{`)
	for i, size := range [...]string{"32", "36", "48", "64", "72", "96", "128", "192", "512", "1024"} {
		if i > 0 {
			e.byte(',')
		}
		e.raw(`"image_`)
		e.raw(size)
		e.raw(`":`)
		e.str("https://avatars.slack-edge.com/2024-03-12/" + id + "_" + size + ".png")
	}
	e.raw(`,"image_original":`)
	e.str("https://avatars.slack-edge.com/2024-03-12/" + id + "_original.png")
	e.raw(`},"additional_info":""}`)
}

func urlOr(site, path string) string {
	if site == "" {
		return ""
	}
	return site + path
}

// writeAppScopes writes the scopes array: name, description, is_sensitive
// and token_type ("user" for the app's user scopes, "bot" otherwise); with
// request set, also is_optional and is_approved (false: still pending).
func writeAppScopes(e *encoder, a *catalogApp, scopes []string, request bool) {
	e.byte('[')
	for i, sc := range scopes {
		if i > 0 {
			e.byte(',')
		}
		info := scopeInfos[sc] // unknown (newer) scopes: no description, not sensitive
		e.raw(`{"name":`)
		e.str(sc)
		e.raw(`,"description":`)
		e.str(info.desc)
		e.raw(`,"is_sensitive":`)
		e.bool(info.sensitive)
		e.raw(`,"token_type":`)
		if slices.Contains(a.user, sc) {
			e.raw(`"user"`)
		} else {
			e.raw(`"bot"`)
		}
		if request {
			e.raw(`,"is_optional":false,"is_approved":false`)
		}
		e.byte('}')
	}
	e.byte(']')
}
