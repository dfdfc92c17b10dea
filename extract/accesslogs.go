package extract

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Sign-in log paging limits Slack enforces with over_pagination_limit.
const (
	AccessLogsPageSize = 1000
	AccessLogsMaxPages = 100
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
// one per user, IP address and user agent.
//
// Slack orders rows by date_first, newest first, so a device first seen
// years ago and used yesterday comes at the very end: the source reads the
// whole log, so that last use is right for everyone and "never used" means
// never. Since, when set, drops rows last seen before it.
//
// Slack returns 1,000 rows a page and at most 100 pages; past that it answers
// over_pagination_limit. To read further the source restarts with before =
// the oldest date_first it has seen. before is inclusive, so rows at exactly
// that instant come again: they are skipped by (user, IP, user agent), and
// only the keys at that one instant are kept.
type AccessLogs struct {
	Client *Client
	TeamID string
	Since  time.Time // zero: keep every row; else drop rows last seen before it
	Before time.Time // window end; zero means now
	// PageSize and MaxPages override Slack's limits (tests).
	PageSize, MaxPages int
}

func (AccessLogs) Name() string          { return "access_logs" }
func (AccessLogs) Table() string         { return "access_logs" }
func (AccessLogs) Schema() *arrow.Schema { return AccessLogsSchema }

// login is one team.accessLogs row in Slack's documented shape.
type login struct {
	UserID    string  `json:"user_id"`
	Username  string  `json:"username"`
	DateFirst *int64  `json:"date_first"`
	DateLast  *int64  `json:"date_last"`
	Count     int64   `json:"count"`
	IP        string  `json:"ip"`
	UserAgent string  `json:"user_agent"`
	ISP       *string `json:"isp"`
	Country   *string `json:"country"`
	Region    *string `json:"region"`
}

type loginKey struct{ user, ip, agent string }

func (s AccessLogs) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	ctx = withTeam(ctx, s.TeamID)
	const method = "team.accessLogs"
	size, maxPages := s.PageSize, s.MaxPages
	if size <= 0 {
		size = AccessLogsPageSize
	}
	if maxPages <= 0 {
		maxPages = AccessLogsMaxPages
	}
	since := int64(0)
	if !s.Since.IsZero() {
		since = s.Since.Unix()
	}
	b := newBatcher(AccessLogsSchema, emit)
	defer b.Release()
	var (
		team, user, username, ip, agent = b.Field(0).(*array.StringBuilder), b.Field(1).(*array.StringBuilder),
			b.Field(2).(*array.StringBuilder), b.Field(3).(*array.StringBuilder), b.Field(4).(*array.StringBuilder)
		isp, country, region = b.Field(5).(*array.StringBuilder), b.Field(6).(*array.StringBuilder), b.Field(7).(*array.StringBuilder)
		count                = b.Field(8).(*array.Int64Builder)
		first, last          = b.Field(9).(*array.TimestampBuilder), b.Field(10).(*array.TimestampBuilder)
	)
	var before int64 // 0: now
	if !s.Before.IsZero() {
		before = s.Before.Unix()
	}
	// oldest is the smallest date_first seen; atOldest the keys seen there.
	oldest := int64(-1)
	atOldest := map[loginKey]bool{}
	for {
		seenBoundary := atOldest
		boundary := oldest
		added := 0
		done := false
		for page := 1; page <= maxPages && !done; page++ {
			var r struct {
				Envelope
				Logins []login `json:"logins"`
				Paging *struct {
					Pages int `json:"pages"`
				} `json:"paging"`
			}
			params := url.Values{"count": {strconv.Itoa(size)}, "page": {strconv.Itoa(page)}, "team_id": {s.TeamID}}
			if before > 0 {
				params.Set("before", strconv.FormatInt(before, 10))
			}
			if err := s.Client.Call(ctx, method, s.TeamID, params, &r); err != nil {
				return err
			}
			if r.Logins == nil {
				return errorf(method, s.TeamID, KindMalformed, "malformed response: field logins is missing")
			}
			for i := range r.Logins {
				l := &r.Logins[i]
				if l.UserID == "" || l.DateFirst == nil || l.DateLast == nil {
					return errorf(method, s.TeamID, KindMalformed, "malformed response: page %d, logins[%d]: field user_id, date_first or date_last is missing", page, i)
				}
				df := *l.DateFirst
				k := loginKey{l.UserID, l.IP, l.UserAgent}
				if df == boundary && seenBoundary[k] {
					continue // already read before the restart
				}
				if oldest < 0 || df < oldest {
					oldest, atOldest = df, map[loginKey]bool{}
				}
				if df == oldest {
					atOldest[k] = true
				}
				added++
				if *l.DateLast < since {
					continue
				}
				team.Append(s.TeamID)
				user.Append(l.UserID)
				appendString(username, l.Username)
				appendString(ip, l.IP)
				appendString(agent, l.UserAgent)
				appendNullable(isp, l.ISP)
				appendNullable(country, l.Country)
				appendNullable(region, l.Region)
				count.Append(l.Count)
				first.Append(arrow.Timestamp(df * 1e6))
				last.Append(arrow.Timestamp(*l.DateLast * 1e6))
				if err := b.Row(); err != nil {
					return err
				}
			}
			if len(r.Logins) < size || (r.Paging != nil && page >= r.Paging.Pages) {
				done = true
			}
		}
		if done {
			return b.Flush()
		}
		// The page cap was reached: restart below the oldest row seen.
		if added == 0 || oldest < 0 || (before > 0 && oldest > before) {
			return errorf(method, s.TeamID, KindMalformed,
				"paging stopped making progress: %d pages of sign-ins all start at %s; nothing older can be reached",
				maxPages, time.Unix(oldest, 0).UTC().Format(time.RFC3339))
		}
		before = oldest
	}
}

// appendNullable appends *s, or NULL when s is nil (JSON null or absent).
func appendNullable(sb *array.StringBuilder, s *string) {
	if s == nil {
		sb.AppendNull()
		return
	}
	sb.Append(*s)
}
