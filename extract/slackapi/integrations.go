package slackapi

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// IntegrationLogsPageSize is how many entries a team.integrationLogs page
// asks for: Slack's default is 100; larger counts mean fewer calls.
const IntegrationLogsPageSize = 1000

// IntegrationLog is one team.integrationLogs entry: an app (AppID) or a
// legacy custom integration (ServiceID) added, changed or removed. IDs and
// the date are strings in the documentation and sometimes numbers in
// answers; both are read.
type IntegrationLog struct {
	AppID, AppType, ServiceID, ServiceType, UserID, UserName, Channel string
	Date                                                              string // as Slack sent it
	Changed                                                           int64  // Date as Unix seconds
	ChangeType, Scope, Reason                                         string
	RSSFeed                                                           bool
	RSSFeedChangeType, RSSFeedTitle, RSSFeedURL                       string
}

// ListIntegrationLogs says whose team.integrationLogs to read.
type ListIntegrationLogs struct {
	TeamID   string
	PageSize int // IntegrationLogsPageSize when zero (tests)
}

// IntegrationLogs reads every team.integrationLogs entry of one workspace,
// newest first. The log is paged the classic way (count and page, with a
// paging object), so an entry made while the pages are read shifts later
// pages by one and an entry comes twice: each entry is kept once (by every
// field) and the repeats counted. The sequence ends after the first error.
func (c *Client) IntegrationLogs(ctx context.Context, o ListIntegrationLogs) iter.Seq2[IntegrationLog, error] {
	return func(yield func(IntegrationLog, error) bool) {
		ctx := withTeam(ctx, o.TeamID)
		size := o.PageSize
		if size <= 0 {
			size = IntegrationLogsPageSize
		}
		pg := newPager(c, integrationLogsList, o.TeamID, url.Values{"team_id": {o.TeamID}},
			func(d *dedup, l *IntegrationLog) uint64 { return l.key(d) })
		_, err := pg.byPage(ctx, size, 0, func(l *IntegrationLog) error { return yielded(yield(*l, nil)) })
		finish(yield, err)
	}
}

// integrationLogsList decodes team.integrationLogs pages.
var integrationLogsList = listSpec[IntegrationLog]{method: "team.integrationLogs", field: "logs", idKey: "app_id", item: readIntegrationLog}

// decodeIntegrationLogsPage decodes one team.integrationLogs answer.
func decodeIntegrationLogsPage(body []byte) (page[IntegrationLog], error) {
	return integrationLogsList.decode(body)
}

// integrationFields maps the entry's string fields to IntegrationLog's.
var integrationFields = map[string]func(*IntegrationLog) *string{
	"app_type": func(l *IntegrationLog) *string { return &l.AppType }, "service_type": func(l *IntegrationLog) *string { return &l.ServiceType },
	"user_id": func(l *IntegrationLog) *string { return &l.UserID }, "user_name": func(l *IntegrationLog) *string { return &l.UserName },
	"channel": func(l *IntegrationLog) *string { return &l.Channel }, "change_type": func(l *IntegrationLog) *string { return &l.ChangeType },
	"scope": func(l *IntegrationLog) *string { return &l.Scope }, "reason": func(l *IntegrationLog) *string { return &l.Reason },
	"rss_feed_change_type": func(l *IntegrationLog) *string { return &l.RSSFeedChangeType },
	"rss_feed_title":       func(l *IntegrationLog) *string { return &l.RSSFeedTitle },
	"rss_feed_url":         func(l *IntegrationLog) *string { return &l.RSSFeedURL },
}

func readIntegrationLog(p *flatObject, _ string, l *IntegrationLog) error {
	err := p.object(func(key []byte) (err error) {
		switch string(key) {
		case "app_id":
			l.AppID, err = p.loose()
		case "service_id":
			l.ServiceID, err = p.loose()
		case "date":
			start := p.i
			if l.Date, err = p.loose(); err == nil && l.Date != "" {
				p.i = start
				l.Changed, err = p.unix()
			}
		case "rss_feed":
			l.RSSFeed, _, err = p.flag()
		default:
			if f, ok := integrationFields[string(key)]; ok {
				*f(l), err = p.text()
			} else {
				err = p.skip()
			}
		}
		return err
	})
	switch {
	case err != nil:
		return err
	case l.AppID == "" && l.ServiceID == "":
		return missing("app_id or service_id")
	case l.Date == "":
		return missing("date")
	case l.ChangeType == "":
		return missing("change_type")
	}
	return nil
}

// key identifies an entry by every field.
func (l *IntegrationLog) key(d *dedup) uint64 {
	return d.key(l.AppID, l.AppType, l.ServiceID, l.ServiceType, l.UserID, l.UserName, l.Channel, l.Date,
		l.ChangeType, l.Scope, l.Reason, strconv.FormatBool(l.RSSFeed), l.RSSFeedChangeType, l.RSSFeedTitle, l.RSSFeedURL)
}
