package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

// OrgUsersSchema is the schema of the org_users table.
var OrgUsersSchema = arrow.NewSchema([]arrow.Field{
	{Name: "enterprise_id", Type: arrow.BinaryTypes.String},
	{Name: "user_id", Type: arrow.BinaryTypes.String},
	{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "username", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "full_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "is_active", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_admin", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_owner", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_primary_owner", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_restricted", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_ultra_restricted", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_bot", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "has_2fa", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "has_sso", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "last_active_at", Type: Timestamp, Nullable: true},
	{Name: "created_at", Type: Timestamp, Nullable: true},
	{Name: "deactivated_at", Type: Timestamp, Nullable: true},
	{Name: "expires_at", Type: Timestamp, Nullable: true},
	{Name: "workspaces", Type: arrow.ListOf(arrow.BinaryTypes.String)},
	{Name: "roles", Type: arrow.ListOf(arrow.BinaryTypes.String)},
}, nil)

// OrgUsers is the Source of the org_users table: every account of an
// Enterprise Grid organisation from admin.users.list (slackapi's OrgUsers:
// org-level token, admin.users:read), each once.
type OrgUsers struct {
	Client       *slackapi.Client
	EnterpriseID string
	// MustList is a user the list must include: the token's own (auth.test
	// user_id). When set, an empty list or one without that user fails.
	MustList string
	Alloc    memory.Allocator // memory.DefaultAllocator when nil
}

func (OrgUsers) Name() string          { return "org_users" }
func (OrgUsers) Table() string         { return "org_users" }
func (OrgUsers) Schema() *arrow.Schema { return OrgUsersSchema }

func (s OrgUsers) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, OrgUsersSchema, emit)
	defer b.Release()
	for u, err := range s.Client.OrgUsers(ctx, slackapi.ListOrgUsers{EnterpriseID: s.EnterpriseID, MustList: s.MustList}) {
		if err != nil {
			return err
		}
		if err := appendOrgUser(b, s.EnterpriseID, &u); err != nil {
			return err
		}
	}
	return b.Flush()
}

// appendOrgUser appends one account to the org_users builders.
func appendOrgUser(b *batcher, enterpriseID string, u *slackapi.OrgUser) error {
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	str(0).Append(enterpriseID)
	str(1).Append(u.ID)
	appendString(str(2), u.Email)
	appendString(str(3), u.Username)
	appendString(str(4), u.FullName)
	for j, v := range [...]bool{u.IsActive, u.IsAdmin, u.IsOwner, u.IsPrimaryOwner, u.IsRestricted,
		u.IsUltraRestricted, u.IsBot, u.Has2FA, u.HasSSO} {
		b.Field(5 + j).(*array.BooleanBuilder).Append(v)
	}
	for j, ts := range [...]int64{u.LastActive, u.Created, u.Deactivated, u.Expires} {
		appendTime(b.Field(14+j).(*array.TimestampBuilder), ts)
	}
	appendStrings(b.Field(18).(*array.ListBuilder), u.Workspaces)
	appendStrings(b.Field(19).(*array.ListBuilder), u.Roles)
	return b.Row()
}
