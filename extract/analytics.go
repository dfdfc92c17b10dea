package extract

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/slack-go/slack"
)

// MemberActivitySchema is the schema of the member_activity table.
var MemberActivitySchema = arrow.NewSchema([]arrow.Field{
	{Name: "date", Type: arrow.FixedWidthTypes.Date32},
	{Name: "enterprise_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "user_id", Type: arrow.BinaryTypes.String},
	{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "is_guest", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_billable_seat", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_active", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_active_ios", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_active_android", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_active_desktop", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_active_apps", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_active_workflows", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_active_slack_connect", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "messages_posted", Type: arrow.PrimitiveTypes.Int64},
	{Name: "channel_messages_posted", Type: arrow.PrimitiveTypes.Int64},
	{Name: "reactions_added", Type: arrow.PrimitiveTypes.Int64},
	{Name: "files_added", Type: arrow.PrimitiveTypes.Int64},
	{Name: "calls", Type: arrow.PrimitiveTypes.Int64},
	{Name: "slack_calls", Type: arrow.PrimitiveTypes.Int64},
	{Name: "huddles", Type: arrow.PrimitiveTypes.Int64},
	{Name: "searches", Type: arrow.PrimitiveTypes.Int64},
}, nil)

// MemberActivity is the Source of the member_activity table: one
// admin.analytics.getFile?type=member file per UTC day (Enterprise Grid,
// org-level token with admin.analytics:read). Days are fetched concurrently
// within the method's tier and each gzip file is decoded as it streams in, so
// no day is held in memory. A download that breaks off mid-file (a stall or
// a broken connection) is fetched again, within the client's MaxRetries,
// and read on after the lines already landed.
//
// Days Slack has not produced yet (file_not_yet_available: today and usually
// yesterday) and days before the data starts (data_not_available) are skipped
// and listed by Note.
type MemberActivity struct {
	Client       *Client
	EnterpriseID string
	Days         []time.Time      // UTC days to fetch; the caller leaves out days it already has
	Workers      int              // concurrent downloads; 3 when zero
	Alloc        memory.Allocator // memory.DefaultAllocator when nil

	mu       sync.Mutex
	notReady []time.Time
	noData   []time.Time
	fetched  int
}

func (*MemberActivity) Name() string          { return "member_activity" }
func (*MemberActivity) Table() string         { return "member_activity" }
func (*MemberActivity) Schema() *arrow.Schema { return MemberActivitySchema }

// Note says which days were skipped and why.
func (s *MemberActivity) Note() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var parts []string
	parts = append(parts, fmt.Sprintf("%d days fetched", s.fetched))
	if len(s.notReady) > 0 {
		parts = append(parts, fmt.Sprintf("%s not yet available from Slack (fetched by a later sync)", dayList(s.notReady)))
	}
	if len(s.noData) > 0 {
		parts = append(parts, fmt.Sprintf("%s before Slack's analytics start", dayList(s.noData)))
	}
	return strings.Join(parts, "; ")
}

func dayList(days []time.Time) string {
	days = slices.Clone(days)
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	if len(days) <= 3 {
		s := make([]string, len(days))
		for i, d := range days {
			s[i] = d.Format(time.DateOnly)
		}
		return strings.Join(s, ", ")
	}
	return fmt.Sprintf("%d days from %s to %s", len(days), days[0].Format(time.DateOnly), days[len(days)-1].Format(time.DateOnly))
}

func (s *MemberActivity) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	workers := s.Workers
	if workers <= 0 {
		workers = 3
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var emitMu sync.Mutex
	safeEmit := func(rec arrow.RecordBatch) error {
		emitMu.Lock()
		defer emitMu.Unlock()
		return emit(rec)
	}
	days := make(chan time.Time)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			b := newBatcher(s.Alloc, MemberActivitySchema, safeEmit)
			defer b.Release()
			for day := range days {
				if err := s.day(ctx, day, b); err != nil {
					cancel(err)
					return
				}
			}
			if err := b.Flush(); err != nil {
				cancel(err)
			}
		})
	}
feed:
	for _, d := range s.Days {
		select {
		case days <- d:
		case <-ctx.Done():
			break feed
		}
	}
	close(days)
	wg.Wait()
	return context.Cause(ctx)
}

