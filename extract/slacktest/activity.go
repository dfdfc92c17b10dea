package slacktest

import "time"

// This file is the day-by-day activity model every usage data set derives
// from: the member analytics files (admin.analytics.getFile), the sign-in
// rows (team.accessLogs) and last_active_ts (admin.users.list). A user is
// active on a UTC day or not, decided by a hash of (user, day), so nothing
// per day is stored and every data set agrees.

// Salts separating the hash streams derived from a user's seed.
const (
	saltActive  = 0x6163746976652d64 // active on a day
	saltRhythm  = 0x72687974686d2d72 // the rhythm behind a dormant account
	saltDevices = 0x646576696365732d // sign-in devices
	saltLogins  = 0x6c6f67696e732d74 // sign-in row times
	saltDetail  = 0x64657461696c2d69 // sign-in row IP, agent, ISP
	saltCutover = 0x6375746f7665722d // second of the SSO cut-over storm a row signs back in
	saltUsage   = 0x75736167652d6461 // analytics counters on a day
	saltProfile = 0x70726f66696c652d // employee number, SSO, guest expiry
)

// dayOf is the UTC day number (days since 1970-01-01) of a Unix time.
func dayOf(unix int64) int64 {
	d := unix / day
	if unix%day < 0 {
		d--
	}
	return d
}

// weekend reports whether UTC day number d is a Saturday or a Sunday
// (day 0, 1970-01-01, was a Thursday).
func weekend(d int64) bool {
	wd := ((d+4)%7 + 7) % 7 // 0 = Sunday
	return wd == 0 || wd == 6
}

// rhythm is the usage pattern behind u's Activity: daily, weekly or monthly
// for people who use (or, when dormant, used) Slack; never otherwise. A
// dormant account keeps the rhythm it had before it went quiet.
func (u *User) rhythm() Activity {
	switch u.Activity {
	case ActivityDaily, ActivityWeekly, ActivityMonthly:
		return u.Activity
	case ActivityDormant:
		switch h := mix64(u.seed^saltRhythm) % 100; {
		case h < 35:
			return ActivityDaily
		case h < 75:
			return ActivityWeekly
		default:
			return ActivityMonthly
		}
	}
	return ActivityNever
}

// activeOdds is the chance, per mille, that a person with rhythm a is
// active on a weekday and on a weekend day: daily ≈ 5.4 days a week,
// weekly ≈ 2, monthly ≈ 3 a month.
func activeOdds(a Activity) (weekday, weekendDay uint64) {
	switch a {
	case ActivityDaily:
		return 960, 300
	case ActivityWeekly:
		return 370, 50
	case ActivityMonthly:
		return 120, 20
	}
	return 0, 0
}

// activity is what deciding u's active days needs, computed once so that
// walking day by day costs one hash per day.
type activity struct {
	seed             uint64
	created, last    int64 // UTC day numbers; last < 0: never active
	weekday, weekend uint64
}

func activityOf(u *User) activity {
	if u.LastActive.IsZero() {
		return activity{last: -1 << 62}
	}
	a := activity{
		seed:    u.seed ^ saltActive,
		created: dayOf(u.Created.Unix()),
		last:    dayOf(u.LastActive.Unix()),
	}
	a.weekday, a.weekend = activeOdds(u.rhythm())
	return a
}

// on reports whether the person is active on UTC day number d.
func (a *activity) on(d int64) bool {
	switch {
	case d > a.last:
		return false
	case d == a.last:
		return true
	case d < a.created:
		return false
	}
	odds := a.weekday
	if weekend(d) {
		odds = a.weekend
	}
	return mix64(a.seed+uint64(d)*0x9e3779b97f4a7c15)%1000 < odds
}

// atOrBefore returns the latest active day ≤ d and ≥ lo, looking back at
// most 45 days; ok is false when none is found.
func (a *activity) atOrBefore(d, lo int64) (int64, bool) {
	for i := 0; i < 45 && d >= lo; i, d = i+1, d-1 {
		if a.on(d) {
			return d, true
		}
	}
	return 0, false
}

// activeDay reports whether u used Slack on UTC day number d. Never after
// the day of LastActive, always on it, never before the day of Created,
// and in between by u's rhythm.
func activeDay(u *User, d int64) bool {
	a := activityOf(u)
	return a.on(d)
}

// ActiveOn reports whether u used Slack on the UTC day containing day: the
// is_active flag of u's line in that day's member analytics file. It is
// derived from u's Activity and LastActive and is the same model every data
// set uses:
//   - never before the UTC day of u.Created, never after the UTC day of
//     u.LastActive, and always on the day of u.LastActive;
//   - in between, by a per-(user, day) hash: daily users about 5–6 days a
//     week, weekly users 1–3, monthly users a few days a month; dormant
//     users (LastActive 29+ days ago) followed one of those rhythms before;
//   - ActivityNever (zero LastActive): never.
//
// Every team.accessLogs date_first and date_last falls on a day u is
// ActiveOn, and the newest date_last of u's sign-in rows is u.LastActive.
func (o *Org) ActiveOn(u *User, day time.Time) bool {
	return activeDay(u, dayOf(day.Unix()))
}

// deactivatedAt is when a deactivated account was deactivated (its profile
// was last changed then: Updated), or 0 for an active account.
func deactivatedAt(u *User) int64 {
	if !u.Deleted {
		return 0
	}
	return u.Updated.Unix()
}

// memberOn reports whether u has a line in the member analytics file of UTC
// day d: people only (no bots, app users, Slackbot or pending invitations),
// from the day the account was created to the day it was deactivated.
func memberOn(u *User, d int64) bool {
	if !u.IsHuman() || u.IsInvitedUser || d < dayOf(u.Created.Unix()) {
		return false
	}
	return !u.Deleted || d <= dayOf(deactivatedAt(u))
}

// InMemberAnalytics reports whether u has a line in the admin.analytics.getFile
// type=member file of the UTC day containing day: every person of the org
// (members, admins, owners, guests) from the UTC day of u.Created on; a
// deactivated person up to and including the UTC day of deactivation
// (u.Updated); never bots, app users, Slackbot or pending invitations
// (IsInvitedUser). Whether a file exists for the day at all is AnalyticsRange.
func (o *Org) InMemberAnalytics(u *User, day time.Time) bool {
	return memberOn(u, dayOf(day.Unix()))
}

// AnalyticsRange is the first and last UTC day (midnight) for which
// admin.analytics.getFile has a file: from Config.AnalyticsStart to two days
// before Now (today and yesterday answer file_not_yet_available).
func (o *Org) AnalyticsRange() (first, last time.Time) {
	lo, hi := o.analyticsDays()
	return time.Unix(lo*day, 0).UTC(), time.Unix(hi*day, 0).UTC()
}

// analyticsDays is AnalyticsRange as UTC day numbers.
func (o *Org) analyticsDays() (lo, hi int64) {
	now := dayOf(o.Now.Unix())
	lo = now - analyticsHistoryDays
	if !o.AnalyticsStart.IsZero() {
		lo = dayOf(o.AnalyticsStart.Unix())
	}
	return lo, now - 2
}

// analyticsHistoryDays is how far back member analytics go by default
// (Slack keeps a rolling 13 months).
const analyticsHistoryDays = 400
