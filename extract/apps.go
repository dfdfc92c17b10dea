package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

// stringList is the Arrow type of a list of strings (VARCHAR[] in DuckDB).
var stringList = arrow.ListOf(arrow.BinaryTypes.String)

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

// AppRequestsSchema is the schema of the app_requests table: pending
// requests to install apps.
var AppRequestsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "request_id", Type: arrow.BinaryTypes.String},
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "team_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "app_id", Type: arrow.BinaryTypes.String},
	{Name: "app_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "developer_type", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "is_app_directory_approved", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "user_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "user_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "user_email", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "message", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "scopes", Type: stringList},
	{Name: "sensitive_scopes", Type: stringList},
	{Name: "previously_restricted", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_user_app_collaborator", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "requested_at", Type: Timestamp, Nullable: true},
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

// appendScopes appends every scope name to lists[0], the sensitive ones to
// lists[1] and the user-token ones to lists[2] (lists[1] and lists[2] may be nil).
func appendScopes(lists [3]*array.ListBuilder, scopes []slackapi.AppScope) {
	for j, lb := range lists {
		if lb == nil {
			continue
		}
		lb.Append(true)
		vb := lb.ValueBuilder().(*array.StringBuilder)
		for _, sc := range scopes {
			if j == 0 || (j == 1 && sc.IsSensitive) || (j == 2 && sc.TokenType == "user") {
				vb.Append(sc.Name)
			}
		}
	}
}

// AppRequests is the Source of the app_requests table: requests to
// install apps that admins have not answered (admin.apps.requests.list for
// the whole organisation), each request once.
type AppRequests struct {
	Client       *slackapi.Client
	EnterpriseID string
	Alloc        memory.Allocator // memory.DefaultAllocator when nil
	PageSize     int
}

func (AppRequests) Name() string          { return "app_requests" }
func (AppRequests) Table() string         { return "app_requests" }
func (AppRequests) Schema() *arrow.Schema { return AppRequestsSchema }

func (s AppRequests) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, AppRequestsSchema, emit)
	defer b.Release()
	for rq, err := range s.Client.AppRequests(ctx, slackapi.ListAppRequests{EnterpriseID: s.EnterpriseID, PageSize: s.PageSize}) {
		if err != nil {
			return err
		}
		if err := appendRequest(b, &rq); err != nil {
			return err
		}
	}
	return b.Flush()
}

// appendRequest appends one app request.
func appendRequest(b *batcher, rq *slackapi.AppRequest) error {
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	boolean := func(i int) *array.BooleanBuilder { return b.Field(i).(*array.BooleanBuilder) }
	str(0).Append(rq.ID)
	str(1).Append(rq.TeamID)
	appendString(str(2), rq.TeamName)
	str(3).Append(rq.App.ID)
	appendString(str(4), rq.App.Name)
	appendString(str(5), rq.App.DeveloperType)
	boolean(6).Append(rq.App.IsAppDirectoryApproved)
	appendString(str(7), rq.UserID)
	appendString(str(8), rq.UserName)
	appendString(str(9), rq.UserEmail)
	appendString(str(10), rq.Message)
	appendScopes([3]*array.ListBuilder{b.Field(11).(*array.ListBuilder), b.Field(12).(*array.ListBuilder)}, rq.Scopes)
	boolean(13).Append(rq.PreviouslyResolved)
	boolean(14).Append(rq.IsUserAppCollab)
	appendTime(b.Field(15).(*array.TimestampBuilder), rq.DateCreated)
	return b.Row()
}
