package transform

import (
	"slackaudit/warehouse/schema"
)

// AppsSchema is the apps table.
var AppsSchema = schema.Declare(schema.Table{
	Name: "apps", Kind: schema.Snapshot,
	Comment: "One row per app or legacy integration per workspace: the integration log replayed in time order into its current status, scopes, installer and risk, enriched by Enterprise Grid app management where it could be read.",
	Columns: []schema.Column{
		schema.String("team_id", "Workspace."),
		schema.String("kind", "app or service (legacy custom integration)."),
		schema.String("integration_id", "app_id for apps, service_id for legacy services: the key with team_id."),
		schema.String("app_id", "Slack app ID; NULL for legacy services.").Optional(),
		schema.String("service_id", "Legacy service instance ID; NULL for apps.").Optional(),
		schema.String("name", "Name from app management where known, else from the newest log entry."),
		schema.String("status", "installed, disabled or removed, after the newest documented change."),
		schema.Strings("scopes", "Scopes held now: those granted by the newest install and any expansion or update since; empty once removed."),
		schema.String("risk_level", "critical, high, medium, low, none (no scopes) or unknown (only scopes the risk table does not know): the riskiest scope, raised one step for user-token scopes and one for apps not approved in the Slack Marketplace."),
		schema.Strings("risk_reasons", "Why, in words: the riskiest scopes, each raise, unknown scopes and change types, an orphaned install."),
		schema.Strings("user_scopes", "Scopes held through a user token: the app acts as the person who installed it."),
		schema.Strings("unknown_scopes", "Scopes the risk table does not know, kept and rated unknown."),
		schema.Strings("sensitive_scopes", "Scopes Slack's app management marks is_sensitive; NULL when app management could not be read.").Optional(),
		schema.String("installed_by", "User who made the newest install (added entry); NULL when it predates the log.").Optional(),
		schema.String("installed_by_name", "That user's username at the time.").Optional(),
		schema.Timestamp("installed_at", "When the newest install was made.").Optional(),
		schema.Bool("installer_deactivated", "The installer's account is deactivated now: an orphaned install nobody answers for. NULL when the installer is not in any member list synced.").Optional(),
		schema.Timestamp("last_change_at", "Newest log entry."),
		schema.String("last_change_type", "Its change_type (possibly one Slack has not documented)."),
		schema.String("last_change_by", "Who made it.").Optional(),
		schema.String("last_change_by_name", "Their username at the time.").Optional(),
		schema.String("disabled_reason", "For disabled apps, the reason Slack gave.").Optional(),
		schema.String("channel", "Channel a webhook or service posts to.").Optional(),
		schema.Int64("changes", "Log entries for this app."),
		schema.Int64("unknown_changes", "Entries with a change_type Slack has not documented (kept in app_events; they change neither status nor installer)."),
		schema.String("developer_type", "third_party or internal, from app management; NULL when unknown.").Optional(),
		schema.Bool("directory_approved", "Approved in the Slack Marketplace (is_app_directory_approved); NULL when unknown.").Optional(),
		schema.String("admin_status", "approved or restricted by the organisation's admins for this workspace; NULL when not listed or not readable.").Optional(),
		schema.String("risk_table_version", "Version of the scope → risk table that rated the app."),
	},
})
