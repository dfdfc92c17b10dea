package slacktest

import "slices"

// team.integrationLogs paging.
const (
	integrationLogsDefaultCount = 100
	integrationLogsMaxCount     = 1000 // larger counts are capped, not refused
)

// integrationChangeFilters are the change_type values the method accepts as
// a filter (expanded and newer values appear in logs but cannot be asked for).
var integrationChangeFilters = []string{"added", "removed", "enabled", "disabled", "updated"}

// teamIntegrationLogs answers team.integrationLogs: the workspace's app and
// service changes, newest first, filtered by app_id, service_id, user and
// change_type (all must match), paged by count (default 100, capped at
// 1000) and page (default 1; past the last page: no logs) with a paging
// object.
func (s *Server) teamIntegrationLogs(c *call) {
	o := s.org
	team, code := c.workspace()
	if code != "" {
		c.fail(code)
		return
	}
	count, okCount := c.intParam("count", integrationLogsDefaultCount)
	page, okPage := c.intParam("page", 1)
	switch {
	case !okCount || count < 1:
		c.failWithMessage("invalid_arguments", "invalid value for count: expected a positive integer")
		return
	case !okPage || page < 1:
		c.failWithMessage("invalid_arguments", "invalid value for page: expected a positive integer")
		return
	}
	count = min(count, integrationLogsMaxCount)
	appID, serviceID, user, change := c.param("app_id"), c.param("service_id"), c.param("user"), c.param("change_type")
	if change != "" && !slices.Contains(integrationChangeFilters, change) {
		c.failWithMessage("invalid_arguments", "invalid value for change_type: must be one of added, removed, enabled, disabled, updated")
		return
	}
	match := func(l *IntegrationLog) bool {
		return (appID == "" || l.AppID == appID) && (serviceID == "" || l.ServiceID == serviceID) &&
			(user == "" || l.UserID == user) && (change == "" || l.ChangeType == change)
	}
	logs := o.apps(team.ID).logs
	total := 0
	for i := range logs {
		if match(&logs[i]) {
			total++
		}
	}

	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"logs":[`)
	skip, n := (page-1)*count, 0
	for i := range logs {
		l := &logs[i]
		if !match(l) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if n == count {
			break
		}
		if n > 0 {
			e.byte(',')
		}
		writeIntegrationLog(e, l)
		n++
	}
	e.byte(']')
	e.writePaging(count, total, page)
	e.byte('}')
	c.ok(e)
}

// writeIntegrationLog writes one entry with the keys in the order of
// Slack's example: the app or service, the user, channel, date (a string),
// change_type, reason, scope, then the RSS fields.
func writeIntegrationLog(e *encoder, l *IntegrationLog) {
	if l.AppID != "" {
		e.raw(`{"app_id":`)
		e.str(l.AppID)
		e.raw(`,"app_type":`)
		e.str(l.AppType)
	} else {
		e.raw(`{"service_id":`)
		e.str(l.ServiceID)
		e.raw(`,"service_type":`)
		e.str(l.ServiceType)
	}
	e.raw(`,"user_id":`)
	e.str(l.UserID)
	e.raw(`,"user_name":`)
	e.str(l.UserName)
	if l.Channel != "" {
		e.raw(`,"channel":`)
		e.str(l.Channel)
	}
	e.raw(`,"date":"`)
	e.int(l.Date)
	e.raw(`","change_type":`)
	e.str(l.ChangeType)
	if l.Reason != "" {
		e.raw(`,"reason":`)
		e.str(l.Reason)
	}
	e.raw(`,"scope":`)
	e.str(l.Scope)
	if l.RSSFeed {
		e.raw(`,"rss_feed":true,"rss_feed_change_type":`)
		e.str(l.RSSFeedChangeType)
		e.raw(`,"rss_feed_title":`)
		e.str(l.RSSFeedTitle)
		e.raw(`,"rss_feed_url":`)
		e.str(l.RSSFeedURL)
	}
	e.byte('}')
}
