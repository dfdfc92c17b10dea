package slacktest_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// memberLineJS is one member analytics line in Slack's documented shape.
type memberLineJS struct {
	EnterpriseID          string `json:"enterprise_id"`
	TeamID                string `json:"team_id"`
	Date                  string `json:"date"`
	UserID                string `json:"user_id"`
	Email                 string `json:"email_address"`
	EmployeeNumber        string `json:"enterprise_employee_number"`
	IsGuest               *bool  `json:"is_guest"`
	IsBillableSeat        *bool  `json:"is_billable_seat"`
	IsActive              *bool  `json:"is_active"`
	IsActiveIOS           bool   `json:"is_active_ios"`
	IsActiveAndroid       bool   `json:"is_active_android"`
	IsActiveDesktop       bool   `json:"is_active_desktop"`
	ReactionsAdded        int    `json:"reactions_added_count"`
	MessagesPosted        int    `json:"messages_posted_count"`
	ChannelMessagesPosted int    `json:"channel_messages_posted_count"`
	FilesAdded            int    `json:"files_added_count"`
	IsActiveApps          bool   `json:"is_active_apps"`
	IsActiveWorkflows     bool   `json:"is_active_workflows"`
	IsActiveSlackConnect  bool   `json:"is_active_slack_connect"`
	TotalCalls            int    `json:"total_calls_count"`
	SlackCalls            int    `json:"slack_calls_count"`
	Huddles               int    `json:"slack_huddles_count"`
	Searches              int    `json:"search_count"`
	DateClaimed           int64  `json:"date_claimed"`
}

func (m memberLineJS) expected() slacktest.MemberAnalytics {
	return slacktest.MemberAnalytics{
		EnterpriseID: m.EnterpriseID, TeamID: m.TeamID, Date: m.Date, UserID: m.UserID, Email: m.Email,
		EmployeeNumber: m.EmployeeNumber, IsGuest: *m.IsGuest, IsBillableSeat: *m.IsBillableSeat, IsActive: *m.IsActive,
		IsActiveIOS: m.IsActiveIOS, IsActiveAndroid: m.IsActiveAndroid, IsActiveDesktop: m.IsActiveDesktop,
		IsActiveApps: m.IsActiveApps, IsActiveWorkflows: m.IsActiveWorkflows, IsActiveSlackConnect: m.IsActiveSlackConnect,
		ReactionsAdded: m.ReactionsAdded, MessagesPosted: m.MessagesPosted, ChannelMessagesPosted: m.ChannelMessagesPosted,
		FilesAdded: m.FilesAdded, TotalCalls: m.TotalCalls, SlackCalls: m.SlackCalls, Huddles: m.Huddles,
		Searches: m.Searches, DateClaimed: m.DateClaimed,
	}
}

// getFile fetches one day's member file and decodes every line.
func getFile(t testing.TB, srv *slacktest.Server, tok, date string) []memberLineJS {
	t.Helper()
	r := call(t, srv, "admin.analytics.getFile", form("token", tok, "type", "member", "date", date))
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, "application/gzip", r.Header.Get("Content-Type"), "body: %.200s", r.Body)
	zr, err := gzip.NewReader(bytes.NewReader(r.Body))
	require.NoError(t, err)
	var lines []memberLineJS
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m memberLineJS
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&m), "%s", sc.Bytes())
		lines = append(lines, m)
	}
	require.NoError(t, sc.Err())
	return lines
}

