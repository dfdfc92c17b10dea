package slacktest

import "strconv"

// Sign-in rows (team.accessLogs). Each row sums up one combination of
// user, IP address and user agent. Rows are a pure function of the user
// (seed, Activity, Created, LastActive) and the org's clock. What is kept
// per row is one packed key per workspace, in Slack's order (loginIndex,
// built on a workspace's first listing); a page is a binary search plus
// the page's rows.

// device is the kind of client a sign-in row comes from.
type device uint8

const (
	devDesktop device = iota // the desktop app
	devWeb                   // a browser
	devIOS                   // iPhone or iPad app
	devAndroid               // Android app
)

const (
	// maxLoginsPerUser is the most sign-in rows one person has.
	maxLoginsPerUser = 4
	// loginHistoryDays is how far back sign-in rows start.
	loginHistoryDays = 400
	// ssoCutoverDaysAgo dates an SSO cut-over: at ssoCutoverHour UTC that
	// day every session ends, and people active that day may have rows
	// first seen in the sign-in storm that follows (see loginClock), so
	// clients meet many equal date_first values, across page boundaries.
	ssoCutoverDaysAgo = 45
	ssoCutoverHour    = 15
	// cutoverAccountsPerSecond sizes the storm: the identity provider lets
	// the accounts of an org back in at about this many a second (about a
	// tenth of them have a row first seen in the storm, so some 200 rows
	// share each of its seconds). An org of up to this many accounts signs
	// back in within one second.
	cutoverAccountsPerSecond = 2000
	// maxCutoverSeconds bounds the storm to the afternoon of the cut-over.
	maxCutoverSeconds = 8 * 3600
)

// loginClock is what placing sign-in rows in time needs besides the user:
// the org's clock and its SSO cut-over.
type loginClock struct {
	nowDay  int64 // UTC day number of the org's clock
	cutDay  int64 // UTC day number of the cut-over
	cutAt   int64 // the cut-over (Unix seconds): the storm's first second
	cutSecs int64 // the storm's length in seconds, at least 1
}

// loginClock returns the org's loginClock. The storm's length follows the
// configured size of the org, so rows sharing one second stay about the
// same in number (some 200) however large the org: a client restarting
// at Slack's 100-page cap with before re-reads at most one page.
func (o *Org) loginClock() loginClock {
	c := loginClock{nowDay: dayOf(o.Now.Unix())}
	c.cutDay = c.nowDay - ssoCutoverDaysAgo
	c.cutAt = c.cutDay*day + ssoCutoverHour*3600
	c.cutSecs = min(1+int64(max(o.Config.Users-1, 0))/cutoverAccountsPerSecond, maxCutoverSeconds)
	return c
}

// cutover is when row k of u signs back in after the cut-over: a second
// of the storm drawn from a hash of its own, so that the storm's length
// moves no other random choice.
func (c *loginClock) cutover(u *User, k int) int64 {
	return c.cutAt + int64(mix64(u.seed^saltCutover^uint64(k))%uint64(c.cutSecs))
}

// AccessLog is one team.accessLogs row as the server sends it.
type AccessLog struct {
	UserID, Username string
	IP, UserAgent    string
	// ISP, Country and Region are nil where Slack sends JSON null (about
	// 6%, 3% and 10% of rows; Region is null whenever Country is).
	ISP, Country, Region *string
	Count                int
	DateFirst, DateLast  int64 // Unix seconds
}

// loginRow is the part of a sign-in row that ordering and paging need.
type loginRow struct {
	first, last, count int64
	dev                device
}

// loginDevices sets the device of each of u's sign-in rows and returns how
// many rows u has: none for people who never signed in (and for bots,
// app users and Slackbot), 1–4 otherwise. Row 0 is the device u used last.
func loginDevices(u *User, devs *[maxLoginsPerUser]device) int {
	if u.LastActive.IsZero() || !u.IsHuman() {
		return 0
	}
	r := rng{s: mix64(u.seed ^ saltDevices)}
	var n int
	switch u.Activity {
	case ActivityDaily:
		n = 2 + r.below(3)
	case ActivityWeekly:
		n = 1 + r.below(3)
	case ActivityMonthly:
		n = 1 + r.below(2)
	default:
		n = 1 + r.below(3)
	}
	for k := range n {
		switch x := r.below(100); {
		case x < 45:
			devs[k] = devDesktop
		case x < 65:
			devs[k] = devWeb
		case x < 85:
			devs[k] = devIOS
		default:
			devs[k] = devAndroid
		}
	}
	return n
}

