package slackapi

import (
	"context"
	"iter"
	"net/url"
	"strconv"
	"time"
)

// Sign-in log paging limits Slack enforces with over_pagination_limit.
const (
	AccessLogsPageSize = 1000
	AccessLogsMaxPages = 100
)

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
	// PageSize and MaxPages override Slack's limits (tests).
	PageSize, MaxPages int
}

// AccessLogs reads a workspace's whole sign-in log, newest first by
// date_first, each (user, IP, user agent) row once. The sequence ends
// after the first error.
//
// Slack returns 1,000 rows a page and at most 100 pages; past that it
// answers over_pagination_limit. To read further the iterator restarts
// with before = the oldest date_first it has seen. before is inclusive, so
// rows at exactly that instant come again: they are expected repeats,
// dropped without being counted as Slack listing a row twice. Each run of
// pages goes through the same pager as every paged method.
func (c *Client) AccessLogs(ctx context.Context, o ListAccessLogs) iter.Seq2[Login, error] {
	return func(yield func(Login, error) bool) {
		r := &accessRun{o: o, oldest: -1}
		finish(yield, r.read(withTeam(ctx, o.TeamID), c, yield))
	}
}

// accessRun is the state of reading the access log in runs of pages.
type accessRun struct {
	o      ListAccessLogs
	oldest int64 // the smallest date_first read; -1 before the first row
	added  int   // rows new to this run
}

func (r *accessRun) read(ctx context.Context, c *Client, yield func(Login, error) bool) error {
	size, maxPages := r.o.PageSize, r.o.MaxPages
	if size <= 0 {
		size = AccessLogsPageSize
	}
	if maxPages <= 0 {
		maxPages = AccessLogsMaxPages
	}
	var before int64 // 0: now
	if !r.o.Before.IsZero() {
		before = r.o.Before.Unix()
	}
	team := r.o.TeamID
	pg := newPager(c, accessLogsList, team, url.Values{"team_id": {team}},
		func(d *dedup, l *Login) uint64 { return d.key(team, l.UserID, l.IP, l.UserAgent) })
	for {
		boundary := r.oldest
		pg.expected = func(l *Login) bool { return l.DateFirst == boundary }
		if before > 0 {
			pg.params.Set("before", strconv.FormatInt(before, 10))
		}
		r.added = 0
		capped, err := pg.byPage(ctx, size, maxPages, func(l *Login) error { return r.take(l, yield) })
		if err != nil || !capped {
			return err
		}
		// The page cap was reached: restart below the oldest row seen.
		if r.added == 0 || r.oldest < 0 || (before > 0 && r.oldest > before) {
			return pg.stalled("%d pages of sign-ins all start at %s; nothing older can be reached",
				maxPages, time.Unix(r.oldest, 0).UTC().Format(time.RFC3339))
		}
		before = r.oldest
	}
}

// take notes a row new to this run and passes it on.
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
