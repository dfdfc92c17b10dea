package extract

import (
	"context"
	"net/url"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
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
// members, disabled groups included, each group once. The method has no
// paging. Slack's documentation gives user_count as a string and answers
// carry a number: both are read.
type UserGroups struct {
	Client *Client
	TeamID string
	Alloc  memory.Allocator // memory.DefaultAllocator when nil
}

func (UserGroups) Name() string          { return "user_groups" }
func (UserGroups) Table() string         { return "user_groups" }
func (UserGroups) Schema() *arrow.Schema { return UserGroupsSchema }

type userGroup struct {
	ID, TeamID, Handle, Name, Description string
	AutoType, CreatedBy, UpdatedBy        string
	hasAuto, hasCreated, hasUpdated       bool
	IsExternal                            bool
	DateCreate, DateUpdate, DateDelete    int64
	UserCount                             int64
	hasCount                              bool
	Users                                 []string
}

// userGroupsList decodes usergroups.list answers.
var userGroupsList = listSpec[userGroup]{method: "usergroups.list", field: "usergroups", idKey: "id", item: readUserGroup}

// decodeUserGroupsPage decodes one usergroups.list answer.
func decodeUserGroupsPage(body []byte) (page[userGroup], error) { return userGroupsList.decode(body) }

func readUserGroup(p *flatObject, _ string, g *userGroup) error {
	err := p.object(func(key []byte) (err error) {
		switch string(key) {
		case "id":
			g.ID, err = p.text()
		case "team_id":
			g.TeamID, err = p.text()
		case "handle":
			g.Handle, err = p.text()
		case "name":
			g.Name, err = p.text()
		case "description":
			g.Description, err = p.text()
		case "auto_type":
			g.AutoType, g.hasAuto, err = p.optText()
		case "created_by":
			g.CreatedBy, g.hasCreated, err = p.optText()
		case "updated_by":
			g.UpdatedBy, g.hasUpdated, err = p.optText()
		case "is_external":
			g.IsExternal, _, err = p.flag()
		case "date_create":
			g.DateCreate, err = p.unix()
		case "date_update":
			g.DateUpdate, err = p.unix()
		case "date_delete":
			g.DateDelete, err = p.unix()
		case "user_count":
			g.UserCount, g.hasCount, err = readCount(p)
		case "users":
			err = p.texts(func(u string) { g.Users = append(g.Users, u) })
		default:
			err = p.skip()
		}
		return err
	})
	if err == nil && g.ID == "" {
		return missing("id")
	}
	return err
}

// readCount reads a count sent as a number or a string of one; null and ""
// are unknown.
func readCount(p *flatObject) (int64, bool, error) {
	start := p.i
	s, err := p.loose()
	if err != nil || s == "" {
		return 0, false, err
	}
	n, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil {
		end := p.i
		p.i = start
		err = p.wrong("a number")
		p.i = end
		return 0, false, err
	}
	return n, true, nil
}

func (s UserGroups) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	ctx = withTeam(ctx, s.TeamID)
	b := newBatcher(s.Alloc, UserGroupsSchema, emit)
	defer b.Release()
	params := url.Values{"include_users": {"true"}, "include_count": {"true"}, "include_disabled": {"true"}, "team_id": {s.TeamID}}
	pg := newPager(s.Client, userGroupsList, s.TeamID, params,
		func(d *dedup, g *userGroup) uint64 { return d.key(s.team(g), g.ID) })
	if err := pg.byCursor(ctx, func(g *userGroup) error { return s.append(b, g) }); err != nil {
		return err
	}
	return b.Flush()
}

// team is the group's workspace: its own team_id, else the one asked for.
func (s UserGroups) team(g *userGroup) string {
	if g.TeamID != "" {
		return g.TeamID
	}
	return s.TeamID
}

func (s UserGroups) append(b *batcher, g *userGroup) error {
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	ts := func(i int) *array.TimestampBuilder { return b.Field(i).(*array.TimestampBuilder) }
	str(0).Append(s.team(g))
	str(1).Append(g.ID)
	appendString(str(2), g.Handle)
	appendString(str(3), g.Name)
	appendString(str(4), g.Description)
	appendValid(str(5), g.AutoType, g.hasAuto)
	b.Field(6).(*array.BooleanBuilder).Append(g.IsExternal)
	b.Field(7).(*array.BooleanBuilder).Append(g.DateDelete > 0)
	if count := b.Field(8).(*array.Int64Builder); g.hasCount {
		count.Append(g.UserCount)
	} else {
		count.AppendNull()
	}
	appendStrings(b.Field(9).(*array.ListBuilder), g.Users)
	appendTime(ts(10), g.DateCreate)
	appendTime(ts(11), g.DateUpdate)
	appendTime(ts(12), g.DateDelete)
	appendValid(str(13), g.CreatedBy, g.hasCreated)
	appendValid(str(14), g.UpdatedBy, g.hasUpdated)
	return b.Row()
}