// userLogins fills out with u's sign-in rows and returns how many there
// are. Every date_first and date_last falls on a UTC day u is active
// (activeDay); row 0 ends exactly at LastActive and no row ends later; no
// row starts before Created or more than loginHistoryDays before the
// clock's day.
func userLogins(u *User, clk *loginClock, out *[maxLoginsPerUser]loginRow) int {
	var devs [maxLoginsPerUser]device
	n := loginDevices(u, &devs)
	if n == 0 {
		return 0
	}
	lastActive, created := u.LastActive.Unix(), u.Created.Unix()
	ld := dayOf(lastActive)
	lo := min(max(dayOf(created), clk.nowDay-loginHistoryDays), ld)
	cutDay := clk.cutDay
	act := activityOf(u)
	wd := act.weekday
	r := rng{s: mix64(u.seed ^ saltLogins)}
	for k := range n {
		row := &out[k]
		row.dev = devs[k]
		lastDay, last := ld, lastActive
		if k > 0 {
			var back int64
			switch x := r.below(10); {
			case x < 6:
				back = r.below64(4)
			case x < 9:
				back = r.below64(60)
			default:
				back = r.below64(ld - lo + 1)
			}
			if d, ok := act.atOrBefore(ld-back, lo); ok {
				lastDay = d
			}
			last = min(lastActive, lastDay*day+r.below64(day))
		}
		last = max(last, created)

		var span int64
		if r.below(100) < 35 {
			span = r.below64(7)
		} else {
			span = r.below64(lastDay - lo + 1)
		}
		firstDay := lastDay
		if d, ok := act.atOrBefore(lastDay-span, lo); ok {
			firstDay = d
		}
		var first int64
		if firstDay == lastDay {
			base := lastDay * day
			first = base + r.below64(last-base+1)
		} else {
			first = firstDay*day + r.below64(day)
		}
		first = min(max(first, created), last)
		if at := clk.cutover(u, k); firstDay < cutDay && cutDay <= lastDay && at <= last && at >= created &&
			r.below(6) == 0 && act.on(cutDay) {
			first, firstDay = at, cutDay
		}

		switch {
		case first == last:
			row.count = 1
		default:
			days := lastDay - firstDay
			est := days * int64(wd) / 1400 // roughly the active days in between
			row.count = 2 + r.below64(est*2+1)
		}
		row.first, row.last = first, last
	}
	return n
}

// loginDetail is the descriptive part of a sign-in row.
type loginDetail struct {
	ip, agent                  string
	isp, country, region       string
	noISP, noCountry, noRegion bool
}

// loginDetails derives row k's IP address, user agent and location. IPs
// are unique per user (the last IPv4 octet or IPv6 group carries k); about
// one row in five is IPv6; one in twenty-five is abroad (travel).
func loginDetails(u *User, k int, dev device) loginDetail {
	r := rng{s: mix64(u.seed ^ saltDetail ^ mix64(uint64(k)+1))}
	z := int(u.tz)
	if z >= len(tzGeo) {
		z = 0
	}
	if r.below(25) == 0 {
		z = r.below(len(tzGeo))
	}
	g := &tzGeo[z]
	p := &g.isps[r.below(len(g.isps))]
	var d loginDetail
	var buf [64]byte
	b := buf[:0]
	if r.below(5) == 0 {
		b = append(b, p.v6...)
		for range 2 {
			b = append(b, ':')
			b = strconv.AppendUint(b, r.next()&0xffff, 16)
		}
		b = append(b, "::"...)
		b = strconv.AppendUint(b, r.next()&0xffff, 16)
		b = append(b, ':')
		b = strconv.AppendUint(b, (r.next()&0xfff)<<4|uint64(k), 16)
	} else {
		b = strconv.AppendUint(b, uint64(p.v4), 10)
		for range 2 {
			b = append(b, '.')
			b = strconv.AppendUint(b, r.next()%256, 10)
		}
		b = append(b, '.')
		b = strconv.AppendUint(b, (r.next()%62)*4+uint64(k)+1, 10)
	}
	d.ip = string(b)
	agents := userAgents[dev]
	d.agent = agents[r.below(len(agents))]
	d.isp, d.country, d.region = p.name, g.country, g.region
	d.noISP = r.below(100) < 6
	d.noCountry = r.below(100) < 3
	d.noRegion = d.noCountry || r.below(100) < 7
	return d
}

// loginRef names one sign-in row: its date_first, the user's index in
// Org.Users and the row's index among the user's rows.
type loginRef struct {
	first int64
	ui    int32
	k     uint8
}

// login returns the full row a ref names.
func (o *Org) login(ref loginRef) (*User, loginRow, loginDetail) {
	u := o.Users[ref.ui]
	var rows [maxLoginsPerUser]loginRow
	clk := o.loginClock()
	userLogins(u, &clk, &rows)
	row := rows[ref.k]
	return u, row, loginDetails(u, int(ref.k), row.dev)
}

// AccessLogs returns every team.accessLogs row of the workspace teamID in
// the order the server sends them: date_first descending, ties by user ID
// ascending, then by the row's index among the user's rows (a fixed
// order). It is nil for an unknown workspace. A Grid member's rows appear in
// every workspace they belong to (sign-in is org-wide).
//
// The rows: one per (user, IP address, user agent); 1–4 per person who has
// ever been active (none for ActivityNever accounts, bots, app users and
// Slackbot; deactivated people keep their old rows). Every date_first and
// date_last is on a UTC day ActiveOn reports; each person's newest
// date_last is exactly their LastActive, so daily users have rows ending in
// the last two days and dormant ones only rows ending 29+ days ago.
// date_first reaches back about 400 days. Many rows share one date_first
// (an SSO cut-over 45 days before Now at 15:00 UTC, after which people sign
// back in at about 200 rows a second), so pages and restarts meet ties. This materialises the whole list: use it in tests only.
func (o *Org) AccessLogs(teamID string) []AccessLog {
	if o.Team(teamID) == nil {
		return nil
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	refs, _ := o.selectLogins(teamID, o.Now.Unix(), nil, 0, len(o.Users)*maxLoginsPerUser)
	out := make([]AccessLog, len(refs))
	for i, ref := range refs {
		u, row, d := o.login(ref)
		l := &out[i]
		l.UserID, l.Username, l.IP, l.UserAgent = u.ID, u.Name, d.ip, d.agent
		if !d.noISP {
			l.ISP = &d.isp
		}
		if !d.noCountry {
			l.Country = &d.country
		}
		if !d.noRegion {
			l.Region = &d.region
		}
		l.Count, l.DateFirst, l.DateLast = int(row.count), row.first, row.last
	}
	return out
}
