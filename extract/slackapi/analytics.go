package slackapi

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"strings"
	"time"
)

// analyticsMethod serves the member analytics files.
const analyticsMethod = "admin.analytics.getFile"

// Days MemberAnalytics cannot read, which a sync skips rather than fails on.
var (
	// ErrDayNotReady: Slack has not produced the day's file yet
	// (file_not_yet_available: today and usually yesterday).
	ErrDayNotReady = errors.New("the day's analytics file is not yet available from Slack")
	// ErrDayBeforeData: the day is before the organisation's analytics
	// start (data_not_available).
	ErrDayBeforeData = errors.New("the day is before Slack's analytics start")
)

// ActivityLine is one person's day in a member analytics file.
type ActivityLine struct {
	EnterpriseID, TeamID, Date, UserID, Email string

	IsGuest, IsBillableSeat, IsActive             bool
	IsActiveIOS, IsActiveAndroid, IsActiveDesktop bool
	IsActiveApps, IsActiveWorkflows               bool
	IsActiveSlackConnect                          bool
	MessagesPosted, ChannelMessagesPosted         int64
	ReactionsAdded, FilesAdded                    int64
	Calls, SlackCalls, Huddles, Searches          int64
}

// MemberAnalytics reads the admin.analytics.getFile?type=member file of
// one UTC day (Enterprise Grid, org-level token with admin.analytics:read):
// one line per person, each person once, decoded as the gzip file streams
// in, so no day is held in memory. A day Slack cannot give yet ends the
// sequence with ErrDayNotReady, one before the data starts with
// ErrDayBeforeData; any other failure with an *Error naming the date (and
// the line). Stopping the range closes the download.
func (c *Client) MemberAnalytics(ctx context.Context, enterpriseID string, day time.Time) iter.Seq2[ActivityLine, error] {
	return func(yield func(ActivityLine, error) bool) {
		date := day.UTC().Format(time.DateOnly)
		body, err := c.stream(ctx, analyticsMethod, url.Values{"type": {"member"}, "date": {date}})
		if err != nil {
			finish(yield, dayError(err, enterpriseID, date))
			return
		}
		defer body.Close()
		f := &dayFile{c: c, enterprise: enterpriseID, date: date}
		finish(yield, f.read(ctx, body, yield))
	}
}

// dayError is the error of a day's file that could not be fetched.
func dayError(err error, enterpriseID, date string) error {
	var se slackError
	if errors.As(err, &se) {
		switch se.Err {
		case "file_not_yet_available":
			return ErrDayNotReady
		case "data_not_available":
			return ErrDayBeforeData
		}
	}
	return onDate(classify(analyticsMethod, enterpriseID, err), date)
}

// dayFile reads one day's file.
type dayFile struct {
	c                *Client
	enterprise, date string
}

func (f *dayFile) fail(line int, format string, args ...any) error {
	return errorf(analyticsMethod, f.enterprise, KindMalformed, "file for %s, line %d: %s", f.date, line, fmt.Sprintf(format, args...))
}

// read decodes the gzip stream line by line, passing each person on once.
func (f *dayFile) read(ctx context.Context, body io.Reader, yield func(ActivityLine, error) bool) error {
	zr, err := gzip.NewReader(body)
	if err != nil {
		return f.fail(0, "not a gzip file: %v", err)
	}
	r := bufio.NewReaderSize(zr, 64<<10)
	seen, repeats, lineNo := newDedup(), int64(0), 0
	for {
		line, err := r.ReadSlice('\n')
		if err := f.readError(ctx, err, lineNo, r.Size()); err != nil {
			return err
		}
		if len(bytes.TrimSpace(line)) > 0 {
			lineNo++
			l, derr := decodeActivityLine(line, f.date, lineNo)
			if derr != nil {
				return classify(analyticsMethod, f.enterprise, derr)
			}
			if !seen.add(seen.key(l.UserID)) {
				repeats++ // the file is one day: a person once
			} else if !yield(l, nil) {
				return errStopped
			}
		}
		if err == io.EOF {
			countDuplicates(ctx, repeats)
			return nil
		}
	}
}

// readError turns a failed read of the stream into the day's error; nil
// for a line read whole and for the end of the file.
func (f *dayFile) readError(ctx context.Context, err error, lineNo, size int) error {
	switch {
	case err == nil || err == io.EOF:
		return nil
	case err == bufio.ErrBufferFull:
		return f.fail(lineNo+1, "line longer than %d bytes", size)
	case ctx.Err() != nil:
		return context.Cause(ctx)
	case errors.Is(err, errStalled):
		return onDate(classify(analyticsMethod, f.enterprise, &StallError{Wait: f.c.http.stallNominal, Times: 1}), f.date+", mid-file")
	}
	return f.fail(lineNo+1, "reading the gzip stream: %v (corrupt or truncated file)", err)
}

