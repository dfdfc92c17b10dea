package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

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
