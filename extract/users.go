package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/slack-go/slack"
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
// for one workspace, read with slack-go at the largest page size.
type Users struct {
	Client *Client
	TeamID string
	// PageSize overrides UsersPageSize (tests).
	PageSize int
}

func (Users) Name() string          { return "users" }
func (Users) Table() string         { return "users" }
func (Users) Schema() *arrow.Schema { return UsersSchema }

func (s Users) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	ctx = withTeam(ctx, s.TeamID)
	size := s.PageSize
	if size <= 0 {
		size = UsersPageSize
	}
	b := newBatcher(UsersSchema, emit)
	defer b.Release()
	var (
		teamID      = b.Field(0).(*array.StringBuilder)
		userID      = b.Field(1).(*array.StringBuilder)
		name        = b.Field(2).(*array.StringBuilder)
		realName    = b.Field(3).(*array.StringBuilder)
		displayName = b.Field(4).(*array.StringBuilder)
		email       = b.Field(5).(*array.StringBuilder)
		title       = b.Field(6).(*array.StringBuilder)
		tz          = b.Field(7).(*array.StringBuilder)
		flags       [9]*array.BooleanBuilder
		has2FA      = b.Field(17).(*array.BooleanBuilder)
		updated     = b.Field(18).(*array.TimestampBuilder)
		enterprise  = b.Field(19).(*array.StringBuilder)
	)
	for i := range flags {
		flags[i] = b.Field(8 + i).(*array.BooleanBuilder)
	}
	p := s.Client.api.GetUsersPaginated(slack.GetUsersOptionLimit(size), slack.GetUsersOptionTeamID(s.TeamID),
		slack.GetUsersOptionIncludeLocale(false))
	seen := 0
	for {
		var err error
		p, err = p.Next(ctx)
		if p.Done(err) {
			break
		}
		if err != nil {
			return classify("users.list", s.TeamID, err)
		}
		for i := range p.Users {
			u := &p.Users[i]
			if u.ID == "" {
				return errorf("users.list", s.TeamID, KindMalformed, "malformed response: field members[%d].id is missing", seen+i)
			}
			team := u.TeamID
			if s.TeamID != "" {
				team = s.TeamID
			}
			teamID.Append(team)
			userID.Append(u.ID)
			name.Append(u.Name)
			rn := u.RealName
			if rn == "" {
				rn = u.Profile.RealName
			}
			appendString(realName, rn)
			appendString(displayName, u.Profile.DisplayName)
			appendString(email, u.Profile.Email)
			appendString(title, u.Profile.Title)
			appendString(tz, u.TZ)
			for j, v := range [...]bool{u.IsAdmin, u.IsOwner, u.IsPrimaryOwner, u.IsRestricted, u.IsUltraRestricted,
				u.IsBot, u.IsAppUser, u.IsInvitedUser, u.Deleted} {
				flags[j].Append(v)
			}
			if u.Has2FA == nil {
				has2FA.AppendNull()
			} else {
				has2FA.Append(*u.Has2FA)
			}
			appendTime(updated, int64(u.Updated))
			appendString(enterprise, u.Enterprise.EnterpriseID)
			if err := b.Row(); err != nil {
				return err
			}
		}
		seen += len(p.Users)
	}
	return b.Flush()
}
