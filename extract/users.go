package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

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
// for one workspace (slackapi's Users), each once.
type Users struct {
	Client *slackapi.Client
	TeamID string
	// MustList is a user the list must include: the token's own (auth.test
	// user_id). When set, an empty list or one without that user fails, as
	// it cannot be the workspace's whole membership.
	MustList string
	// Alloc allocates the batches; memory.DefaultAllocator when nil.
	Alloc memory.Allocator
	// PageSize overrides slackapi.UsersPageSize (tests).
	PageSize int
}

func (Users) Name() string          { return "users" }
func (Users) Table() string         { return "users" }
func (Users) Schema() *arrow.Schema { return UsersSchema }

func (s Users) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, UsersSchema, emit)
	defer b.Release()
	for u, err := range s.Client.Users(ctx, slackapi.ListUsers{TeamID: s.TeamID, MustList: s.MustList, PageSize: s.PageSize}) {
		if err != nil {
			return err
		}
		if err := appendUser(b, &u); err != nil {
			return err
		}
	}
	return b.Flush()
}

// appendUser appends one account to the users table's builders.
func appendUser(b *batcher, u *slackapi.User) error {
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	flag := func(i int) *array.BooleanBuilder { return b.Field(i).(*array.BooleanBuilder) }
	str(0).Append(u.TeamID)
	str(1).Append(u.ID)
	str(2).Append(u.Name)
	appendString(str(3), u.RealName)
	appendString(str(4), u.DisplayName)
	appendString(str(5), u.Email)
	appendString(str(6), u.Title)
	appendString(str(7), u.TZ)
	for j, v := range [...]bool{u.IsAdmin, u.IsOwner, u.IsPrimaryOwner, u.IsRestricted, u.IsUltraRestricted,
		u.IsBot, u.IsAppUser, u.IsInvitedUser, u.Deleted} {
		flag(8 + j).Append(v)
	}
	if u.Has2FAKnown {
		flag(17).Append(u.Has2FA)
	} else {
		flag(17).AppendNull()
	}
	appendTime(b.Field(18).(*array.TimestampBuilder), u.Updated)
	appendString(str(19), u.EnterpriseID)
	return b.Row()
}