// metric finds the flag or count key names in an analytics line: the
// files have millions of lines, so a key is matched once, without hashing.
// Both are nil for any other key.
func (l *ActivityLine) metric(key []byte) (*bool, *int64) {
	switch string(key) {
	case "is_guest":
		return &l.IsGuest, nil
	case "is_billable_seat":
		return &l.IsBillableSeat, nil
	case "is_active_ios":
		return &l.IsActiveIOS, nil
	case "is_active_android":
		return &l.IsActiveAndroid, nil
	case "is_active_desktop":
		return &l.IsActiveDesktop, nil
	case "is_active_apps":
		return &l.IsActiveApps, nil
	case "is_active_workflows":
		return &l.IsActiveWorkflows, nil
	case "is_active_slack_connect":
		return &l.IsActiveSlackConnect, nil
	case "messages_posted_count":
		return nil, &l.MessagesPosted
	case "channel_messages_posted_count":
		return nil, &l.ChannelMessagesPosted
	case "reactions_added_count":
		return nil, &l.ReactionsAdded
	case "files_added_count":
		return nil, &l.FilesAdded
	case "total_calls_count":
		return nil, &l.Calls
	case "slack_calls_count":
		return nil, &l.SlackCalls
	case "slack_huddles_count":
		return nil, &l.Huddles
	case "search_count":
		return nil, &l.Searches
	}
	return nil, nil
}

// parse reads one line in Slack's shape; unknown keys are skipped. It
// reports whether is_active, which every line must have, was there.
func (l *ActivityLine) parse(line []byte) (hasActive bool, err error) {
	*l = ActivityLine{}
	p := flatObject{b: line}
	err = p.each(func(key []byte) (err error) {
		switch string(key) {
		case "enterprise_id":
			l.EnterpriseID, err = p.text()
		case "team_id":
			l.TeamID, err = p.text()
		case "date":
			l.Date, err = p.text()
		case "user_id":
			l.UserID, err = p.text()
		case "email_address":
			l.Email, err = p.text()
		case "is_active":
			l.IsActive, hasActive, err = p.flag()
		default:
			switch flag, count := l.metric(key); {
			case flag != nil:
				*flag, _, err = p.flag()
			case count != nil:
				*count, err = p.whole()
			default:
				err = p.skip()
			}
		}
		return err
	})
	return hasActive, err
}

// decodeActivityLine reads line lineNo of the member analytics file for
// date and checks it: the user and is_active are there, and the date is
// the day asked for.
func decodeActivityLine(line []byte, date string, lineNo int) (ActivityLine, error) {
	var l ActivityLine
	hasActive, err := l.parse(line)
	var se *syntaxError
	switch {
	case errors.As(err, &se):
		err = fmt.Errorf("invalid JSON: %w", err)
	case err != nil:
	case l.UserID == "" || !hasActive:
		err = errors.New("field user_id or is_active is missing")
	case l.Date != "" && l.Date != date:
		err = fmt.Errorf("field date is %s, not the day asked for", quoteShort(l.Date))
	default:
		return l, nil
	}
	return l, &Error{Method: analyticsMethod, Kind: KindMalformed, Err: err,
		Detail: fmt.Sprintf("file for %s, line %d: %v", date, lineNo, err)}
}

// onDate adds the day of the file to a failed call's error.
func onDate(err error, date string) error {
	if ce, ok := err.(*Error); ok {
		ce.Detail = strings.TrimPrefix(ce.Detail+" (date "+date+")", " ")
	}
	return err
}

// stream makes a raw call whose success is a file, not JSON: it returns the
// body for the caller to read and close. A JSON answer is Slack's error.
func (c *Client) stream(ctx context.Context, method string, params url.Values) (io.ReadCloser, error) {
	resp, err := c.post(withStream(ctx), method, params)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(resp.Body)
	head, _ := br.Peek(2)
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		return struct {
			io.Reader
			io.Closer
		}{br, resp.Body}, nil
	}
	defer resp.Body.Close()
	var env Envelope
	if err := json.NewDecoder(br).Decode(&env); err != nil {
		return nil, fmt.Errorf("neither a gzip file nor a JSON error (Content-Type %q): %w", resp.Header.Get("Content-Type"), err)
	}
	if env.OK {
		return nil, errors.New("malformed response: JSON where a gzip file was expected")
	}
	return nil, slackError{Err: env.Error, Needed: env.Needed, Provided: env.Provided}
}
