package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

// UserGroupsSchema is the schema of the user_groups table.
var UserGroupsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "group_id", Type: arrow.BinaryTypes.String},
	{Name: "handle", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "description", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "auto_type", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "is_external", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_disabled", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "user_count", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "members", Type: stringList},
	{Name: "created_at", Type: Timestamp, Nullable: true},
	{Name: "updated_at", Type: Timestamp, Nullable: true},
	{Name: "disabled_at", Type: Timestamp, Nullable: true},
	{Name: "created_by", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "updated_by", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// UserGroups is the Source of the user_groups table: usergroups.list with
// members, disabled groups included, each group once (slackapi's
// UserGroups).
type UserGroups struct {
	Client *slackapi.Client
	TeamID string
	Alloc  memory.Allocator // memory.DefaultAllocator when nil
}

func (UserGroups) Name() string          { return "user_groups" }
func (UserGroups) Table() string         { return "user_groups" }
func (UserGroups) Schema() *arrow.Schema { return UserGroupsSchema }

func (s UserGroups) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, UserGroupsSchema, emit)
	defer b.Release()
	for g, err := range s.Client.UserGroups(ctx, slackapi.ListUserGroups{TeamID: s.TeamID}) {
		if err != nil {
			return err
		}
		if err := appendUserGroup(b, &g); err != nil {
			return err
		}
	}
	return b.Flush()
}

// appendUserGroup appends one group to the user_groups builders.
func appendUserGroup(b *batcher, g *slackapi.UserGroup) error {
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	ts := func(i int) *array.TimestampBuilder { return b.Field(i).(*array.TimestampBuilder) }
	str(0).Append(g.TeamID)
	str(1).Append(g.ID)
	appendString(str(2), g.Handle)
	appendString(str(3), g.Name)
	appendString(str(4), g.Description)
	appendValid(str(5), g.AutoType, g.AutoTypeKnown)
	b.Field(6).(*array.BooleanBuilder).Append(g.IsExternal)
	b.Field(7).(*array.BooleanBuilder).Append(g.DateDelete > 0)
	if count := b.Field(8).(*array.Int64Builder); g.UserCountKnown {
		count.Append(g.UserCount)
	} else {
		count.AppendNull()
	}
	appendStrings(b.Field(9).(*array.ListBuilder), g.Users)
	appendTime(ts(10), g.DateCreate)
	appendTime(ts(11), g.DateUpdate)
	appendTime(ts(12), g.DateDelete)
	appendValid(str(13), g.CreatedBy, g.CreatedByKnown)
	appendValid(str(14), g.UpdatedBy, g.UpdatedByKnown)
	return b.Row()
}
