package extract

import (
	"context"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

// AccessLogsSchema is the schema of the access_logs table.
var AccessLogsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "user_id", Type: arrow.BinaryTypes.String},
	{Name: "username", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "ip", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "user_agent", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "isp", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "country", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "region", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "count", Type: arrow.PrimitiveTypes.Int64},
	{Name: "first_seen_at", Type: Timestamp},
	{Name: "last_seen_at", Type: Timestamp},
}, nil)

// AccessLogs is the Source of the access_logs table: team.accessLogs rows,
// one per user, IP address and user agent (slackapi's AccessLogs, which
// reads past Slack's 100-page cap).
//
// Slack orders rows by date_first, newest first, so a device first seen
// years ago and used yesterday comes at the very end: the source reads the
// whole log, so that last use is right for everyone and "never used" means
// never. Since, when set, drops rows last seen before it.
type AccessLogs struct {
	Client *slackapi.Client
	TeamID string
	Since  time.Time        // zero: keep every row; else drop rows last seen before it
	Before time.Time        // window end; zero means now
	Alloc  memory.Allocator // memory.DefaultAllocator when nil
	// PageSize and MaxPages override Slack's limits (tests).
	PageSize, MaxPages int
}

func (AccessLogs) Name() string          { return "access_logs" }
func (AccessLogs) Table() string         { return "access_logs" }
func (AccessLogs) Schema() *arrow.Schema { return AccessLogsSchema }

func (s AccessLogs) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, AccessLogsSchema, emit)
	defer b.Release()
	var since int64
	if !s.Since.IsZero() {
		since = s.Since.Unix()
	}
	o := slackapi.ListAccessLogs{TeamID: s.TeamID, Before: s.Before, PageSize: s.PageSize, MaxPages: s.MaxPages}
	for l, err := range s.Client.AccessLogs(ctx, o) {
		if err != nil {
			return err
		}
		if l.DateLast < since {
			continue
		}
		if err := appendLogin(b, s.TeamID, &l); err != nil {
			return err
		}
	}
	return b.Flush()
}

// appendLogin appends one sign-in row to the access_logs builders.
func appendLogin(b *batcher, team string, l *slackapi.Login) error {
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	str(0).Append(team)
	str(1).Append(l.UserID)
	appendString(str(2), l.Username)
	appendString(str(3), l.IP)
	appendString(str(4), l.UserAgent)
	appendValid(str(5), l.ISP, l.ISPKnown)
	appendValid(str(6), l.Country, l.CountryKnown)
	appendValid(str(7), l.Region, l.RegionKnown)
	b.Field(8).(*array.Int64Builder).Append(l.Count)
	b.Field(9).(*array.TimestampBuilder).Append(arrow.Timestamp(l.DateFirst * 1e6))
	b.Field(10).(*array.TimestampBuilder).Append(arrow.Timestamp(l.DateLast * 1e6))
	return b.Row()
}
