package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse/schema"
)

// AppEventsSchema is the app_events table: team.integrationLogs entries as
// Slack sent them.
var AppEventsSchema = schema.Declare(schema.Table{
	Name: "app_events", Kind: schema.Snapshot,
	Comment: "team.integrationLogs: every app and legacy-integration change of each workspace, as Slack sent it (change types and scopes Slack adds later are kept as they came).",
	Columns: []schema.Column{
		schema.String("team_id", "Workspace."),
		schema.Int64("position", "Place in Slack's newest-first listing, 0 the newest: orders entries made in the same second."),
		schema.String("kind", "app (app_id, app_type) or service (a legacy custom integration: service_id, service_type)."),
		schema.String("integration_id", "app_id for apps, service_id for legacy services."),
		schema.String("app_id", "Slack app ID (A…); NULL for legacy services.").Optional(),
		schema.String("app_type", "The app's name as the log gives it.").Optional(),
		schema.String("service_id", "Legacy service instance ID (numeric); NULL for apps.").Optional(),
		schema.String("service_type", "Legacy service name, e.g. Incoming WebHooks, RSS, Airbrake.").Optional(),
		schema.String("user_id", "Who made the change (the account may be deactivated since).").Optional(),
		schema.String("user_name", "That person's username at the time.").Optional(),
		schema.String("channel", "Channel a webhook or service posts to.").Optional(),
		schema.Timestamp("changed_at", "When the change was made (Slack's date, epoch seconds in a string)."),
		schema.String("change_type", "added, removed, enabled, disabled, updated, expanded, or a newer value Slack has not documented."),
		schema.String("scope", "Scopes granted, comma-separated as Slack sends them (string_split(scope, ',') for a list).").Optional(),
		schema.String("reason", "Why a disabled entry was disabled: user, rate_limits, slack, errors, system or newer values.").Optional(),
		schema.Bool("rss_feed", "An RSS feed change."),
		schema.String("rss_feed_change_type", "added or removed, for RSS entries.").Optional(),
		schema.String("rss_feed_title", "The feed's title.").Optional(),
		schema.String("rss_feed_url", "The feed's URL.").Optional(),
	},
})

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

func (IntegrationLogs) Schema() *arrow.Schema { return AppEventsSchema }

func (s IntegrationLogs) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, AppEventsSchema, emit)
	defer b.Release()
	add := eventAppender(b, s.TeamID)
	var pos int64
	for l, err := range s.Client.IntegrationLogs(ctx, slackapi.ListIntegrationLogs{TeamID: s.TeamID, PageSize: s.PageSize}) {
		if err != nil {
			return err
		}
		if err := add(pos, &l); err != nil {
			return err
		}
		pos++
	}
	return b.Flush()
}

// eventAppender looks the app_events columns up once and returns what
// appends one entry of the workspace team's log, at position pos.
func eventAppender(b *schema.Builder, team string) func(pos int64, l *slackapi.IntegrationLog) error {
	teamID, position, kindCol, integration := b.String("team_id"), b.Int64("position"), b.String("kind"), b.String("integration_id")
	appID, appType, serviceID, serviceType := b.String("app_id"), b.String("app_type"), b.String("service_id"), b.String("service_type")
	user, userName, channel, changed := b.String("user_id"), b.String("user_name"), b.String("channel"), b.Timestamp("changed_at")
	change, scope, reason, rss := b.String("change_type"), b.String("scope"), b.String("reason"), b.Bool("rss_feed")
	rssChange, rssTitle, rssURL := b.String("rss_feed_change_type"), b.String("rss_feed_title"), b.String("rss_feed_url")
	return func(pos int64, l *slackapi.IntegrationLog) error {
		kind, id := KindApp, l.AppID
		if id == "" {
			kind, id = KindService, l.ServiceID
		}
		teamID.Append(team)
		position.Append(pos)
		kindCol.Append(kind)
		integration.Append(id)
		for _, c := range [...]struct {
			b *array.StringBuilder
			v string
		}{{appID, l.AppID}, {appType, l.AppType}, {serviceID, l.ServiceID}, {serviceType, l.ServiceType},
			{user, l.UserID}, {userName, l.UserName}, {channel, l.Channel}, {scope, l.Scope}, {reason, l.Reason},
			{rssChange, l.RSSFeedChangeType}, {rssTitle, l.RSSFeedTitle}, {rssURL, l.RSSFeedURL}} {
			appendString(c.b, c.v)
		}
		changed.Append(arrow.Timestamp(l.Changed * 1e6))
		change.Append(l.ChangeType)
		rss.Append(l.RSSFeed)
		return b.Row()
	}
}
