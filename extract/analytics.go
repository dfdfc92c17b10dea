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
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse/schema"
)

// MemberActivitySchema is the member_activity table.
var MemberActivitySchema = schema.Declare(schema.Table{
	Name: "member_activity", Kind: schema.History,
	Comment: "Daily member analytics (admin.analytics.getFile, Enterprise Grid): one row per person per UTC day. Kept across syncs; each day is fetched once.",
	Columns: []schema.Column{
		schema.Date("date", "UTC day the row describes."),
		schema.String("enterprise_id", "Enterprise Grid organisation (E…).").Optional(),
		schema.String("team_id", "The person's workspace in the file (T…)."),
		schema.String("user_id", "Slack user ID (W…)."),
		schema.String("email", "Email address; NULL when the organisation hides emails.").Optional(),
		schema.Bool("is_guest", "Guest account."),
		schema.Bool("is_billable_seat", "Slack counted the account as a billable seat that day."),
		schema.Bool("is_active", "Active that day: Slack's definition, any client or API use."),
		schema.Bool("is_active_ios", "Active on the iOS app that day."),
		schema.Bool("is_active_android", "Active on the Android app that day."),
		schema.Bool("is_active_desktop", "Active on the desktop app that day."),
		schema.Bool("is_active_apps", "Used apps or integrations that day."),
		schema.Bool("is_active_workflows", "Used workflows that day."),
		schema.Bool("is_active_slack_connect", "Active in Slack Connect channels that day."),
		schema.Int64("messages_posted", "Messages posted anywhere (messages_posted_count)."),
		schema.Int64("channel_messages_posted", "Messages posted in channels (channel_messages_posted_count)."),
		schema.Int64("reactions_added", "Reactions added (reactions_added_count)."),
		schema.Int64("files_added", "Files added (files_added_count)."),
		schema.Int64("calls", "Calls joined, Slack or third-party (total_calls_count)."),
		schema.Int64("slack_calls", "Slack calls joined (slack_calls_count)."),
		schema.Int64("huddles", "Huddles joined (slack_huddles_count)."),
		schema.Int64("searches", "Searches run (search_count)."),
	},
})

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
			add := activityAppender(b)
			for day := range days {
				if err := s.day(ctx, day, add); err != nil {
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

// day fetches and decodes one day's file, appending each line with add.
func (s *MemberActivity) day(ctx context.Context, day time.Time, add func(arrow.Date32, *slackapi.ActivityLine) error) error {
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
		if err := add(d32, &l); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.fetched++
	s.mu.Unlock()
	return nil
}

// activityAppender looks the member_activity columns up once and returns
// what appends one line of a day's file.
func activityAppender(b *schema.Builder) func(arrow.Date32, *slackapi.ActivityLine) error {
	date, enterprise, team, user, email := b.Date("date"), b.String("enterprise_id"), b.String("team_id"), b.String("user_id"), b.String("email")
	flags := b.Bools("is_guest", "is_billable_seat", "is_active", "is_active_ios", "is_active_android",
		"is_active_desktop", "is_active_apps", "is_active_workflows", "is_active_slack_connect")
	counts := b.Int64s("messages_posted", "channel_messages_posted", "reactions_added", "files_added",
		"calls", "slack_calls", "huddles", "searches")
	return func(day arrow.Date32, l *slackapi.ActivityLine) error {
		date.Append(day)
		appendString(enterprise, l.EnterpriseID)
		team.Append(l.TeamID)
		user.Append(l.UserID)
		appendString(email, l.Email)
		for i, v := range [...]bool{l.IsGuest, l.IsBillableSeat, l.IsActive, l.IsActiveIOS, l.IsActiveAndroid,
			l.IsActiveDesktop, l.IsActiveApps, l.IsActiveWorkflows, l.IsActiveSlackConnect} {
			flags[i].Append(v)
		}
		for i, v := range [...]int64{l.MessagesPosted, l.ChannelMessagesPosted, l.ReactionsAdded, l.FilesAdded,
			l.Calls, l.SlackCalls, l.Huddles, l.Searches} {
			counts[i].Append(v)
		}
		return b.Row()
	}
}

func (s *MemberActivity) record(list *[]time.Time, day time.Time) {
	s.mu.Lock()
	*list = append(*list, day)
	s.mu.Unlock()
}
