package warehouse

// licenseTables hold seats, Slack's billing flag against activity, and cost.
var licenseTables = []Table{
	{
		Name: "licenses",
		Comment: "One seat per person per billing account (the enterprise on Grid, the workspace elsewhere), its type, " +
			"whether Slack bills it, whether anyone used it within the inactivity window, and what it costs.",
		Kind: Snapshot,
		Columns: []Column{
			{"org_id", "VARCHAR", "Billing account: the enterprise (E…) on Enterprise Grid, otherwise the workspace (T…)."},
			{"user_id", "VARCHAR", "Slack user ID."},
			{"seat_type", "VARCHAR", "owner, admin, member, multi_channel_guest, single_channel_guest, invited, bot (bots, apps, workflows, Slackbot) or deactivated; across workspaces the most privileged role wins."},
			{"is_paid_seat_type", "BOOLEAN", "Slack bills this seat type: owners, admins, members, multi-channel guests, and single-channel guests beyond 5 per paid member."},
			{"guest_overflow", "BOOLEAN", "A single-channel guest billed because the account has more than 5 per paid member."},
			{"workspaces", "INTEGER", "Workspaces of the billing account the person belongs to."},
			{"billing_active", "BOOLEAN", "Slack's team.billableInfo flag (true in any workspace wins); NULL when it could not be read."},
			{"last_used_at", "TIMESTAMPTZ", "Latest sign of use (user_usage.last_used_at); NULL if none."},
			{"days_since_last_use", "INTEGER", "Whole days from last_used_at to the sync's as_of."},
			{"active_in_window", "BOOLEAN", "Used within the inactivity window (--inactive-after, default 28 days, Slack's Fair Billing rule)."},
			{"estimated_billable", "BOOLEAN", "A paid seat used within the window: what Fair Billing should charge for."},
			{"billing_flag", "VARCHAR", "For paid seats: ok, billed_but_inactive, billing_flag_unreliable (Slack says billable, activity says unused) or never_used; NULL for seats Slack does not bill."},
			{"monthly_cost", "DOUBLE", "Price of the seat per month in currency (0 for free seats or plans with no price set)."},
			{"currency", "VARCHAR", "Currency of monthly_cost."},
			{"plan", "VARCHAR", "The billing account's plan."},
		},
	},
	{
		Name: "seat_history",
		Comment: "Seat counts, Slack's billable count against activity, and waste: one row per sync per billing account and per workspace. " +
			"A person in several workspaces counts in each workspace row but once in the billing_account row.",
		Kind: History,
		Columns: []Column{
			{"run_id", "BIGINT", "The sync (sync_runs.run_id)."},
			{"as_of", "TIMESTAMPTZ", "The sync's as_of instant."},
			{"scope", "VARCHAR", "billing_account or workspace."},
			{"org_id", "VARCHAR", "Billing account."},
			{"team_id", "VARCHAR", "Workspace, for workspace rows; NULL for billing_account rows."},
			{"plan", "VARCHAR", "Plan."},
			{"owners", "BIGINT", "Owner seats."},
			{"admins", "BIGINT", "Admin seats."},
			{"members", "BIGINT", "Full member seats."},
			{"multi_channel_guests", "BIGINT", "Multi-channel guest seats (billed like members)."},
			{"single_channel_guests", "BIGINT", "Single-channel guest seats."},
			{"billed_single_channel_guests", "BIGINT", "Single-channel guests beyond 5 per paid member, billed as paid seats."},
			{"invited", "BIGINT", "Pending invitations (not billed until accepted)."},
			{"bots", "BIGINT", "Bots, apps, workflows and Slackbot."},
			{"deactivated", "BIGINT", "Deactivated accounts."},
			{"paid_seats", "BIGINT", "Seats Slack bills by type."},
			{"slack_billable", "BIGINT", "Accounts Slack's billing_active flag marks as billable."},
			{"estimated_billable", "BIGINT", "Paid seats used within the inactivity window."},
			{"inactive_paid_seats", "BIGINT", "Paid seats not used within the window."},
			{"never_used_paid_seats", "BIGINT", "Paid seats with no sign of use at all."},
			{"monthly_cost", "DOUBLE", "Cost of all paid seats per month."},
			{"monthly_waste", "DOUBLE", "Cost per month of paid seats not used within the window."},
			{"yearly_waste", "DOUBLE", "monthly_waste × 12."},
			{"currency", "VARCHAR", "Currency of the amounts."},
			{"price_known", "BOOLEAN", "False when no seat price is set for the plan (Enterprise Grid is priced by contract)."},
			{"all_active_pattern", "BOOLEAN", "Slack flags nearly every unused paid seat as billable: its count overstates what is billed."},
			{"note", "VARCHAR", "What to make of the numbers, in plain words."},
			{"inactive_after_days", "INTEGER", "The inactivity window the sync used (--inactive-after)."},
		},
	},
}

// licenseViews summarise the latest sync.
var licenseViews = []View{
	{
		Name:    "license_summary",
		Comment: "Seats, Slack's billable count against activity, and waste per billing account and per workspace, from the latest sync.",
		SQL:     `SELECT * FROM seat_history WHERE run_id = (SELECT max(run_id) FROM seat_history) ORDER BY org_id, scope, team_id NULLS FIRST`,
	},
}
