package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"net/url"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
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
// shifts later pages by one and an entry comes twice: entries already
// read are dropped (by every field), so the table holds each once.
// position is the entry's place in the listing, 0 the newest: it orders
// entries made in the same second.
type IntegrationLogs struct {
	Client   *Client
	TeamID   string
	PageSize int // overrides IntegrationLogsPageSize (tests)
}

func (IntegrationLogs) Name() string          { return "app_events" }
func (IntegrationLogs) Table() string         { return "app_events" }
func (IntegrationLogs) Schema() *arrow.Schema { return AppEventsSchema }

// integrationLog is one entry in Slack's documented shape. IDs and the
// date are strings in the documentation and sometimes numbers in answers.
type integrationLog struct {
	AppID             looseString `json:"app_id"`
	AppType           string      `json:"app_type"`
	ServiceID         looseString `json:"service_id"`
	ServiceType       string      `json:"service_type"`
	UserID            string      `json:"user_id"`
	UserName          string      `json:"user_name"`
	Channel           string      `json:"channel"`
	Date              looseString `json:"date"`
	ChangeType        string      `json:"change_type"`
	Scope             string      `json:"scope"`
	Reason            string      `json:"reason"`
	RSSFeed           bool        `json:"rss_feed"`
	RSSFeedChangeType string      `json:"rss_feed_change_type"`
	RSSFeedTitle      string      `json:"rss_feed_title"`
	RSSFeedURL        string      `json:"rss_feed_url"`
}

// looseString decodes a JSON string or number as its text; null as "".
type looseString string

func (s *looseString) UnmarshalJSON(b []byte) error {
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = looseString(v)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("want a string or a number, got %s", b)
		}
		*s = looseString(n)
	}
	return nil
}

func (s IntegrationLogs) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	ctx = withTeam(ctx, s.TeamID)
	const method = "team.integrationLogs"
	size := s.PageSize
	if size <= 0 {
		size = IntegrationLogsPageSize
	}
	b := newBatcher(AppEventsSchema, emit)
	defer b.Release()
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	var (
		team, kind, id                       = str(0), str(2), str(3)
		appID, appType, svcID, svcType       = str(4), str(5), str(6), str(7)
		user, userName, channel              = str(8), str(9), str(10)
		changeType, scope, reason            = str(12), str(13), str(14)
		rssType, rssTitle, rssURL            = str(16), str(17), str(18)
		position                             = b.Field(1).(*array.Int64Builder)
		changedAt                            = b.Field(11).(*array.TimestampBuilder)
		rss                                  = b.Field(15).(*array.BooleanBuilder)
		seen                                 = map[uint64]bool{}
		seed                                 = maphash.MakeSeed()
		pos                            int64 = 0
	)
	for page := 1; ; page++ {
		var r struct {
			Envelope
			Logs   []integrationLog `json:"logs"`
			Paging *struct {
				Pages int `json:"pages"`
			} `json:"paging"`
		}
		params := url.Values{"count": {strconv.Itoa(size)}, "page": {strconv.Itoa(page)}, "team_id": {s.TeamID}}
		if err := s.Client.Call(ctx, method, s.TeamID, params, &r); err != nil {
			return err
		}
		if r.Logs == nil {
			return errorf(method, s.TeamID, KindMalformed, "malformed response: page %d: field logs is missing", page)
		}
		for i := range r.Logs {
			l := &r.Logs[i]
			k, ident := KindApp, string(l.AppID)
			if ident == "" {
				k, ident = KindService, string(l.ServiceID)
			}
			date, err := strconv.ParseInt(string(l.Date), 10, 64)
			switch {
			case ident == "":
				return errorf(method, s.TeamID, KindMalformed, "malformed response: page %d, logs[%d]: neither app_id nor service_id is set", page, i)
			case err != nil:
				return errorf(method, s.TeamID, KindMalformed, "malformed response: page %d, logs[%d]: field date %q is not epoch seconds", page, i, l.Date)
			case l.ChangeType == "":
				return errorf(method, s.TeamID, KindMalformed, "malformed response: page %d, logs[%d]: field change_type is missing", page, i)
			}
			h := entryHash(seed, l)
			if seen[h] {
				continue // shifted onto this page by a newer entry
			}
			seen[h] = true
			team.Append(s.TeamID)
			position.Append(pos)
			pos++
			kind.Append(k)
			id.Append(ident)
			appendString(appID, string(l.AppID))
			appendString(appType, l.AppType)
			appendString(svcID, string(l.ServiceID))
			appendString(svcType, l.ServiceType)
			appendString(user, l.UserID)
			appendString(userName, l.UserName)
			appendString(channel, l.Channel)
			changedAt.Append(arrow.Timestamp(date * 1e6))
			changeType.Append(l.ChangeType)
			appendString(scope, l.Scope)
			appendString(reason, l.Reason)
			rss.Append(l.RSSFeed)
			appendString(rssType, l.RSSFeedChangeType)
			appendString(rssTitle, l.RSSFeedTitle)
			appendString(rssURL, l.RSSFeedURL)
			if err := b.Row(); err != nil {
				return err
			}
		}
		if len(r.Logs) < size || (r.Paging != nil && page >= r.Paging.Pages) {
			return b.Flush()
		}
	}
}

// entryHash identifies an entry by every field.
func entryHash(seed maphash.Seed, l *integrationLog) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	for _, s := range [...]string{string(l.AppID), l.AppType, string(l.ServiceID), l.ServiceType, l.UserID, l.UserName,
		l.Channel, string(l.Date), l.ChangeType, l.Scope, l.Reason, strconv.FormatBool(l.RSSFeed), l.RSSFeedChangeType,
		l.RSSFeedTitle, l.RSSFeedURL} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	return h.Sum64()
}
