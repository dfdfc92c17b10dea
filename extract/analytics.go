package extract

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
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
// admin.analytics.getFile?type=member file per UTC day (slackapi's
// MemberAnalytics: Enterprise Grid, org-level token with
// admin.analytics:read). Days are fetched concurrently within the method's
// tier and each gzip file is decoded as it streams in, so no day is held in
// memory. A download that breaks off mid-file is fetched again and read on
// (see slackapi's MemberAnalytics).
//
// Days Slack has not produced yet (file_not_yet_available: today and usually
// yesterday) and days before the data starts (data_not_available) are skipped
// and listed by Note.
type MemberActivity struct {
	Client       *slackapi.Client
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

// day fetches and decodes one day's file into b.
func (s *MemberActivity) day(ctx context.Context, day time.Time, b *batcher) error {
	d32 := arrow.Date32FromTime(day.UTC())
	for l, err := range s.Client.MemberAnalytics(ctx, s.EnterpriseID, day) {
		switch {
		case errors.Is(err, slackapi.ErrDayNotReady):
			s.record(&s.notReady, day)
			return nil
		case errors.Is(err, slackapi.ErrDayBeforeData):
			s.record(&s.noData, day)
			return nil
		case err != nil:
			return err
		}
		if err := appendActivity(b, d32, &l); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.fetched++
	s.mu.Unlock()
	return nil
}

// appendActivity appends one line to the member_activity builders.
func appendActivity(b *batcher, day arrow.Date32, l *slackapi.ActivityLine) error {
	b.Field(0).(*array.Date32Builder).Append(day)
	appendString(b.Field(1).(*array.StringBuilder), l.EnterpriseID)
	b.Field(2).(*array.StringBuilder).Append(l.TeamID)
	b.Field(3).(*array.StringBuilder).Append(l.UserID)
	appendString(b.Field(4).(*array.StringBuilder), l.Email)
	for i, v := range [...]bool{l.IsGuest, l.IsBillableSeat, l.IsActive, l.IsActiveIOS, l.IsActiveAndroid,
		l.IsActiveDesktop, l.IsActiveApps, l.IsActiveWorkflows, l.IsActiveSlackConnect} {
		b.Field(5 + i).(*array.BooleanBuilder).Append(v)
	}
	for i, v := range [...]int64{l.MessagesPosted, l.ChannelMessagesPosted, l.ReactionsAdded, l.FilesAdded,
		l.Calls, l.SlackCalls, l.Huddles, l.Searches} {
		b.Field(14 + i).(*array.Int64Builder).Append(v)
	}
	return b.Row()
}

func (s *MemberActivity) record(list *[]time.Time, day time.Time) {
	s.mu.Lock()
	*list = append(*list, day)
	s.mu.Unlock()
}