// activityLine is one line of a member analytics file.
type activityLine struct {
	EnterpriseID, TeamID, Date, UserID, Email string
	// Flags in MemberActivitySchema's order from is_guest; flags[2] is
	// is_active, which must be present.
	flags     [9]bool
	hasActive bool
	// Counts in MemberActivitySchema's order from messages_posted.
	counts [8]int64
}

// activityFlags and activityCounts map Slack's keys to activityLine's arrays.
var (
	activityFlags = map[string]int{"is_guest": 0, "is_billable_seat": 1, "is_active": 2, "is_active_ios": 3,
		"is_active_android": 4, "is_active_desktop": 5, "is_active_apps": 6, "is_active_workflows": 7, "is_active_slack_connect": 8}
	activityCounts = map[string]int{"messages_posted_count": 0, "channel_messages_posted_count": 1, "reactions_added_count": 2,
		"files_added_count": 3, "total_calls_count": 4, "slack_calls_count": 5, "slack_huddles_count": 6, "search_count": 7}
)

// parse reads one line in Slack's shape; unknown keys are skipped.
func (l *activityLine) parse(line []byte) error {
	*l = activityLine{}
	p := flatObject{b: line}
	return p.each(func(key []byte) error {
		var err error
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
		default:
			if i, ok := activityFlags[string(key)]; ok {
				var valid bool
				l.flags[i], valid, err = p.flag()
				if i == 2 {
					l.hasActive = valid
				}
			} else if i, ok := activityCounts[string(key)]; ok {
				l.counts[i], err = p.whole()
			} else {
				err = p.skip()
			}
		}
		return err
	})
}

// decodeActivityLine reads line lineNo of the member analytics file for
// date and checks it: the user and is_active are there, and the date is
// the day asked for.
func decodeActivityLine(line []byte, date string, lineNo int) (activityLine, error) {
	var l activityLine
	err := l.parse(line)
	var se *syntaxError
	switch {
	case errors.As(err, &se):
		err = fmt.Errorf("invalid JSON: %w", err)
	case err != nil:
	case l.UserID == "" || !l.hasActive:
		err = errors.New("field user_id or is_active is missing")
	case l.Date != "" && l.Date != date:
		err = fmt.Errorf("field date is %s, not the day asked for", quoteShort(l.Date))
	default:
		return l, nil
	}
	return l, &Error{Method: analyticsMethod, Kind: KindMalformed, Err: err,
		Detail: fmt.Sprintf("file for %s, line %d: %v", date, lineNo, err)}
}

// analyticsMethod serves the member analytics files.
const analyticsMethod = "admin.analytics.getFile"

// dayFile is one day's file as far as it was read: a download that breaks
// off mid-file (a stall, a reset) is fetched again and read on after the
// lines already landed, within the client's MaxRetries.
type dayFile struct {
	day      time.Time
	date     string
	d32      arrow.Date32
	lines    int // lines landed, or dropped as repeats, so far
	seen     *dedup
	repeats  int64
	attempts int // downloads started
	stalls   int // downloads that stalled mid-file
}

// day fetches and decodes one day's file into b.
func (s *MemberActivity) day(ctx context.Context, day time.Time, b *batcher) error {
	f := &dayFile{day: day, date: day.UTC().Format(time.DateOnly), d32: arrow.Date32FromTime(day.UTC()), seen: newDedup()}
	params := url.Values{"type": {"member"}, "date": {f.date}}
	for {
		f.attempts++
		body, err := s.Client.stream(ctx, analyticsMethod, params)
		switch {
		case err != nil && ctx.Err() != nil:
			// Another day failed, or the sync was stopped: not this day's error.
			return context.Cause(ctx)
		case err != nil && f.attempts == 1:
			return s.unfetched(f, err)
		case err != nil:
			return onDate(classify(analyticsMethod, s.EnterpriseID, err), f.date)
		}
		broke, err := s.read(ctx, body, f, b)
		body.Close()
		if err == nil {
			break
		}
		if !broke || f.attempts > s.Client.http.maxRetries {
			return err
		}
		if err := Sleep(ctx, s.Client.http.backoff(f.attempts)); err != nil {
			return err
		}
	}
	countDuplicates(ctx, f.repeats)
	s.mu.Lock()
	s.fetched++
	s.mu.Unlock()
	return nil
}

