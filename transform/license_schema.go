package transform

import (
	"slackaudit/warehouse/schema"
)

// LicensesSchema is the licenses table.
var LicensesSchema = schema.Declare(schema.Table{
	Name: "licenses", Kind: schema.Snapshot,
	Comment: "One seat per person per billing account (the enterprise on Grid, the workspace elsewhere), its type, whether Slack bills it, whether anyone used it within the inactivity window, and what it costs.",
	Columns: []schema.Column{
		schema.String("org_id", "Billing account: the enterprise (E…) on Enterprise Grid, otherwise the workspace (T…)."),
		schema.String("user_id", "Slack user ID."),
		schema.String("seat_type", "owner, admin, member, multi_channel_guest, single_channel_guest, invited, bot (bots, apps, workflows, Slackbot) or deactivated; across workspaces the most privileged role wins."),
		schema.Bool("is_paid_seat_type", "Slack bills this seat type: owners, admins, members, multi-channel guests, and single-channel guests beyond 5 per paid member."),
		schema.Bool("guest_overflow", "A single-channel guest billed because the account has more than 5 per paid member."),
		schema.Int32("workspaces", "Workspaces of the billing account the person belongs to."),
		schema.Bool("billing_active", "Slack's team.billableInfo flag (true in any workspace wins); NULL when it could not be read.").Optional(),
		schema.Timestamp("last_used_at", "Latest sign of use (user_usage.last_used_at); NULL if none.").Optional(),
		schema.Int32("days_since_last_use", "Whole days from last_used_at to the sync's as_of.").Optional(),
		schema.Bool("active_in_window", "Used within the inactivity window (--inactive-after, default 28 days, Slack's Fair Billing rule)."),
		schema.Bool("estimated_billable", "A paid seat used within the window: what Fair Billing should charge for."),
		schema.String("billing_flag", "For paid seats: ok, billed_but_inactive, billing_flag_unreliable (Slack says billable, activity says unused) or never_used; NULL for seats Slack does not bill.").Optional(),
		schema.Float64("monthly_cost", "Price of the seat per month in currency (0 for free seats or plans with no price set)."),
		schema.String("currency", "Currency of monthly_cost."),
		schema.String("plan", "The billing account's plan.").Optional(),
	},
})

// SeatHistorySchema is the seat_history table, and the license_summary view
// of its latest sync.
var SeatHistorySchema = schema.Declare(schema.Table{
	Name: "seat_history", Kind: schema.History,
	Comment: "Seat counts, Slack's billable count against activity, and waste: one row per sync per billing account and per workspace. A person in several workspaces counts in each workspace row but once in the billing_account row.",
	Columns: []schema.Column{
		schema.Int64("run_id", "The sync (sync_runs.run_id)."),
		schema.Timestamp("as_of", "The sync's as_of instant."),
		schema.String("scope", "billing_account or workspace."),
		schema.String("org_id", "Billing account."),
		schema.String("team_id", "Workspace, for workspace rows; NULL for billing_account rows.").Optional(),
		schema.String("plan", "Plan.").Optional(),
		schema.Int64("owners", "Owner seats."),
		schema.Int64("admins", "Admin seats."),
		schema.Int64("members", "Full member seats."),
		schema.Int64("multi_channel_guests", "Multi-channel guest seats (billed like members)."),
		schema.Int64("single_channel_guests", "Single-channel guest seats."),
		schema.Int64("billed_single_channel_guests", "Single-channel guests beyond 5 per paid member, billed as paid seats."),
		schema.Int64("invited", "Pending invitations (not billed until accepted)."),
		schema.Int64("bots", "Bots, apps, workflows and Slackbot."),
		schema.Int64("deactivated", "Deactivated accounts."),
		schema.Int64("paid_seats", "Seats Slack bills by type."),
		schema.Int64("slack_billable", "Accounts Slack's billing_active flag marks as billable."),
		schema.Int64("estimated_billable", "Paid seats used within the inactivity window."),
		schema.Int64("inactive_paid_seats", "Paid seats not used within the window."),
		schema.Int64("never_used_paid_seats", "Paid seats with no sign of use at all."),
		schema.Float64("monthly_cost", "Cost of all paid seats per month."),
		schema.Float64("monthly_waste", "Cost per month of paid seats not used within the window."),
		schema.Float64("yearly_waste", "monthly_waste × 12."),
		schema.String("currency", "Currency of the amounts."),
		schema.Bool("price_known", "False when no seat price is set for the plan (Enterprise Grid is priced by contract)."),
		schema.Bool("all_active_pattern", "Slack flags nearly every unused paid seat as billable: its count overstates what is billed."),
		schema.String("note", "What to make of the numbers, in plain words.").Optional(),
		schema.Int32("inactive_after_days", "The inactivity window the sync used (--inactive-after)."),
	},
	Views: []schema.View{{
		Name:    "license_summary",
		Comment: "Seats, Slack's billable count against activity, and waste per billing account and per workspace, from the latest sync.",
		SQL:     `SELECT * FROM seat_history WHERE run_id = (SELECT max(run_id) FROM seat_history) ORDER BY org_id, scope, team_id NULLS FIRST`,
	}},
})
