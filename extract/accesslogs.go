package extract

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
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
// that instant come again: they are expected repeats, dropped without being
// counted as Slack listing a row twice. Each run of pages goes through the
// same pager as every paged method, keyed by (user, IP, user agent).
type AccessLogs struct {
	Client *Client
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

// login is one team.accessLogs row.
type login struct {
	UserID, Username, IP, UserAgent string
	ISP, Country, Region            string
	hasISP, hasCountry, hasRegion   bool
	DateFirst, DateLast, Count      int64
}

// accessLogsList decodes team.accessLogs pages.
var accessLogsList = listSpec[login]{method: "team.accessLogs", field: "logins", idKey: "user_id", item: readLogin}

// decodeAccessLogsPage decodes one team.accessLogs answer.
func decodeAccessLogsPage(body []byte) (page[login], error) { return accessLogsList.decode(body) }

func readLogin(p *flatObject, _ string, l *login) error {
	var first, last bool
	err := p.object(func(key []byte) (err error) {
		switch string(key) {
		case "user_id":
			l.UserID, err = p.text()
		case "username":
			l.Username, err = p.text()
		case "ip":
			l.IP, err = p.text()
		case "user_agent":
			l.UserAgent, err = p.text()
		case "isp":
			l.ISP, l.hasISP, err = p.optText()
		case "country":
			l.Country, l.hasCountry, err = p.optText()
		case "region":
			l.Region, l.hasRegion, err = p.optText()
		case "count":
			l.Count, err = p.whole()
		case "date_first":
			first = p.peek() != 'n'
			l.DateFirst, err = p.unix()
		case "date_last":
			last = p.peek() != 'n'
			l.DateLast, err = p.unix()
		default:
			err = p.skip()
		}
		return err
	})
	switch {
	case err != nil:
		return err
	case l.UserID == "":
		return missing("user_id")
	case !first:
		return missing("date_first")
	case !last:
		return missing("date_last")
	}
	return nil
}

func (s AccessLogs) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	ctx = withTeam(ctx, s.TeamID)
	size, maxPages := s.PageSize, s.MaxPages
	if size <= 0 {
		size = AccessLogsPageSize
	}
	if maxPages <= 0 {
		maxPages = AccessLogsMaxPages
	}
	b := newBatcher(s.Alloc, AccessLogsSchema, emit)
	defer b.Release()
	r := &accessRun{s: s, b: b, oldest: -1}
	if !s.Since.IsZero() {
		r.since = s.Since.Unix()
	}
	var before int64 // 0: now
	if !s.Before.IsZero() {
		before = s.Before.Unix()
	}
	pg := newPager(s.Client, accessLogsList, s.TeamID, url.Values{"team_id": {s.TeamID}},
		func(d *dedup, l *login) uint64 { return d.key(s.TeamID, l.UserID, l.IP, l.UserAgent) })
	for {
		boundary := r.oldest
		pg.expected = func(l *login) bool { return l.DateFirst == boundary }
		if before > 0 {
			pg.params.Set("before", strconv.FormatInt(before, 10))
		}
		r.added = 0
		capped, err := pg.byPage(ctx, size, maxPages, r.add)
		if err != nil {
			return err
		}
		if !capped {
			return b.Flush()
		}
		// The page cap was reached: restart below the oldest row seen.
		if r.added == 0 || r.oldest < 0 || (before > 0 && r.oldest > before) {
			return pg.stalled("%d pages of sign-ins all start at %s; nothing older can be reached",
				maxPages, time.Unix(r.oldest, 0).UTC().Format(time.RFC3339))
		}
		before = r.oldest
	}
}

// accessRun lands the rows of the access log's runs of pages.
type accessRun struct {
	s      AccessLogs
	b      *batcher
	since  int64
	oldest int64 // the smallest date_first read; -1 before the first row
	added  int   // rows new to this run
}

func (r *accessRun) add(l *login) error {
	r.added++
	if r.oldest < 0 || l.DateFirst < r.oldest {
		r.oldest = l.DateFirst
	}
	if l.DateLast < r.since {
		return nil
	}
	b := r.b
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	str(0).Append(r.s.TeamID)
	str(1).Append(l.UserID)
	appendString(str(2), l.Username)
	appendString(str(3), l.IP)
	appendString(str(4), l.UserAgent)
	appendValid(str(5), l.ISP, l.hasISP)
	appendValid(str(6), l.Country, l.hasCountry)
	appendValid(str(7), l.Region, l.hasRegion)
	b.Field(8).(*array.Int64Builder).Append(l.Count)
	b.Field(9).(*array.TimestampBuilder).Append(arrow.Timestamp(l.DateFirst * 1e6))
	b.Field(10).(*array.TimestampBuilder).Append(arrow.Timestamp(l.DateLast * 1e6))
	return b.Row()
}

// appendValid appends s, or NULL when it was null or absent.
func appendValid(sb *array.StringBuilder, s string, valid bool) {
	if !valid {
		sb.AppendNull()
		return
	}
	sb.Append(s)
}

// appendNullable appends *s, or NULL when s is nil (JSON null or absent).
func appendNullable(sb *array.StringBuilder, s *string) {
	if s == nil {
		sb.AppendNull()
		return
	}
	sb.Append(*s)
}
