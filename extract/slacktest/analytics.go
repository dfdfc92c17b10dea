package slacktest

import "time"

// MemberAnalytics is one line of an admin.analytics.getFile type=member
// file: one person on one UTC day. The JSON keys are the snake_case of
// Slack's documentation (see writeMemberLine).
type MemberAnalytics struct {
	EnterpriseID   string // enterprise_id
	TeamID         string // team_id: the person's home workspace
	Date           string // date: YYYY-MM-DD
	UserID         string // user_id
	Email          string // email_address
	EmployeeNumber string // enterprise_employee_number; often ""

	IsGuest              bool // is_guest: multi- or single-channel guest
	IsBillableSeat       bool // is_billable_seat: false for single-channel guests only
	IsActive             bool // is_active: ActiveOn
	IsActiveIOS          bool // is_active_ios
	IsActiveAndroid      bool // is_active_android
	IsActiveDesktop      bool // is_active_desktop: the desktop app or a browser
	IsActiveApps         bool // is_active_apps
	IsActiveWorkflows    bool // is_active_workflows
	IsActiveSlackConnect bool // is_active_slack_connect

	ReactionsAdded        int // reactions_added_count
	MessagesPosted        int // messages_posted_count
	ChannelMessagesPosted int // channel_messages_posted_count (≤ MessagesPosted)
	FilesAdded            int // files_added_count
	TotalCalls            int // total_calls_count
	SlackCalls            int // slack_calls_count (≤ TotalCalls)
	Huddles               int // slack_huddles_count
	Searches              int // search_count

	DateClaimed int64 // date_claimed: when the account was created (Unix seconds)
}

// MemberAnalyticsLine returns u's line in the member analytics file of the
// UTC day containing on, exactly as the server writes it, and false when u
// has no line that day (see InMemberAnalytics). It does not check that a
// file exists for the day (AnalyticsRange). On days u is not active every
// is_active* flag is false and every count is 0; on active days at least
// one of is_active_desktop, is_active_ios and is_active_android is true,
// matching the devices of u's sign-in rows.
func (o *Org) MemberAnalyticsLine(u *User, on time.Time) (MemberAnalytics, bool) {
	var m MemberAnalytics
	d := dayOf(on.Unix())
	if !memberOn(u, d) {
		return m, false
	}
	o.memberLine(u, d, time.Unix(d*day, 0).UTC().Format(time.DateOnly), &m)
	m.EmployeeNumber = u.EmployeeNumber()
	return m, true
}

// memberLine fills m with u's line for UTC day d (date is d formatted),
// all but EmployeeNumber, which writeMemberLine takes from u.
func (o *Org) memberLine(u *User, d int64, date string, m *MemberAnalytics) {
	*m = MemberAnalytics{
		EnterpriseID:   o.EnterpriseID,
		TeamID:         u.TeamID,
		Date:           date,
		UserID:         u.ID,
		Email:          u.Email,
		IsGuest:        u.IsRestricted,
		IsBillableSeat: !u.IsUltraRestricted,
		IsActive:       activeDay(u, d),
		DateClaimed:    u.Created.Unix(),
	}
	if !m.IsActive {
		return
	}
	var devs [maxLoginsPerUser]device
	n := loginDevices(u, &devs)
	r := rng{s: mix64(u.seed ^ saltUsage ^ mix64(uint64(d)))}
	for k := range n {
		if k > 0 && r.below(100) >= 40 {
			continue // the primary device is used on every active day
		}
		switch devs[k] {
		case devDesktop, devWeb:
			m.IsActiveDesktop = true
		case devIOS:
			m.IsActiveIOS = true
		case devAndroid:
			m.IsActiveAndroid = true
		}
	}
	scale := 8
	switch u.rhythm() {
	case ActivityDaily:
		scale = 60
	case ActivityWeekly:
		scale = 25
	}
	m.MessagesPosted = r.below(scale + 1)
	m.ChannelMessagesPosted = m.MessagesPosted * r.below(101) / 100
	m.ReactionsAdded = r.below(scale/3 + 1)
	m.FilesAdded = r.below(4) * r.below(2)
	m.TotalCalls = r.below(3) * r.below(2)
	m.SlackCalls = r.below(m.TotalCalls + 1)
	m.Huddles = r.below(3) * r.below(2)
	m.Searches = r.below(scale/4 + 1)
	m.IsActiveApps = r.below(100) < 30
	m.IsActiveWorkflows = r.below(100) < 12
	m.IsActiveSlackConnect = r.below(100) < 15
}

// writeMemberLine writes u's line m as one JSON object, keys in the order
// of Slack's documented example.
func writeMemberLine(e *encoder, u *User, m *MemberAnalytics) {
	e.raw(`{"enterprise_id":`)
	e.str(m.EnterpriseID)
	e.raw(`,"team_id":`)
	e.str(m.TeamID)
	e.raw(`,"date":`)
	e.str(m.Date)
	e.raw(`,"user_id":`)
	e.str(m.UserID)
	e.raw(`,"email_address":`)
	e.str(m.Email)
	e.raw(`,"enterprise_employee_number":"`)
	e.b = appendEmployeeNumber(e.b, u)
	e.byte('"')
	e.raw(`,"is_guest":`)
	e.bool(m.IsGuest)
	e.raw(`,"is_billable_seat":`)
	e.bool(m.IsBillableSeat)
	e.raw(`,"is_active":`)
	e.bool(m.IsActive)
	e.raw(`,"is_active_ios":`)
	e.bool(m.IsActiveIOS)
	e.raw(`,"is_active_android":`)
	e.bool(m.IsActiveAndroid)
	e.raw(`,"is_active_desktop":`)
	e.bool(m.IsActiveDesktop)
	e.raw(`,"reactions_added_count":`)
	e.int(int64(m.ReactionsAdded))
	e.raw(`,"messages_posted_count":`)
	e.int(int64(m.MessagesPosted))
	e.raw(`,"channel_messages_posted_count":`)
	e.int(int64(m.ChannelMessagesPosted))
	e.raw(`,"files_added_count":`)
	e.int(int64(m.FilesAdded))
	e.raw(`,"is_active_apps":`)
	e.bool(m.IsActiveApps)
	e.raw(`,"is_active_workflows":`)
	e.bool(m.IsActiveWorkflows)
	e.raw(`,"is_active_slack_connect":`)
	e.bool(m.IsActiveSlackConnect)
	e.raw(`,"total_calls_count":`)
	e.int(int64(m.TotalCalls))
	e.raw(`,"slack_calls_count":`)
	e.int(int64(m.SlackCalls))
	e.raw(`,"slack_huddles_count":`)
	e.int(int64(m.Huddles))
	e.raw(`,"search_count":`)
	e.int(int64(m.Searches))
	e.raw(`,"date_claimed":`)
	e.int(m.DateClaimed)
	e.byte('}')
}
