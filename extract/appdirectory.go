package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse/schema"
)

// AppDirectorySchema is the app_directory table: the apps an Enterprise
// Grid organisation's admins approved or restricted, per workspace.
var AppDirectorySchema = schema.Declare(schema.Table{
	Name: "app_directory", Kind: schema.Snapshot,
	Comment: "Enterprise Grid app management (admin.apps.approved.list and restricted.list): apps admins approved or restricted, per workspace.",
	Columns: []schema.Column{
		schema.String("team_id", "Workspace the decision applies to."),
		schema.String("list", "approved or restricted."),
		schema.String("app_id", "Slack app ID."),
		schema.String("name", "App name.").Optional(),
		schema.String("description", "What the app says it does.").Optional(),
		schema.String("developer_type", "third_party or internal.").Optional(),
		schema.Bool("is_app_directory_approved", "Approved in the Slack Marketplace."),
		schema.Bool("is_internal", "Built by the organisation."),
		schema.Bool("socket_mode_enabled", "Uses Socket Mode (no public request URL)."),
		schema.String("app_directory_url", "Marketplace page.").Optional(),
		schema.Strings("scopes", "Scopes the decision covers."),
		schema.Strings("sensitive_scopes", "Those Slack marks is_sensitive."),
		schema.Strings("user_scopes", "Those granted to a user token."),
		schema.Timestamp("updated_at", "When the decision was made (date_updated).").Optional(),
		schema.String("resolved_by", "Who made it (last_resolved_by.actor_id).").Optional(),
	},
})

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

func (AppDirectory) Schema() *arrow.Schema { return AppDirectorySchema }

func (s AppDirectory) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, AppDirectorySchema, emit)
	defer b.Release()
	add := directoryAppender(b)
	for _, team := range s.TeamIDs {
		for _, list := range []slackapi.AppList{slackapi.AppsApproved, slackapi.AppsRestricted} {
			for it, err := range s.Client.Apps(ctx, slackapi.ListApps{TeamID: team, List: list, PageSize: s.PageSize}) {
				if err != nil {
					return err
				}
				if err := add(team, list.String(), &it); err != nil {
					return err
				}
			}
		}
	}
	return b.Flush()
}

// directoryAppender looks the app_directory columns up once and returns
// what appends one app of a workspace's approved or restricted list.
func directoryAppender(b *schema.Builder) func(team, list string, it *slackapi.AppEntry) error {
	teamID, listCol, app, name, description := b.String("team_id"), b.String("list"), b.String("app_id"), b.String("name"), b.String("description")
	developer, url, resolvedBy, updated := b.String("developer_type"), b.String("app_directory_url"), b.String("resolved_by"), b.Timestamp("updated_at")
	approved, internal, socketMode := b.Bool("is_app_directory_approved"), b.Bool("is_internal"), b.Bool("socket_mode_enabled")
	scopes := scopeLists{all: b.Strings("scopes"), sensitive: b.Strings("sensitive_scopes"), user: b.Strings("user_scopes")}
	return func(team, list string, it *slackapi.AppEntry) error {
		a := &it.App
		teamID.Append(team)
		listCol.Append(list)
		app.Append(a.ID)
		appendString(name, a.Name)
		appendString(description, a.Description)
		appendString(developer, a.DeveloperType)
		approved.Append(a.IsAppDirectoryApproved)
		internal.Append(a.IsInternal)
		socketMode.Append(a.SocketModeEnabled)
		appendString(url, a.AppDirectoryURL)
		scopes.append(it.Scopes)
		appendTime(updated, it.DateUpdated)
		appendString(resolvedBy, it.ResolvedBy)
		return b.Row()
	}
}
