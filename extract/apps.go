package extract

import (
	"context"
	"net/url"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// AdminAppsPageSize is the page size of the admin.apps.* lists (Slack allows 1–1000).
const AdminAppsPageSize = 1000

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

// adminApp is the app object of the admin.apps.* lists.
type adminApp struct {
	ID                     string `json:"id"`
	Name                   string `json:"name"`
	Description            string `json:"description"`
	AppDirectoryURL        string `json:"app_directory_url"`
	IsAppDirectoryApproved bool   `json:"is_app_directory_approved"`
	IsInternal             bool   `json:"is_internal"`
	DeveloperType          string `json:"developer_type"`
	SocketModeEnabled      bool   `json:"socket_mode_enabled"`
}

type adminAppScope struct {
	Name        string `json:"name"`
	IsSensitive bool   `json:"is_sensitive"`
	TokenType   string `json:"token_type"`
}

type adminAppItem struct {
	App            *adminApp       `json:"app"`
	Scopes         []adminAppScope `json:"scopes"`
	DateUpdated    int64           `json:"date_updated"`
	LastResolvedBy struct {
		ActorID string `json:"actor_id"`
	} `json:"last_resolved_by"`
}

type adminAppRequest struct {
	ID                 string    `json:"id"`
	App                *adminApp `json:"app"`
	PreviousResolution *struct{} `json:"previous_resolution"`
	User               struct{ ID, Name, Email string }
	Team               struct{ ID, Name string }
	Scopes             []adminAppScope `json:"scopes"`
	Message            string          `json:"message"`
	IsUserAppCollab    bool            `json:"is_user_app_collaborator"`
	DateCreated        int64           `json:"date_created"`
}

// AppDirectory is the Source of the app_directory table: for each
// workspace, the apps admins approved (admin.apps.approved.list) and
// restricted (admin.apps.restricted.list). It needs an org-level token
// with admin.apps:read.
type AppDirectory struct {
	Client       *Client
	EnterpriseID string   // labels errors
	TeamIDs      []string // the workspaces to list
	PageSize     int      // overrides AdminAppsPageSize (tests)
}

func (AppDirectory) Name() string          { return "app_directory" }
func (AppDirectory) Table() string         { return "app_directory" }
func (AppDirectory) Schema() *arrow.Schema { return AppDirectorySchema }

func (s AppDirectory) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(AppDirectorySchema, emit)
	defer b.Release()
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	boolean := func(i int) *array.BooleanBuilder { return b.Field(i).(*array.BooleanBuilder) }
	lists := [3]*array.ListBuilder{b.Field(10).(*array.ListBuilder), b.Field(11).(*array.ListBuilder), b.Field(12).(*array.ListBuilder)}
	updated := b.Field(13).(*array.TimestampBuilder)
	for _, team := range s.TeamIDs {
		for _, list := range [...]struct{ name, method, key string }{
			{"approved", "admin.apps.approved.list", "approved_apps"},
			{"restricted", "admin.apps.restricted.list", "restricted_apps"},
		} {
			err := pageAdminApps(ctx, s.Client, list.method, team, s.PageSize, list.key, func(i int, it *adminAppItem) error {
				if it.App == nil || it.App.ID == "" {
					return errorf(list.method, team, KindMalformed, "malformed response: %s[%d]: field app.id is missing", list.key, i)
				}
				a := it.App
				str(0).Append(team)
				str(1).Append(list.name)
				str(2).Append(a.ID)
				appendString(str(3), a.Name)
				appendString(str(4), a.Description)
				appendString(str(5), a.DeveloperType)
				boolean(6).Append(a.IsAppDirectoryApproved)
				boolean(7).Append(a.IsInternal)
				boolean(8).Append(a.SocketModeEnabled)
				appendString(str(9), a.AppDirectoryURL)
				appendScopes(lists, it.Scopes)
				appendTime(updated, it.DateUpdated)
				appendString(str(14), it.LastResolvedBy.ActorID)
				return b.Row()
			})
			if err != nil {
				return err
			}
		}
	}
	return b.Flush()
}

