package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

// AppDirectorySchema is the schema of the app_directory table: the apps an
// Enterprise Grid organisation's admins approved or restricted, per workspace.
var AppDirectorySchema = arrow.NewSchema([]arrow.Field{
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "list", Type: arrow.BinaryTypes.String},
	{Name: "app_id", Type: arrow.BinaryTypes.String},
	{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "description", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "developer_type", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "is_app_directory_approved", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_internal", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "socket_mode_enabled", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "app_directory_url", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "scopes", Type: stringList},
	{Name: "sensitive_scopes", Type: stringList},
	{Name: "user_scopes", Type: stringList},
	{Name: "updated_at", Type: Timestamp, Nullable: true},
	{Name: "resolved_by", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// AppDirectory is the Source of the app_directory table: for each
// workspace, the apps admins approved (admin.apps.approved.list) and
// restricted (admin.apps.restricted.list), each app once per list. It needs
// an org-level token with admin.apps:read.
type AppDirectory struct {
	Client       *slackapi.Client
	EnterpriseID string           // labels errors
	TeamIDs      []string         // the workspaces to list
	Alloc        memory.Allocator // memory.DefaultAllocator when nil
	PageSize     int              // overrides slackapi.AdminAppsPageSize (tests)
}

func (AppDirectory) Name() string          { return "app_directory" }
func (AppDirectory) Table() string         { return "app_directory" }
func (AppDirectory) Schema() *arrow.Schema { return AppDirectorySchema }

func (s AppDirectory) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, AppDirectorySchema, emit)
	defer b.Release()
	for _, team := range s.TeamIDs {
		for _, list := range []slackapi.AppList{slackapi.AppsApproved, slackapi.AppsRestricted} {
			for it, err := range s.Client.Apps(ctx, slackapi.ListApps{TeamID: team, List: list, PageSize: s.PageSize}) {
				if err != nil {
					return err
				}
				if err := appendDirectoryApp(b, team, list.String(), &it); err != nil {
					return err
				}
			}
		}
	}
	return b.Flush()
}

// appendDirectoryApp appends one approved or restricted app.
func appendDirectoryApp(b *batcher, team, list string, it *slackapi.AppEntry) error {
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	boolean := func(i int) *array.BooleanBuilder { return b.Field(i).(*array.BooleanBuilder) }
	a := &it.App
	str(0).Append(team)
	str(1).Append(list)
	str(2).Append(a.ID)
	appendString(str(3), a.Name)
	appendString(str(4), a.Description)
	appendString(str(5), a.DeveloperType)
	boolean(6).Append(a.IsAppDirectoryApproved)
	boolean(7).Append(a.IsInternal)
	boolean(8).Append(a.SocketModeEnabled)
	appendString(str(9), a.AppDirectoryURL)
	appendScopes([3]*array.ListBuilder{b.Field(10).(*array.ListBuilder), b.Field(11).(*array.ListBuilder),
		b.Field(12).(*array.ListBuilder)}, it.Scopes)
	appendTime(b.Field(13).(*array.TimestampBuilder), it.DateUpdated)
	appendString(str(14), it.ResolvedBy)
	return b.Row()
}
