package slackapi

import (
	"context"
	"iter"
	"net/url"
	"strconv"
	"time"
)

// AccessLogsPageSize is the most sign-in rows Slack lists a page.
const AccessLogsPageSize = 1000

// Login is one team.accessLogs row: one user, IP address and user agent.
type Login struct {
	UserID, Username, IP, UserAgent string
	// ISP, Country and Region are empty when Slack does not know them;
	// the Known flags tell an empty value from a null or absent one.
	ISP, Country, Region                string
	ISPKnown, CountryKnown, RegionKnown bool
	DateFirst, DateLast                 int64 // Unix seconds
	Count                               int64
}

// ListAccessLogs says which team.accessLogs to read.
type ListAccessLogs struct {
	TeamID string
	Before time.Time // the window's end; zero means now
	// PageSize overrides Slack's 1,000 rows a page (tests).
	PageSize int
}

// AccessLogs reads a workspace's whole sign-in log, newest first by
// date_first, each (user, IP, user agent) row once. The sequence ends
// after the first error.
//
// It pages by cursor, 1,000 rows a page, for as long as Slack serves the
// listing. Slack caps how far one listing goes (classic paging stops at
// page 100); when it refuses a page with over_pagination_limit the
// iterator starts a new listing with before = the oldest date_first it
// has seen, so a restart costs the refused call and a re-read of the rows
// at that one second. before is inclusive, so those rows come again: they
// are expected repeats, dropped without being counted as Slack listing a
// row twice. Each listing goes through the same pager as every paged
// method.
func (c *Client) AccessLogs(ctx context.Context, o ListAccessLogs) iter.Seq2[Login, error] {
	return func(yield func(Login, error) bool) {
		r := &accessRun{o: o, oldest: -1}
		finish(yield, r.read(withTeam(ctx, o.TeamID), c, yield))
	}
}

// accessRun is the state of reading the access log in listings.
type accessRun struct {
	o      ListAccessLogs
	oldest int64 // the smallest date_first read; -1 before the first row
	added  int   // rows new to this listing
}

func (r *accessRun) read(ctx context.Context, c *Client, yield func(Login, error) bool) error {
	size := r.o.PageSize
	if size <= 0 {
		size = AccessLogsPageSize
	}
	var before int64 // 0: now
	if !r.o.Before.IsZero() {
		before = r.o.Before.Unix()
	}
	team := r.o.TeamID
	pg := newPager(c, accessLogsList, team, url.Values{"team_id": {team}, "limit": {strconv.Itoa(size)}},
		func(d *dedup, l *Login) uint64 { return d.key(team, l.UserID, l.IP, l.UserAgent) })
	for {
		boundary := r.oldest
		pg.expected = func(l *Login) bool { return l.DateFirst == boundary }
		if before > 0 {
			pg.params.Set("before", strconv.FormatInt(before, 10))
		}
		r.added = 0
		err := pg.byCursor(ctx, func(l *Login) error { return r.take(l, yield) })
		if !refused(err) {
			return err
		}
		// Slack refused to list further: restart below the oldest row seen.
		if r.added == 0 || r.oldest < 0 || (before > 0 && r.oldest > before) {
			return pg.stalled("a listing of sign-ins got no further than %s before Slack refused the next page (%v)",
				time.Unix(r.oldest, 0).UTC().Format(time.RFC3339), err)
		}
		before = r.oldest
	}
}

// refused reports whether err is Slack refusing to page further.
func refused(err error) bool {
	e, ok := AsError(err)
	return ok && e.Code == "over_pagination_limit"
}

// take notes a row new to this listing and passes it on.
func (r *accessRun) take(l *Login, yield func(Login, error) bool) error {
	r.added++
	if r.oldest < 0 || l.DateFirst < r.oldest {
		r.oldest = l.DateFirst
	}
	return yielded(yield(*l, nil))
}

// accessLogsList decodes team.accessLogs pages.
var accessLogsList = listSpec[Login]{method: "team.accessLogs", field: "logins", idKey: "user_id", item: readLogin}

// decodeAccessLogsPage decodes one team.accessLogs answer.
func decodeAccessLogsPage(body []byte) (page[Login], error) { return accessLogsList.decode(body) }

func readLogin(p *flatObject, _ string, l *Login) error {
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
			l.ISP, l.ISPKnown, err = p.optText()
		case "country":
			l.Country, l.CountryKnown, err = p.optText()
		case "region":
			l.Region, l.RegionKnown, err = p.optText()
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