// unfetched handles a day whose download did not start: a day Slack has no
// file for yet, or one before its data starts, is noted and skipped.
func (s *MemberActivity) unfetched(f *dayFile, err error) error {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "file_not_yet_available":
			s.record(&s.notReady, f.day)
			return nil
		case "data_not_available":
			s.record(&s.noData, f.day)
			return nil
		}
	}
	return onDate(classify(analyticsMethod, s.EnterpriseID, err), f.date)
}

// read decodes a download of f into b, skipping the lines an earlier
// download landed. broke reports a download that broke off mid-file,
// which may be fetched again.
func (s *MemberActivity) read(ctx context.Context, body io.Reader, f *dayFile, b *batcher) (broke bool, err error) {
	fail := func(line int, format string, args ...any) error {
		return errorf(analyticsMethod, s.EnterpriseID, KindMalformed, "file for %s, line %d: %s", f.date, line, fmt.Sprintf(format, args...))
	}
	zr, err := gzip.NewReader(body)
	if brokeOff(err) {
		return true, s.midFile(f, err)
	}
	if err != nil {
		return false, fail(0, "not a gzip file: %v", err)
	}
	r := bufio.NewReaderSize(zr, 64<<10)
	for n := 0; ; {
		line, err := r.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			return false, fail(n+1, "line longer than %d bytes", r.Size())
		case err != nil && err != io.EOF && ctx.Err() != nil:
			return false, context.Cause(ctx)
		case brokeOff(err):
			return true, s.midFile(f, err)
		case err != nil && err != io.EOF:
			return false, fail(n+1, "reading the gzip stream: %v (corrupt or truncated file)", err)
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if n++; n > f.lines {
				if err := s.land(f, line, n, b); err != nil {
					return false, err
				}
			}
		}
		if err == io.EOF {
			return false, nil
		}
	}
}

// land decodes line n of f and appends it to b, once per person.
func (s *MemberActivity) land(f *dayFile, line []byte, n int, b *batcher) error {
	l, err := decodeActivityLine(line, f.date, n)
	if err != nil {
		return classify(analyticsMethod, s.EnterpriseID, err)
	}
	f.lines = n
	if !f.seen.add(f.seen.key(l.UserID)) {
		f.repeats++ // the file is one day: a person once
		return nil
	}
	return appendActivity(b, f.d32, &l)
}

// brokeOff reports a download that stopped mid-file: a stall or a
// connection that broke.
func brokeOff(err error) bool {
	var broken *brokenAnswerError
	return errors.Is(err, errStalled) || errors.As(err, &broken)
}

// midFile is the error of a download of f that broke off mid-file.
func (s *MemberActivity) midFile(f *dayFile, err error) error {
	if errors.Is(err, errStalled) {
		f.stalls++
		err = &StallError{Wait: s.Client.http.stallNominal, Times: f.stalls}
	} else if f.attempts > 1 {
		err = fmt.Errorf("after %d attempts: %w", f.attempts, err)
	}
	return onDate(classify(analyticsMethod, s.EnterpriseID, err), f.date+", mid-file")
}

// appendActivity appends one line to the member_activity builders.
func appendActivity(b *batcher, day arrow.Date32, l *activityLine) error {
	b.Field(0).(*array.Date32Builder).Append(day)
	appendString(b.Field(1).(*array.StringBuilder), l.EnterpriseID)
	b.Field(2).(*array.StringBuilder).Append(l.TeamID)
	b.Field(3).(*array.StringBuilder).Append(l.UserID)
	appendString(b.Field(4).(*array.StringBuilder), l.Email)
	for i, v := range l.flags {
		b.Field(5 + i).(*array.BooleanBuilder).Append(v)
	}
	for i, v := range l.counts {
		b.Field(14 + i).(*array.Int64Builder).Append(v)
	}
	return b.Row()
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

func (s *MemberActivity) record(list *[]time.Time, day time.Time) {
	s.mu.Lock()
	*list = append(*list, day)
	s.mu.Unlock()
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
	return nil, slack.SlackErrorResponse{Err: env.Error, Needed: env.Needed, Provided: env.Provided}
}
