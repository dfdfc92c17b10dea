package transform

import (
	"slackaudit/warehouse/schema"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Emit writes the apps table in batches of at most maxRows rows.
func (a *Apps) Emit(maxRows int, emit func(arrow.RecordBatch) error) error {
	b := schema.NewBuilder(allocator(a.cfg.Alloc), AppsSchema, maxRows, emit)
	defer b.Release()
	add := appAppender(b)
	for _, r := range a.Rows() {
		if err := add(&r); err != nil {
			return err
		}
	}
	return b.Flush()
}

// appAppender looks the apps columns up once and returns what appends one
// app.
func appAppender(b *schema.Builder) func(*AppRow) error {
	team, kind, integration, appID, serviceID := b.String("team_id"), b.String("kind"), b.String("integration_id"), b.String("app_id"), b.String("service_id")
	name, status, risk, version := b.String("name"), b.String("status"), b.String("risk_level"), b.String("risk_table_version")
	scopes, reasons, userScopes, unknown, sensitive := b.Strings("scopes"), b.Strings("risk_reasons"), b.Strings("user_scopes"), b.Strings("unknown_scopes"), b.Strings("sensitive_scopes")
	installedBy, installedByName, installedAt := b.String("installed_by"), b.String("installed_by_name"), b.Timestamp("installed_at")
	orphaned, approved := b.Bool("installer_deactivated"), b.Bool("directory_approved")
	lastAt, lastType, lastBy, lastByName := b.Timestamp("last_change_at"), b.String("last_change_type"), b.String("last_change_by"), b.String("last_change_by_name")
	disabledReason, channel, developer, adminStatus := b.String("disabled_reason"), b.String("channel"), b.String("developer_type"), b.String("admin_status")
	changes, unknownChanges := b.Int64("changes"), b.Int64("unknown_changes")
	return func(r *AppRow) error {
		team.Append(r.TeamID)
		kind.Append(r.Kind)
		integration.Append(r.ID)
		if r.Kind == "app" {
			appID.Append(r.ID)
			serviceID.AppendNull()
		} else {
			appID.AppendNull()
			serviceID.Append(r.ID)
		}
		name.Append(r.Name)
		status.Append(r.Status.String())
		scopes.Append(r.Scopes)
		risk.Append(r.Risk.Level.String())
		reasons.Append(r.Risk.Reasons)
		userScopes.Append(r.Risk.UserScopes)
		unknown.Append(r.Risk.Unknown)
		if r.Sensitive != nil {
			sensitive.Append(r.Sensitive)
		} else {
			sensitive.AppendNull()
		}
		optString(installedBy, r.InstalledBy)
		optString(installedByName, r.InstalledByName)
		optTime(installedAt, r.InstalledAt)
		optBool(orphaned, r.InstallerDeactivated)
		lastAt.Append(arrow.Timestamp(r.LastChangeAt * 1e6))
		lastType.Append(r.LastChangeType)
		optString(lastBy, r.LastChangeBy)
		optString(lastByName, r.LastChangeByName)
		optString(disabledReason, r.DisabledReason)
		optString(channel, r.Channel)
		changes.Append(r.Changes)
		unknownChanges.Append(r.UnknownChanges)
		optString(developer, r.DeveloperType)
		optBool(approved, r.DirectoryApproved)
		optString(adminStatus, r.AdminStatus)
		version.Append(RiskTableVersion)
		return b.Row()
	}
}

func optString(sb *array.StringBuilder, s string) {
	if s == "" {
		sb.AppendNull()
		return
	}
	sb.Append(s)
}

func optTime(tb *array.TimestampBuilder, unix int64) {
	if unix == 0 {
		tb.AppendNull()
		return
	}
	tb.Append(arrow.Timestamp(unix * 1e6))
}

func optBool(bb *array.BooleanBuilder, v *bool) {
	if v == nil {
		bb.AppendNull()
		return
	}
	bb.Append(*v)
}
