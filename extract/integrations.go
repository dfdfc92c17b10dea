package extract

import (
	"context"
	"net/url"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// IntegrationLogsPageSize is how many entries a team.integrationLogs page
// asks for: Slack's default is 100; larger counts mean fewer calls.
const IntegrationLogsPageSize = 1000

// AppEventsSchema is the schema of the app_events table: team.integrationLogs
// entries as Slack sent them.
var AppEventsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "position", Type: arrow.PrimitiveTypes.Int64},
	{Name: "kind", Type: arrow.BinaryTypes.String},
	{Name: "integration_id", Type: arrow.BinaryTypes.String},
	{Name: "app_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "app_type", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "service_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "service_type", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "user_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "user_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "channel", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "changed_at", Type: Timestamp},
	{Name: "change_type", Type: arrow.BinaryTypes.String},
	{Name: "scope", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "reason", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "rss_feed", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "rss_feed_change_type", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "rss_feed_title", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "rss_feed_url", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// Integration kinds in app_events.kind and apps.kind.
const (
	KindApp     = "app"     // an app: app_id, app_type
	KindService = "service" // a legacy custom integration: service_id, service_type
)

// IntegrationLogs is the Source of the app_events table: every
// team.integrationLogs entry of one workspace.
//
// The log is paged the classic way (count and page, with a paging object)
// and listed newest first, so an entry made while the pages are read
// shifts later pages by one and an entry comes twice: the pager keeps each
// entry once (by every field) and counts the repeats. position is the
// entry's place in the listing, 0 the newest: it orders entries made in
// the same second.
type IntegrationLogs struct {
	Client   *Client
	TeamID   string
	Alloc    memory.Allocator // memory.DefaultAllocator when nil
	PageSize int              // overrides IntegrationLogsPageSize (tests)
}

func (IntegrationLogs) Name() string          { return "app_events" }
func (IntegrationLogs) Table() string         { return "app_events" }
func (IntegrationLogs) Schema() *arrow.Schema { return AppEventsSchema }

// integrationLog is one entry. IDs and the date are strings in the
// documentation and sometimes numbers in answers; both are read.
type integrationLog struct {
	AppID, AppType, ServiceID, ServiceType, UserID, UserName, Channel string
	Date, ChangeType, Scope, Reason                                   string
	RSSFeed                                                           bool
	RSSFeedChangeType, RSSFeedTitle, RSSFeedURL                       string
	date                                                              int64 // Date as epoch seconds
}

// integrationLogsList decodes team.integrationLogs pages.
var integrationLogsList = listSpec[integrationLog]{method: "team.integrationLogs", field: "logs", idKey: "app_id", item: readIntegrationLog}

// decodeIntegrationLogsPage decodes one team.integrationLogs answer.
func decodeIntegrationLogsPage(body []byte) (page[integrationLog], error) {
	return integrationLogsList.decode(body)
}

// integrationFields maps the entry's string fields to integrationLog's.
var integrationFields = map[string]func(*integrationLog) *string{
	"app_type": func(l *integrationLog) *string { return &l.AppType }, "service_type": func(l *integrationLog) *string { return &l.ServiceType },
	"user_id": func(l *integrationLog) *string { return &l.UserID }, "user_name": func(l *integrationLog) *string { return &l.UserName },
	"channel": func(l *integrationLog) *string { return &l.Channel }, "change_type": func(l *integrationLog) *string { return &l.ChangeType },
	"scope": func(l *integrationLog) *string { return &l.Scope }, "reason": func(l *integrationLog) *string { return &l.Reason },
	"rss_feed_change_type": func(l *integrationLog) *string { return &l.RSSFeedChangeType },
	"rss_feed_title":       func(l *integrationLog) *string { return &l.RSSFeedTitle },
	"rss_feed_url":         func(l *integrationLog) *string { return &l.RSSFeedURL },
}

func readIntegrationLog(p *flatObject, _ string, l *integrationLog) error {
	err := p.object(func(key []byte) (err error) {
		switch k := string(key); k {
		case "app_id":
			l.AppID, err = p.loose()
		case "service_id":
			l.ServiceID, err = p.loose()
		case "date":
			start := p.i
			if l.Date, err = p.loose(); err == nil && l.Date != "" {
				p.i = start
				l.date, err = p.unix()
			}
		case "rss_feed":
			l.RSSFeed, _, err = p.flag()
		default:
			if f, ok := integrationFields[k]; ok {
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
func (l *integrationLog) key(d *dedup) uint64 {
	return d.key(l.AppID, l.AppType, l.ServiceID, l.ServiceType, l.UserID, l.UserName, l.Channel, l.Date,
		l.ChangeType, l.Scope, l.Reason, strconv.FormatBool(l.RSSFeed), l.RSSFeedChangeType, l.RSSFeedTitle, l.RSSFeedURL)
}

func (s IntegrationLogs) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	ctx = withTeam(ctx, s.TeamID)
	size := s.PageSize
	if size <= 0 {
		size = IntegrationLogsPageSize
	}
	b := newBatcher(s.Alloc, AppEventsSchema, emit)
	defer b.Release()
	var pos int64
	pg := newPager(s.Client, integrationLogsList, s.TeamID, url.Values{"team_id": {s.TeamID}},
		func(d *dedup, l *integrationLog) uint64 { return l.key(d) })
	if _, err := pg.byPage(ctx, size, 0, func(l *integrationLog) error {
		pos++
		return appendEvent(b, s.TeamID, pos-1, l)
	}); err != nil {
		return err
	}
	return b.Flush()
}

// appendEvent appends one entry to the app_events builders.
func appendEvent(b *batcher, team string, pos int64, l *integrationLog) error {
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	kind, id := KindApp, l.AppID
	if id == "" {
		kind, id = KindService, l.ServiceID
	}
	str(0).Append(team)
	b.Field(1).(*array.Int64Builder).Append(pos)
	str(2).Append(kind)
	str(3).Append(id)
	for i, v := range [...]string{l.AppID, l.AppType, l.ServiceID, l.ServiceType, l.UserID, l.UserName, l.Channel} {
		appendString(str(4+i), v)
	}
	b.Field(11).(*array.TimestampBuilder).Append(arrow.Timestamp(l.date * 1e6))
	str(12).Append(l.ChangeType)
	appendString(str(13), l.Scope)
	appendString(str(14), l.Reason)
	b.Field(15).(*array.BooleanBuilder).Append(l.RSSFeed)
	appendString(str(16), l.RSSFeedChangeType)
	appendString(str(17), l.RSSFeedTitle)
	appendString(str(18), l.RSSFeedURL)
	return b.Row()
}
