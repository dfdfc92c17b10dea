package slackapi

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// UsersPageSize is the largest page users.list allows.
const UsersPageSize = 1000

// User is one account of users.list.
type User struct {
	ID string
	// TeamID is the workspace the account is listed in: the one asked
	// for, else the account's own team_id.
	TeamID string
	Name   string // the handle
	// RealName is real_name, else profile.real_name.
	RealName                                 string
	DisplayName, Email, Title                string // from the profile
	TZ                                       string
	EnterpriseID                             string // enterprise_user.enterprise_id (Enterprise Grid)
	IsAdmin, IsOwner, IsPrimaryOwner         bool
	IsRestricted, IsUltraRestricted          bool // multi- and single-channel guests
	IsBot, IsAppUser, IsInvitedUser, Deleted bool
	Has2FA, Has2FAKnown                      bool  // has_2fa is shown to admins only
	Updated                                  int64 // the profile's last change, Unix seconds; 0 when absent
}

// ListUsers says which users.list to read.
type ListUsers struct {
	TeamID string
	// MustList is a user the list must include: the token's own (auth.test
	// user_id). When set, an empty list or one without that user fails, as
	// it cannot be the workspace's whole membership.
	MustList string
	PageSize int // UsersPageSize when zero (tests use smaller pages)
}

// Users reads every account users.list returns for one workspace, each
// once, at the largest page size, paced against that workspace's limits.
// The sequence ends after the first error.
func (c *Client) Users(ctx context.Context, o ListUsers) iter.Seq2[User, error] {
	return func(yield func(User, error) bool) {
		ctx := withTeam(ctx, o.TeamID)
		size := o.PageSize
		if size <= 0 {
			size = UsersPageSize
		}
		pg := newPager(c, usersList, o.TeamID, url.Values{"limit": {strconv.Itoa(size)}, "team_id": {o.TeamID}},
			func(d *dedup, u *User) uint64 { return d.key(o.team(u), u.ID) })
		listed, own := 0, false
		err := pg.byCursor(ctx, func(u *User) error {
			listed++
			own = own || u.ID == o.MustList
			u.TeamID = o.team(u)
			return yielded(yield(*u, nil))
		})
		if err == nil {
			err = o.plausible(listed, own)
		}
		finish(yield, err)
	}
}

// team is the workspace a member is listed in: the one asked for, else
// the member's own.
func (o ListUsers) team(u *User) string {
	if o.TeamID != "" {
		return o.TeamID
	}
	return u.TeamID
}

// plausible fails a list that cannot be the workspace's membership.
func (o ListUsers) plausible(listed int, own bool) error {
	return mustList{method: "users.list", team: o.TeamID, of: "workspace", noun: "account", user: o.MustList}.check(listed, own)
}

// userFlags are users.list's flags, by key.
var userFlags = map[string]func(*User) *bool{
	"is_admin":            func(u *User) *bool { return &u.IsAdmin },
	"is_owner":            func(u *User) *bool { return &u.IsOwner },
	"is_primary_owner":    func(u *User) *bool { return &u.IsPrimaryOwner },
	"is_restricted":       func(u *User) *bool { return &u.IsRestricted },
	"is_ultra_restricted": func(u *User) *bool { return &u.IsUltraRestricted },
	"is_bot":              func(u *User) *bool { return &u.IsBot },
	"is_app_user":         func(u *User) *bool { return &u.IsAppUser },
	"is_invited_user":     func(u *User) *bool { return &u.IsInvitedUser },
	"deleted":             func(u *User) *bool { return &u.Deleted },
}

// usersList decodes users.list pages.
var usersList = listSpec[User]{method: "users.list", field: "members", idKey: "id", item: readUser}

// decodeUsersPage decodes one users.list answer.
func decodeUsersPage(body []byte) (page[User], error) { return usersList.decode(body) }

func readUser(p *flatObject, _ string, u *User) error {
	var profileName string
	err := p.object(func(key []byte) (err error) {
		switch string(key) {
		case "id":
			u.ID, err = p.text()
		case "team_id":
			u.TeamID, err = p.text()
		case "name":
			u.Name, err = p.text()
		case "real_name":
			u.RealName, err = p.text()
		case "tz":
			u.TZ, err = p.text()
		case "has_2fa":
			u.Has2FA, u.Has2FAKnown, err = p.flag()
		case "updated":
			u.Updated, err = p.unix()
		case "profile":
			err = p.object(func(key []byte) error { return readProfile(p, key, u, &profileName) })
		case "enterprise_user":
			err = p.object(func(key []byte) error { return readEnterpriseUser(p, key, u) })
		default:
			err = readFlag(p, userFlags, key, u)
		}
		return err
	})
	if u.RealName == "" {
		u.RealName = profileName
	}
	if err == nil && u.ID == "" {
		return missing("id")
	}
	return err
}

func readProfile(p *flatObject, key []byte, u *User, realName *string) (err error) {
	switch string(key) {
	case "real_name":
		*realName, err = p.text()
	case "display_name":
		u.DisplayName, err = p.text()
	case "email":
		u.Email, err = p.text()
	case "title":
		u.Title, err = p.text()
	default:
		err = p.skip()
	}
	return err
}

func readEnterpriseUser(p *flatObject, key []byte, u *User) (err error) {
	if string(key) != "enterprise_id" {
		return p.skip()
	}
	u.EnterpriseID, err = p.text()
	return err
}

// readFlag reads key into the flag flags names for it, or skips a key
// that is not one.
func readFlag[T any](p *flatObject, flags map[string]func(*T) *bool, key []byte, it *T) (err error) {
	f, ok := flags[string(key)]
	if !ok {
		return p.skip()
	}
	*f(it), _, err = p.flag()
	return err
}
