package extract

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// UsersPageSize is the largest page users.list allows.
const UsersPageSize = 1000

// UsersSchema is the schema of the users table.
var UsersSchema = arrow.NewSchema([]arrow.Field{
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "user_id", Type: arrow.BinaryTypes.String},
	{Name: "name", Type: arrow.BinaryTypes.String},
	{Name: "real_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "display_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "title", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "tz", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "is_admin", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_owner", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_primary_owner", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_restricted", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_ultra_restricted", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_bot", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_app_user", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_invited_user", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "deleted", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "has_2fa", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "profile_updated_at", Type: Timestamp, Nullable: true},
	{Name: "enterprise_id", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// Users is the Source of the users table: every account users.list returns
// for one workspace, at the largest page size, each once.
type Users struct {
	Client *Client
	TeamID string
	// MustList is a user the list must include: the token's own (auth.test
	// user_id). When set, an empty list or one without that user fails, as
	// it cannot be the workspace's whole membership.
	MustList string
	// Alloc allocates the batches; memory.DefaultAllocator when nil.
	Alloc memory.Allocator
	// PageSize overrides UsersPageSize (tests).
	PageSize int
}

func (Users) Name() string          { return "users" }
func (Users) Table() string         { return "users" }
func (Users) Schema() *arrow.Schema { return UsersSchema }

// userRecord is one member of a users.list page.
type userRecord struct {
	ID, TeamID, Name, RealName, TZ                           string
	ProfileRealName, DisplayName, Email, Title, EnterpriseID string
	flags                                                    [9]bool // UsersSchema's is_admin … deleted
	has2FA, has2FAKnown                                      bool
	updated                                                  int64
}

// userFlags maps users.list's flags to userRecord.flags.
var userFlags = map[string]int{"is_admin": 0, "is_owner": 1, "is_primary_owner": 2, "is_restricted": 3,
	"is_ultra_restricted": 4, "is_bot": 5, "is_app_user": 6, "is_invited_user": 7, "deleted": 8}

// usersList decodes users.list pages.
var usersList = listSpec[userRecord]{method: "users.list", field: "members", idKey: "id", item: readUser}

// decodeUsersPage decodes one users.list answer.
func decodeUsersPage(body []byte) (page[userRecord], error) { return usersList.decode(body) }

func readUser(p *flatObject, _ string, u *userRecord) error {
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
			u.has2FA, u.has2FAKnown, err = p.flag()
		case "updated":
			u.updated, err = p.unix()
		case "profile":
			err = p.object(func(key []byte) error { return readProfile(p, key, u) })
		case "enterprise_user":
			err = p.object(func(key []byte) (err error) {
				if string(key) != "enterprise_id" {
					return p.skip()
				}
				u.EnterpriseID, err = p.text()
				return err
			})
		default:
			if i, ok := userFlags[string(key)]; ok {
				u.flags[i], _, err = p.flag()
			} else {
				err = p.skip()
			}
		}
		return err
	})
	if err == nil && u.ID == "" {
		return missing("id")
	}
	return err
}

func readProfile(p *flatObject, key []byte, u *userRecord) (err error) {
	switch string(key) {
	case "real_name":
		u.ProfileRealName, err = p.text()
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

func (s Users) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	ctx = withTeam(ctx, s.TeamID)
	size := s.PageSize
	if size <= 0 {
		size = UsersPageSize
	}
	b := newBatcher(s.Alloc, UsersSchema, emit)
	defer b.Release()
	rows := userRows{b: b}
	pg := newPager(s.Client, usersList, s.TeamID, url.Values{"limit": {strconv.Itoa(size)}, "team_id": {s.TeamID}},
		func(d *dedup, u *userRecord) uint64 { return d.key(s.team(u), u.ID) })
	listed, own := 0, false
	err := pg.byCursor(ctx, func(u *userRecord) error {
		listed++
		own = own || u.ID == s.MustList
		return rows.add(s.team(u), u)
	})
	if err != nil {
		return err
	}
	if err := s.plausible(listed, own); err != nil {
		return err
	}
	return b.Flush()
}

// team is the workspace a member is listed in: the one asked for, else
// the member's own.
func (s Users) team(u *userRecord) string {
	if s.TeamID != "" {
		return s.TeamID
	}
	return u.TeamID
}

// plausible fails a list that cannot be the workspace's membership.
func (s Users) plausible(listed int, own bool) error {
	return mustList{method: "users.list", team: s.TeamID, of: "workspace", noun: "account", user: s.MustList}.check(listed, own)
}

// mustList is a list that must include the token's own user (auth.test
// user_id): one that is empty, or does not, cannot be the whole
// workspace's or organisation's, and fails.
type mustList struct {
	method, team string
	of           string // "workspace" or "organisation"
	noun         string // what the list holds, singular: "account"
	user         string // the token's own user; "" checks nothing
}

// check fails a list of listed records that held the user (own) or not.
func (m mustList) check(listed int, own bool) error {
	switch {
	case m.user == "":
		return nil
	case listed == 0:
		return &Error{Method: m.method, TeamID: m.team, Kind: KindImplausible,
			Detail: fmt.Sprintf("Slack listed no %ss, yet the %s has at least the token's own user %s", m.noun, m.of, m.user)}
	case !own:
		return &Error{Method: m.method, TeamID: m.team, Kind: KindImplausible,
			Detail: fmt.Sprintf("Slack listed %s but not the token's own user %s, so the list is not the whole %s", plural(listed, m.noun), m.user, m.of)}
	}
	return nil
}

// userRows appends members to the users table's builders.
type userRows struct{ b *batcher }

func (r userRows) add(team string, u *userRecord) error {
	b := r.b
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	str(0).Append(team)
	str(1).Append(u.ID)
	str(2).Append(u.Name)
	rn := u.RealName
	if rn == "" {
		rn = u.ProfileRealName
	}
	appendString(str(3), rn)
	appendString(str(4), u.DisplayName)
	appendString(str(5), u.Email)
	appendString(str(6), u.Title)
	appendString(str(7), u.TZ)
	for j, v := range u.flags {
		b.Field(8 + j).(*array.BooleanBuilder).Append(v)
	}
	if has2FA := b.Field(17).(*array.BooleanBuilder); u.has2FAKnown {
		has2FA.Append(u.has2FA)
	} else {
		has2FA.AppendNull()
	}
	appendTime(b.Field(18).(*array.TimestampBuilder), u.updated)
	appendString(str(19), u.EnterpriseID)
	return b.Row()
}