func TestAnalyticsGetFile(t *testing.T) {
	srv, tok := newGrid(t, 800, 3)
	o := srv.Org()
	date := o.Now.AddDate(0, 0, -3)
	lines := getFile(t, srv, tok.Value, date.Format(time.DateOnly))

	byID := map[string]memberLineJS{}
	var active, guests, devices int
	for i, m := range lines {
		if i > 0 {
			require.Less(t, lines[i-1].UserID, m.UserID, "user ID order")
		}
		byID[m.UserID] = m
		u := o.User(m.UserID)
		require.NotNil(t, u)
		require.True(t, u.IsHuman(), "people only: %s", u.ID)
		require.False(t, u.IsInvitedUser)
		require.Equal(t, o.EnterpriseID, m.EnterpriseID)
		require.Equal(t, u.TeamID, m.TeamID, "the home workspace")
		require.Equal(t, date.Format(time.DateOnly), m.Date)
		require.Equal(t, u.Email, m.Email)
		require.Equal(t, u.EmployeeNumber(), m.EmployeeNumber)
		require.Equal(t, u.IsRestricted, *m.IsGuest)
		require.Equal(t, !u.IsUltraRestricted, *m.IsBillableSeat)
		require.Equal(t, u.Created.Unix(), m.DateClaimed)
		require.Equal(t, o.ActiveOn(u, date), *m.IsActive)
		want, ok := o.MemberAnalyticsLine(u, date)
		require.True(t, ok)
		require.Equal(t, want, m.expected())
		require.LessOrEqual(t, m.ChannelMessagesPosted, m.MessagesPosted)
		require.LessOrEqual(t, m.SlackCalls, m.TotalCalls)
		if *m.IsActive {
			active++
			require.True(t, m.IsActiveDesktop || m.IsActiveIOS || m.IsActiveAndroid, "an active day uses some client")
			if m.IsActiveIOS || m.IsActiveAndroid {
				devices++
			}
		} else {
			require.Equal(t, memberLineJS{EnterpriseID: m.EnterpriseID, TeamID: m.TeamID, Date: m.Date, UserID: m.UserID,
				Email: m.Email, EmployeeNumber: m.EmployeeNumber, IsGuest: m.IsGuest, IsBillableSeat: m.IsBillableSeat,
				IsActive: m.IsActive, DateClaimed: m.DateClaimed}, m, "inactive: no activity flags, zero counts")
		}
		if *m.IsGuest {
			guests++
		}
	}
	require.Greater(t, active, len(lines)/4)
	require.Greater(t, guests, 0)
	require.Greater(t, devices, 0)
	for _, u := range o.Users {
		_, listed := byID[u.ID]
		require.Equal(t, o.InMemberAnalytics(u, date), listed, "%s", u.ID)
	}
	// Every deactivated person who used Slack is in the file of their last active day.
	for _, u := range o.Users {
		if u.Deleted && !u.LastActive.IsZero() && u.LastActive.After(o.Now.AddDate(0, 0, -30)) {
			require.True(t, o.InMemberAnalytics(u, u.LastActive))
		}
	}
}

// TestActiveOnModel checks the day-by-day model against each Activity.
func TestActiveOnModel(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{Seed: 21, Users: 3000})
	today := o.Now.Truncate(24 * time.Hour)
	perWeek := map[slacktest.Activity][2]int{} // active days, weeks observed
	for _, u := range o.Users {
		if u.LastActive.IsZero() {
			for d := range 120 {
				require.False(t, o.ActiveOn(u, today.AddDate(0, 0, -d)))
			}
			continue
		}
		last := u.LastActive.Truncate(24 * time.Hour)
		require.True(t, o.ActiveOn(u, u.LastActive), "the LastActive day is active")
		require.False(t, o.ActiveOn(u, last.AddDate(0, 0, 1)), "nothing after LastActive")
		require.False(t, o.ActiveOn(u, u.Created.Truncate(24*time.Hour).AddDate(0, 0, -1)), "nothing before Created")
		if u.Activity == slacktest.ActivityDormant {
			for d := range 28 {
				require.False(t, o.ActiveOn(u, today.AddDate(0, 0, -d)), "dormant: nothing in the last 28 days")
			}
			require.Less(t, u.LastActive.Unix(), o.Now.AddDate(0, 0, -28).Unix())
		}
		// Count active days in the 8 full weeks before LastActive.
		if last.Sub(u.Created) < 60*24*time.Hour {
			continue
		}
		n := 0
		for d := 1; d <= 56; d++ {
			if o.ActiveOn(u, last.AddDate(0, 0, -d)) {
				n++
			}
		}
		w := perWeek[u.Activity]
		perWeek[u.Activity] = [2]int{w[0] + n, w[1] + 8}
	}
	rate := func(a slacktest.Activity) float64 { w := perWeek[a]; return float64(w[0]) / float64(w[1]) }
	t.Logf("active days a week: daily %.2f weekly %.2f monthly %.2f dormant %.2f", rate(slacktest.ActivityDaily), rate(slacktest.ActivityWeekly), rate(slacktest.ActivityMonthly), rate(slacktest.ActivityDormant))
	require.InDelta(t, 5.5, rate(slacktest.ActivityDaily), 0.5, "daily: 5–6 days a week")
	require.InDelta(t, 2.0, rate(slacktest.ActivityWeekly), 0.8, "weekly: 1–3 days a week")
	require.InDelta(t, 0.7, rate(slacktest.ActivityMonthly), 0.4, "monthly: a few days a month")
	require.Greater(t, rate(slacktest.ActivityDormant), 0.3, "dormant people used Slack before")

	// Deterministic.
	o2 := slacktest.NewOrg(slacktest.Config{Seed: 21, Users: 3000})
	for i, u := range o.Users[:200] {
		for d := range 60 {
			day := today.AddDate(0, 0, -d)
			require.Equal(t, o.ActiveOn(u, day), o2.ActiveOn(o2.Users[i], day))
		}
	}
}

