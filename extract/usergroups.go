package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse/schema"
)

// UserGroupsSchema is the user_groups table, and the user_group_members
// view of its members.
var UserGroupsSchema = schema.Declare(schema.Table{
	Name: "user_groups", Kind: schema.Snapshot,
	Comment: "usergroups.list: each workspace's user groups (@handles) with their members, disabled groups included.",
	Columns: []schema.Column{
		schema.String("team_id", "Workspace."),
		schema.String("group_id", "User group ID (S…)."),
		schema.String("handle", "The @handle people mention.").Optional(),
		schema.String("name", "Display name.").Optional(),
		schema.String("description", "Description.").Optional(),
		schema.String("auto_type", "admin or owner for groups Slack keeps itself; NULL for groups people made.").Optional(),
		schema.Bool("is_external", "Shared from another organisation."),
		schema.Bool("is_disabled", "Disabled (date_delete set): kept by Slack, mentions do nothing."),
		schema.Int64("user_count", "Members Slack counts (sent as a string in Slack's documentation, a number elsewhere).").Optional(),
		schema.Strings("members", "Member user IDs; unnest(members), or the user_group_members view, for one row each."),
		schema.Timestamp("created_at", "When the group was made.").Optional(),
		schema.Timestamp("updated_at", "When it last changed.").Optional(),
		schema.Timestamp("disabled_at", "When it was disabled.").Optional(),
		schema.String("created_by", "Who made it.").Optional(),
		schema.String("updated_by", "Who changed it last.").Optional(),
	},
	Views: []schema.View{{
		Name:    "user_group_members",
		Comment: "One row per user group and member: user_groups.members unnested.",
		SQL:     `SELECT team_id, group_id, handle, is_disabled, unnest(members) AS user_id FROM user_groups`,
	}},
})

// UserGroups is the Source of the user_groups table: usergroups.list with
// members, disabled groups included, each group once (slackapi's
// UserGroups).
type UserGroups struct {
	Client *slackapi.Client
	TeamID string
	Alloc  memory.Allocator // memory.DefaultAllocator when nil
}

func (UserGroups) Schema() *arrow.Schema { return UserGroupsSchema }

func (s UserGroups) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, UserGroupsSchema, emit)
	defer b.Release()
	add := userGroupAppender(b)
	for g, err := range s.Client.UserGroups(ctx, slackapi.ListUserGroups{TeamID: s.TeamID}) {
		if err != nil {
			return err
		}
		if err := add(&g); err != nil {
			return err
		}
	}
	return b.Flush()
}

// userGroupAppender looks the user_groups columns up once and returns what
// appends one group.
func userGroupAppender(b *schema.Builder) func(*slackapi.UserGroup) error {
	team, group, handle, name, description := b.String("team_id"), b.String("group_id"), b.String("handle"), b.String("name"), b.String("description")
	autoType, external, disabled, count := b.String("auto_type"), b.Bool("is_external"), b.Bool("is_disabled"), b.Int64("user_count")
	members, createdBy, updatedBy := b.Strings("members"), b.String("created_by"), b.String("updated_by")
	created, updated, disabledAt := b.Timestamp("created_at"), b.Timestamp("updated_at"), b.Timestamp("disabled_at")
	return func(g *slackapi.UserGroup) error {
		team.Append(g.TeamID)
		group.Append(g.ID)
		appendString(handle, g.Handle)
		appendString(name, g.Name)
		appendString(description, g.Description)
		appendValid(autoType, g.AutoType, g.AutoTypeKnown)
		external.Append(g.IsExternal)
		disabled.Append(g.DateDelete > 0)
		if g.UserCountKnown {
			count.Append(g.UserCount)
		} else {
			count.AppendNull()
		}
		members.Append(g.Users)
		appendTime(created, g.DateCreate)
		appendTime(updated, g.DateUpdate)
		appendTime(disabledAt, g.DateDelete)
		appendValid(createdBy, g.CreatedBy, g.CreatedByKnown)
		appendValid(updatedBy, g.UpdatedBy, g.UpdatedByKnown)
		return b.Row()
	}
}
