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
// in, so no day is held in memory. A download that breaks off mid-file (a
// stall or a broken connection) is fetched again, within the client's
// MaxRetries, and read on after the lines already passed on. A day Slack
// cannot give yet ends the sequence with ErrDayNotReady, one before the data
// starts with ErrDayBeforeData; any other failure with an *Error naming the
// date (and the line). Stopping the range closes the download.
func (c *Client) MemberAnalytics(ctx context.Context, enterpriseID string, day time.Time) iter.Seq2[ActivityLine, error] {
	return func(yield func(ActivityLine, error) bool) {
		f := &dayFile{c: c, enterprise: enterpriseID, date: day.UTC().Format(time.DateOnly), seen: newDedup()}
		finish(yield, f.fetch(ctx, yield))
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

// dayFile is one day's file as far as it was read.
type dayFile struct {
	c                *Client
	enterprise, date string
	lines            int // lines passed on, or dropped as repeats, so far
	seen             *dedup
	last             ActivityLine // the line read last, whose strings the next may reuse
	repeats          int64
	attempts         int // downloads started
	stalls           int // downloads that stalled mid-file
}

// fetch downloads the day's file and reads it, fetching it again when a
// download breaks off mid-file.
func (f *dayFile) fetch(ctx context.Context, yield func(ActivityLine, error) bool) error {
	params := url.Values{"type": {"member"}, "date": {f.date}}
	for {
		f.attempts++
		body, err := f.c.stream(ctx, analyticsMethod, params)
		switch {
		case err != nil && ctx.Err() != nil:
			// Another day failed, or the sync was stopped: not this day's error.
			return context.Cause(ctx)
		case err != nil && f.attempts == 1:
			return dayError(err, f.enterprise, f.date)
		case err != nil:
			return onDate(classify(analyticsMethod, f.enterprise, err), f.date)
		}
		broke, err := f.read(ctx, body, yield)
		body.Close()
		if err == nil {
			countDuplicates(ctx, f.repeats)
			return nil
		}
		if !broke || f.attempts > f.c.http.maxRetries {
			return err
		}
		if err := Sleep(ctx, f.c.http.backoff(f.attempts)); err != nil {
			return err
		}
	}
}

func (f *dayFile) fail(line int, format string, args ...any) error {
	return errorf(analyticsMethod, f.enterprise, KindMalformed, "file for %s, line %d: %s", f.date, line, fmt.Sprintf(format, args...))
}

// read decodes a download of the file line by line, skipping the lines an
// earlier download passed on. broke reports a download that broke off
// mid-file, which may be fetched again.
func (f *dayFile) read(ctx context.Context, body io.Reader, yield func(ActivityLine, error) bool) (broke bool, err error) {
	zr, err := gzip.NewReader(body)
	if brokeOff(err) {
		return true, f.midFile(err)
	}
	if err != nil {
		return false, f.fail(0, "not a gzip file: %v", err)
	}
	r := bufio.NewReaderSize(zr, 64<<10)
	for n := 0; ; {
		line, err := r.ReadSlice('\n')
		if broke, err := f.readError(ctx, err, n, r.Size()); err != nil {
			return broke, err
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if n++; n > f.lines {
				if err := f.pass(line, n, yield); err != nil {
					return false, err
				}
			}
		}
		if err == io.EOF {
			return false, nil
		}
	}
}

// readError turns a failed read of the stream into the day's error; nil
// for a line read whole and for the end of the file.
func (f *dayFile) readError(ctx context.Context, err error, lineNo, size int) (broke bool, _ error) {
	switch {
	case err == nil || err == io.EOF:
		return false, nil
	case err == bufio.ErrBufferFull:
		return false, f.fail(lineNo+1, "line longer than %d bytes", size)
	case ctx.Err() != nil:
		return false, context.Cause(ctx)
	case brokeOff(err):
		return true, f.midFile(err)
	}
	return false, f.fail(lineNo+1, "reading the gzip stream: %v (corrupt or truncated file)", err)
}

// pass decodes line n and passes it on, once per person.
func (f *dayFile) pass(line []byte, n int, yield func(ActivityLine, error) bool) error {
	if err := f.last.decode(line, f.date, n); err != nil {
		f.last = ActivityLine{}
		return classify(analyticsMethod, f.enterprise, err)
	}
	l := f.last
	f.lines = n
	if !f.seen.add(f.seen.key(l.UserID)) {
		f.repeats++ // the file is one day: a person once
		return nil
	}
	if !yield(l, nil) {
		return errStopped
	}
	return nil
}

// brokeOff reports a download that stopped mid-file: a stall or a
// connection that broke.
func brokeOff(err error) bool {
	var broken *brokenAnswerError
	return errors.Is(err, errStalled) || errors.As(err, &broken)
}

// midFile is the error of a download that broke off mid-file.
func (f *dayFile) midFile(err error) error {
	if errors.Is(err, errStalled) {
		f.stalls++
		err = &StallError{Wait: f.c.http.stallNominal, Times: f.stalls}
	} else if f.attempts > 1 {
		err = fmt.Errorf("after %d attempts: %w", f.attempts, err)
	}
	return onDate(classify(analyticsMethod, f.enterprise, err), f.date+", mid-file")
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
// reports whether is_active, which every line must have, was there. The
// organisation, workspace and date of the line l held before are kept,
// not copied again, where this line has the same: a day's file repeats
// them on every line.
func (l *ActivityLine) parse(line []byte) (hasActive bool, err error) {
	prev := *l
	*l = ActivityLine{}
	p := flatObject{b: line}
	err = p.each(func(key []byte) (err error) {
		switch string(key) {
		case "enterprise_id":
			l.EnterpriseID, err = p.textAgain(prev.EnterpriseID)
		case "team_id":
			l.TeamID, err = p.textAgain(prev.TeamID)
		case "date":
			l.Date, err = p.textAgain(prev.Date)
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
	err := l.decode(line, date, lineNo)
	return l, err
}

// textAgain reads a string as text does, returning prev, not a copy,
// when the string is prev unescaped.
func (p *flatObject) textAgain(prev string) (string, error) {
	if prev != "" && p.peek() == '"' {
		start := p.i
		raw, escaped, err := p.rawString()
		if err == nil && !escaped && string(raw) == prev {
			return prev, nil
		}
		p.i = start
	}
	return p.text()
}

// decode reads line lineNo of the file for date into l as
// decodeActivityLine does, reusing the strings l held where they repeat.
func (l *ActivityLine) decode(line []byte, date string, lineNo int) error {
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
		return nil
	}
	return &Error{Method: analyticsMethod, Kind: KindMalformed, Err: err,
		Detail: fmt.Sprintf("file for %s, line %d: %v", date, lineNo, err)}
}

// onDate adds the day of the file to a failed call's error, in a copy (the
// error may be shared), keeping what the error said.
func onDate(err error, date string) error {
	ce, ok := err.(*Error)
	if !ok {
		return err
	}
	c := *ce
	if c.Detail == "" && c.Code == "" && c.Err != nil {
		c.Detail = c.Err.Error()
	}
	if c.Detail == "" {
		c.Detail = "date " + date // after Slack's code: "invalid_auth: date 2026-03-04"
	} else {
		c.Detail += " (date " + date + ")"
	}
	return &c
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
