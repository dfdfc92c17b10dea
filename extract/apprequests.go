package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse/schema"
)

// AppRequestsSchema is the app_requests table: pending requests to install
// apps.
var AppRequestsSchema = schema.Declare(schema.Table{
	Name: "app_requests", Kind: schema.Snapshot,
	Comment: "Pending requests to install apps (admin.apps.requests.list), Enterprise Grid.",
	Columns: []schema.Column{
		schema.String("request_id", "Request ID."),
		schema.String("team_id", "Workspace the app is asked for."),
		schema.String("team_name", "Its name.").Optional(),
		schema.String("app_id", "Slack app ID."),
		schema.String("app_name", "App name.").Optional(),
		schema.String("developer_type", "third_party or internal.").Optional(),
		schema.Bool("is_app_directory_approved", "Approved in the Slack Marketplace."),
		schema.String("user_id", "Who asked.").Optional(),
		schema.String("user_name", "Their name.").Optional(),
		schema.String("user_email", "Their email.").Optional(),
		schema.String("message", "What they wrote.").Optional(),
		schema.Strings("scopes", "Scopes the app asks for."),
		schema.Strings("sensitive_scopes", "Those Slack marks is_sensitive."),
		schema.Bool("previously_restricted", "Admins restricted the app before (previous_resolution)."),
		schema.Bool("is_user_app_collaborator", "The requester helps build the app."),
		schema.Timestamp("requested_at", "When the request was made.").Optional(),
	},
})

// AppRequests is the Source of the app_requests table: requests to
// install apps that admins have not answered (admin.apps.requests.list for
// the whole organisation), each request once.
type AppRequests struct {
	Client       *slackapi.Client
	EnterpriseID string
	Alloc        memory.Allocator // memory.DefaultAllocator when nil
	PageSize     int
}

func (AppRequests) Schema() *arrow.Schema { return AppRequestsSchema }

func (s AppRequests) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, AppRequestsSchema, emit)
	defer b.Release()
	add := requestAppender(b)
	for rq, err := range s.Client.AppRequests(ctx, slackapi.ListAppRequests{EnterpriseID: s.EnterpriseID, PageSize: s.PageSize}) {
		if err != nil {
			return err
		}
		if err := add(&rq); err != nil {
			return err
		}
	}
	return b.Flush()
}

// requestAppender looks the app_requests columns up once and returns what
// appends one request.
func requestAppender(b *schema.Builder) func(*slackapi.AppRequest) error {
	request, team, teamName, app, appName := b.String("request_id"), b.String("team_id"), b.String("team_name"), b.String("app_id"), b.String("app_name")
	developer, user, userName, userEmail, message := b.String("developer_type"), b.String("user_id"), b.String("user_name"), b.String("user_email"), b.String("message")
	approved, restricted, collaborator := b.Bool("is_app_directory_approved"), b.Bool("previously_restricted"), b.Bool("is_user_app_collaborator")
	scopes, requested := scopeLists{all: b.Strings("scopes"), sensitive: b.Strings("sensitive_scopes")}, b.Timestamp("requested_at")
	return func(rq *slackapi.AppRequest) error {
		request.Append(rq.ID)
		team.Append(rq.TeamID)
		appendString(teamName, rq.TeamName)
		app.Append(rq.App.ID)
		appendString(appName, rq.App.Name)
		appendString(developer, rq.App.DeveloperType)
		approved.Append(rq.App.IsAppDirectoryApproved)
		appendString(user, rq.UserID)
		appendString(userName, rq.UserName)
		appendString(userEmail, rq.UserEmail)
		appendString(message, rq.Message)
		scopes.append(rq.Scopes)
		restricted.Append(rq.PreviouslyResolved)
		collaborator.Append(rq.IsUserAppCollab)
		appendTime(requested, rq.DateCreated)
		return b.Row()
	}
}
