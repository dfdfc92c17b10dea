package extract

import (
	"context"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse/schema"
)

// AccessLogsSchema is the access_logs table.
var AccessLogsSchema = schema.Declare(schema.Table{
	Name: "access_logs", Kind: schema.Snapshot,
	Comment: "Slack's whole sign-in log (team.accessLogs): one row per user, IP address and user agent, not one per sign-in.",
	Columns: []schema.Column{
		schema.String("team_id", "Workspace (T…)."),
		schema.String("user_id", "Slack user ID."),
		schema.String("username", "Handle at the time of the sign-in.").Optional(),
		schema.String("ip", "IP address (v4 or v6).").Optional(),
		schema.String("user_agent", "Client user agent: desktop app, browser, iOS or Android app.").Optional(),
		schema.String("isp", "Internet provider, when Slack knows it.").Optional(),
		schema.String("country", "Country code, when Slack knows it.").Optional(),
		schema.String("region", "Region, when Slack knows it.").Optional(),
		schema.Int64("count", "How many times Slack saw this user, IP and user agent together."),
		schema.Timestamp("first_seen_at", "First time this combination was seen (Slack's date_first)."),
		schema.Timestamp("last_seen_at", "Last time this combination was seen (Slack's date_last)."),
	},
})

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

func (AccessLogs) Schema() *arrow.Schema { return AccessLogsSchema }

func (s AccessLogs) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, AccessLogsSchema, emit)
	defer b.Release()
	var since int64
	if !s.Since.IsZero() {
		since = s.Since.Unix()
	}
	add := loginAppender(b, s.TeamID)
	o := slackapi.ListAccessLogs{TeamID: s.TeamID, Before: s.Before, PageSize: s.PageSize, MaxPages: s.MaxPages}
	for l, err := range s.Client.AccessLogs(ctx, o) {
		if err != nil {
			return err
		}
		if l.DateLast < since {
			continue
		}
		if err := add(&l); err != nil {
			return err
		}
	}
	return b.Flush()
}

// loginAppender looks the access_logs columns up once and returns what
// appends one sign-in row of the workspace team.
func loginAppender(b *schema.Builder, team string) func(*slackapi.Login) error {
	teamID, user, username := b.String("team_id"), b.String("user_id"), b.String("username")
	ip, agent, isp, country, region := b.String("ip"), b.String("user_agent"), b.String("isp"), b.String("country"), b.String("region")
	count, first, last := b.Int64("count"), b.Timestamp("first_seen_at"), b.Timestamp("last_seen_at")
	return func(l *slackapi.Login) error {
		teamID.Append(team)
		user.Append(l.UserID)
		appendString(username, l.Username)
		appendString(ip, l.IP)
		appendString(agent, l.UserAgent)
		appendValid(isp, l.ISP, l.ISPKnown)
		appendValid(country, l.Country, l.CountryKnown)
		appendValid(region, l.Region, l.RegionKnown)
		count.Append(l.Count)
		first.Append(arrow.Timestamp(l.DateFirst * 1e6))
		last.Append(arrow.Timestamp(l.DateLast * 1e6))
		return b.Row()
	}
}
