package slacktest

// Account facts that only the Grid admin methods and analytics report,
// derived from the user's seed so that nothing is stored.

// EmployeeNumber is u's enterprise_employee_number in the member analytics
// files: a 6–9 digit string for about 80% of people, "" for the rest and
// for accounts that are not people.
func (u *User) EmployeeNumber() string {
	var buf [9]byte
	return string(appendEmployeeNumber(buf[:0], u))
}

// appendEmployeeNumber appends EmployeeNumber without allocating.
func appendEmployeeNumber(dst []byte, u *User) []byte {
	if !u.IsHuman() {
		return dst
	}
	h := mix64(u.seed ^ saltProfile)
	if h%5 == 0 {
		return dst
	}
	digits := 6 + int(h>>8%4)
	n := (h >> 16) % 1_000_000_000
	var d [9]byte
	for i := 8; i >= 0; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return append(dst, d[9-digits:]...)
}

// HasSSO is admin.users.list has_sso: most people sign in through the org's
// identity provider; bots and app users never do.
func (u *User) HasSSO() bool {
	return u.IsHuman() && mix64(u.seed^saltProfile^1)%100 < 75
}

// guestExpiration is admin.users.list expiration_ts: about 40% of guests
// have an expiry 1–180 days after now (Unix seconds); 0 for everyone else.
// A guest invited through admin.users.invite has the guest_expiration_ts
// of the invitation, or none.
func (u *User) guestExpiration(now int64) int64 {
	if !u.IsRestricted || u.Deleted || u.expires < 0 {
		return 0
	}
	if u.expires > 0 {
		return u.expires
	}
	h := mix64(u.seed ^ saltProfile ^ 2)
	if h%100 >= 40 {
		return 0
	}
	return (dayOf(now)+1+int64(h>>8%180))*day + 23*3600 + 59*60 + 59
}

// Role IDs admin.users.list reports in roles (opaque to clients).
const (
	roleOrgOwner = "Rl0A"
	roleOrgAdmin = "Rl0B"
)

// roles are admin.users.list roles: owners hold both IDs, admins one.
func (u *User) roles() []string {
	switch {
	case u.IsOwner:
		return []string{roleOrgOwner, roleOrgAdmin}
	case u.IsAdmin:
		return []string{roleOrgAdmin}
	}
	return nil
}
