package warehouse_test

import (
	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/warehouse"
	"slackaudit/warehouse/schema"
)

// contract is what the warehouse's tests open it with: tables declared as a
// sync's are, shaped like the data sets and derived tables they stand for.
// The real ones are declared in extract and transform, which the warehouse
// does not import; pipeline's tests create the warehouse from those.
var contract = []*arrow.Schema{usersTable, memberActivityTable(), licensesTable, seatHistoryTable}

// writable are the options that open the test contract for writing.
func writable() warehouse.Options { return warehouse.Options{Tables: contract} }

var usersTable = schema.Declare(schema.Table{
	Name: "users", Kind: schema.Snapshot, Comment: "Every account in each workspace.",
	Columns: []schema.Column{
		schema.String("team_id", "Workspace.").Optional(),
		schema.String("user_id", "Slack user ID."),
		schema.String("real_name", "Full name.").Optional(),
		schema.String("display_name", "Display name.").Optional(),
		schema.String("title", "Job title.").Optional(),
		schema.Bool("deleted", "Deactivated account."),
		schema.Bool("has_2fa", "Two-factor authentication enabled.").Optional(),
		schema.Timestamp("profile_updated_at", "When the profile last changed.").Optional(),
	},
})

// memberActivityTable is member_activity's shape: a day, four keys, nine
// daily flags and eight daily counts.
func memberActivityTable() *arrow.Schema {
	cols := []schema.Column{schema.Date("date", "UTC day."), schema.String("enterprise_id", "Enterprise.").Optional(),
		schema.String("team_id", "Workspace."), schema.String("user_id", "Slack user ID."), schema.String("email", "Email.").Optional()}
	for _, n := range []string{"is_guest", "is_billable_seat", "is_active", "is_active_ios", "is_active_android",
		"is_active_desktop", "is_active_apps", "is_active_workflows", "is_active_slack_connect"} {
		cols = append(cols, schema.Bool(n, "A daily flag."))
	}
	for _, n := range []string{"messages_posted", "channel_messages_posted", "reactions_added", "files_added",
		"calls", "slack_calls", "huddles", "searches"} {
		cols = append(cols, schema.Int64(n, "A daily count."))
	}
	return schema.Declare(schema.Table{Name: "member_activity", Kind: schema.History, Comment: "One row per person per day.", Columns: cols})
}

var licensesTable = schema.Declare(schema.Table{
	Name: "licenses", Kind: schema.Snapshot, Comment: "One seat per person per billing account.",
	Columns: []schema.Column{
		schema.String("org_id", "Billing account."),
		schema.String("user_id", "Slack user ID."),
		schema.String("seat_type", "Seat type."),
		schema.Float64("monthly_cost", "Price of the seat per month."),
	},
})

var seatHistoryTable = schema.Declare(schema.Table{
	Name: "seat_history", Kind: schema.History, Comment: "Seat counts per sync.",
	Columns: []schema.Column{
		schema.Int64("run_id", "The sync."),
		schema.String("org_id", "Billing account."),
		schema.Int64("paid_seats", "Seats Slack bills by type."),
	},
	Views: []schema.View{{Name: "license_summary", Comment: "Seat counts of the latest sync.",
		SQL: "SELECT * FROM seat_history WHERE run_id = (SELECT max(run_id) FROM seat_history)"}},
})
