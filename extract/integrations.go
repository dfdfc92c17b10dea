package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

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
// team.integrationLogs entry of one workspace (slackapi's IntegrationLogs),
// each once. position is the entry's place in the listing, 0 the newest:
// it orders entries made in the same second.
type IntegrationLogs struct {
	Client   *slackapi.Client
	TeamID   string
	Alloc    memory.Allocator // memory.DefaultAllocator when nil
	PageSize int              // overrides slackapi.IntegrationLogsPageSize (tests)
}

func (IntegrationLogs) Name() string          { return "app_events" }
func (IntegrationLogs) Table() string         { return "app_events" }
func (IntegrationLogs) Schema() *arrow.Schema { return AppEventsSchema }

func (s IntegrationLogs) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, AppEventsSchema, emit)
	defer b.Release()
	var pos int64
	for l, err := range s.Client.IntegrationLogs(ctx, slackapi.ListIntegrationLogs{TeamID: s.TeamID, PageSize: s.PageSize}) {
		if err != nil {
			return err
		}
		if err := appendEvent(b, s.TeamID, pos, &l); err != nil {
			return err
		}
		pos++
	}
	return b.Flush()
}

// appendEvent appends one entry to the app_events builders.
func appendEvent(b *batcher, team string, pos int64, l *slackapi.IntegrationLog) error {
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
	b.Field(11).(*array.TimestampBuilder).Append(arrow.Timestamp(l.Changed * 1e6))
	str(12).Append(l.ChangeType)
	appendString(str(13), l.Scope)
	appendString(str(14), l.Reason)
	b.Field(15).(*array.BooleanBuilder).Append(l.RSSFeed)
	appendString(str(16), l.RSSFeedChangeType)
	appendString(str(17), l.RSSFeedTitle)
	appendString(str(18), l.RSSFeedURL)
	return b.Row()
}