func TestAnalyticsErrors(t *testing.T) {
	srv, tok := newGrid(t, 100, 2)
	o := srv.Org()
	p := func(kv ...string) response {
		return call(t, srv, "admin.analytics.getFile", form(append([]string{"token", tok.Value}, kv...)...))
	}
	day := func(d int) string { return o.Now.AddDate(0, 0, d).Format(time.DateOnly) }
	requireError(t, p("type", "member", "date", day(0)), "file_not_yet_available")
	requireError(t, p("type", "member", "date", day(-1)), "file_not_yet_available")
	requireError(t, p("type", "member", "date", day(5)), "file_not_yet_available")
	require.NotEmpty(t, getFile(t, srv, tok.Value, day(-2)))
	require.NotEmpty(t, getFile(t, srv, tok.Value, day(-400)))
	requireError(t, p("type", "member", "date", day(-401)), "data_not_available")
	first, last := o.AnalyticsRange()
	require.Equal(t, day(-400), first.Format(time.DateOnly))
	require.Equal(t, day(-2), last.Format(time.DateOnly))

	for _, bad := range []string{"", "2026-13-01", "2026-11-1", "20261101", "2026-11-01T00:00:00Z", "yesterday"} {
		requireError(t, p("type", "member", "date", bad), "invalid_date")
	}
	requireError(t, p("type", "channels", "date", day(-3)), "invalid_type")
	requireError(t, p("type", "public_channel", "date", day(-3)), "invalid_type")
	requireError(t, p("date", day(-3)), "invalid_arguments")
	requireError(t, p("type", "public_channel", "metadata_only", "true", "date", day(-3)), "metadata_only_does_not_support_date")

	// A recent upgrade: data starts at AnalyticsStart.
	up := slacktest.NewOrg(slacktest.Config{Seed: 3, Users: 50, Plan: slacktest.PlanEnterprise,
		AnalyticsStart: time.Date(2026, 10, 1, 15, 0, 0, 0, time.UTC)})
	upTok := up.OrgToken("admin.analytics:read")
	usrv := slacktest.NewServer(up, slacktest.WithToken(upTok))
	t.Cleanup(usrv.Close)
	requireError(t, call(t, usrv, "admin.analytics.getFile", form("token", upTok.Value, "type", "member", "date", "2026-09-30")), "data_not_available")
	require.NotEmpty(t, getFile(t, usrv, upTok.Value, "2026-10-01"))
}

// TestAnalyticsLastActive checks that each person's last active day in the
// files is the day of LastActive and of their newest sign-in.
func TestAnalyticsLastActive(t *testing.T) {
	srv, tok := newGrid(t, 300, 1)
	o := srv.Org()
	lastSeen := map[string]string{}
	for d := 20; d >= 2; d-- {
		date := o.Now.AddDate(0, 0, -d).Format(time.DateOnly)
		for _, m := range getFile(t, srv, tok.Value, date) {
			if *m.IsActive {
				lastSeen[m.UserID] = m.Date
			}
		}
	}
	newestLogin := map[string]int64{}
	for _, l := range o.AccessLogs(o.Teams[0].ID) {
		newestLogin[l.UserID] = max(newestLogin[l.UserID], l.DateLast)
	}
	checked := 0
	for _, u := range o.Users {
		if u.LastActive.IsZero() || u.LastActive.After(o.Now.AddDate(0, 0, -2).Truncate(24*time.Hour)) ||
			u.LastActive.Before(o.Now.AddDate(0, 0, -20)) {
			continue
		}
		require.Equal(t, u.LastActive.Format(time.DateOnly), lastSeen[u.ID], "%s %s", u.ID, u.Activity)
		require.Equal(t, u.LastActive.Unix(), newestLogin[u.ID])
		checked++
	}
	require.Greater(t, checked, 10)
}