// appendScopes appends every scope name to lists[0], the sensitive ones to
// lists[1] and the user-token ones to lists[2] (lists[1] and lists[2] may be nil).
func appendScopes(lists [3]*array.ListBuilder, scopes []adminAppScope) {
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
// the whole organisation).
type AppRequests struct {
	Client       *Client
	EnterpriseID string
	PageSize     int
}

func (AppRequests) Name() string          { return "app_requests" }
func (AppRequests) Table() string         { return "app_requests" }
func (AppRequests) Schema() *arrow.Schema { return AppRequestsSchema }

func (s AppRequests) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	const method = "admin.apps.requests.list"
	b := newBatcher(AppRequestsSchema, emit)
	defer b.Release()
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	boolean := func(i int) *array.BooleanBuilder { return b.Field(i).(*array.BooleanBuilder) }
	lists := [3]*array.ListBuilder{b.Field(11).(*array.ListBuilder), b.Field(12).(*array.ListBuilder)}
	created := b.Field(15).(*array.TimestampBuilder)
	err := pageAdminApps(ctx, s.Client, method, "", s.PageSize, "app_requests", func(i int, rq *adminAppRequest) error {
		if rq.ID == "" || rq.App == nil || rq.App.ID == "" || rq.Team.ID == "" {
			return errorf(method, s.EnterpriseID, KindMalformed, "malformed response: app_requests[%d]: field id, app.id or team.id is missing", i)
		}
		str(0).Append(rq.ID)
		str(1).Append(rq.Team.ID)
		appendString(str(2), rq.Team.Name)
		str(3).Append(rq.App.ID)
		appendString(str(4), rq.App.Name)
		appendString(str(5), rq.App.DeveloperType)
		boolean(6).Append(rq.App.IsAppDirectoryApproved)
		appendString(str(7), rq.User.ID)
		appendString(str(8), rq.User.Name)
		appendString(str(9), rq.User.Email)
		appendString(str(10), rq.Message)
		appendScopes(lists, rq.Scopes)
		boolean(13).Append(rq.PreviousResolution != nil)
		boolean(14).Append(rq.IsUserAppCollab)
		appendTime(created, rq.DateCreated)
		return b.Row()
	}, s.EnterpriseID)
	if err != nil {
		return err
	}
	return b.Flush()
}

// pageAdminApps reads every page of an admin.apps.* list for one workspace
// (teamID) or, when teamID is empty, the enterprise given as the last
// argument, calling each for every entry under key.
func pageAdminApps[T any](ctx context.Context, c *Client, method, teamID string, size int, key string, each func(int, *T) error, enterprise ...string) error {
	if size <= 0 {
		size = AdminAppsPageSize
	}
	label := teamID
	params := url.Values{"limit": {strconv.Itoa(size)}, "team_id": {teamID}}
	if teamID == "" && len(enterprise) > 0 {
		label = enterprise[0]
		params.Set("enterprise_id", enterprise[0])
	}
	ctx = withTeam(ctx, label)
	n := 0
	for {
		var r struct {
			Envelope
			Approved   []T `json:"approved_apps"`
			Restricted []T `json:"restricted_apps"`
			Requests   []T `json:"app_requests"`
		}
		if err := c.Call(ctx, method, label, params, &r); err != nil {
			return err
		}
		items := map[string][]T{"approved_apps": r.Approved, "restricted_apps": r.Restricted, "app_requests": r.Requests}[key]
		if items == nil {
			return errorf(method, label, KindMalformed, "malformed response: field %s is missing", key)
		}
		for i := range items {
			if err := each(n, &items[i]); err != nil {
				return err
			}
			n++
		}
		next := r.ResponseMetadata.NextCursor
		if next == "" {
			return nil
		}
		params.Set("cursor", next)
	}
}
