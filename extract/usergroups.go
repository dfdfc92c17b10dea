package extract

import (
	"context"
	"net/url"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
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
// members, disabled groups included. The method has no paging. Slack's
// documentation gives user_count as a string and answers carry a number:
// both are read (slack-go cannot decode the string, so the call is raw).
type UserGroups struct {
	Client *Client
	TeamID string
}

func (UserGroups) Name() string          { return "user_groups" }
func (UserGroups) Table() string         { return "user_groups" }
func (UserGroups) Schema() *arrow.Schema { return UserGroupsSchema }

type userGroup struct {
	ID          string      `json:"id"`
	TeamID      string      `json:"team_id"`
	Handle      string      `json:"handle"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	AutoType    *string     `json:"auto_type"`
	IsExternal  bool        `json:"is_external"`
	DateCreate  int64       `json:"date_create"`
	DateUpdate  int64       `json:"date_update"`
	DateDelete  int64       `json:"date_delete"`
	CreatedBy   *string     `json:"created_by"`
	UpdatedBy   *string     `json:"updated_by"`
	UserCount   looseString `json:"user_count"`
	Users       []string    `json:"users"`
}

func (s UserGroups) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	const method = "usergroups.list"
	ctx = withTeam(ctx, s.TeamID)
	var r struct {
		Envelope
		Usergroups []userGroup `json:"usergroups"`
	}
	params := url.Values{"include_users": {"true"}, "include_count": {"true"}, "include_disabled": {"true"}, "team_id": {s.TeamID}}
	if err := s.Client.Call(ctx, method, s.TeamID, params, &r); err != nil {
		return err
	}
	if r.Usergroups == nil {
		return errorf(method, s.TeamID, KindMalformed, "malformed response: field usergroups is missing")
	}
	b := newBatcher(UserGroupsSchema, emit)
	defer b.Release()
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	ts := func(i int) *array.TimestampBuilder { return b.Field(i).(*array.TimestampBuilder) }
	count := b.Field(8).(*array.Int64Builder)
	members := b.Field(9).(*array.ListBuilder)
	for i := range r.Usergroups {
		g := &r.Usergroups[i]
		if g.ID == "" {
			return errorf(method, s.TeamID, KindMalformed, "malformed response: usergroups[%d]: field id is missing", i)
		}
		team := g.TeamID
		if team == "" {
			team = s.TeamID
		}
		str(0).Append(team)
		str(1).Append(g.ID)
		appendString(str(2), g.Handle)
		appendString(str(3), g.Name)
		appendString(str(4), g.Description)
		appendNullable(str(5), g.AutoType)
		b.Field(6).(*array.BooleanBuilder).Append(g.IsExternal)
		b.Field(7).(*array.BooleanBuilder).Append(g.DateDelete > 0)
		switch n, err := strconv.ParseInt(string(g.UserCount), 10, 64); {
		case g.UserCount == "":
			count.AppendNull()
		case err != nil:
			return errorf(method, s.TeamID, KindMalformed, "malformed response: usergroups[%d]: field user_count %q is not a number", i, g.UserCount)
		default:
			count.Append(n)
		}
		members.Append(true)
		vb := members.ValueBuilder().(*array.StringBuilder)
		for _, u := range g.Users {
			vb.Append(u)
		}
		appendTime(ts(10), g.DateCreate)
		appendTime(ts(11), g.DateUpdate)
		appendTime(ts(12), g.DateDelete)
		appendNullable(str(13), g.CreatedBy)
		appendNullable(str(14), g.UpdatedBy)
		if err := b.Row(); err != nil {
			return err
		}
	}
	return b.Flush()
}
