-- name: license_summary
-- description: Seats by type, what Slack flags as billable against what activity says, inactive paid seats and waste,
-- description: per billing account and per workspace, from the latest sync.
SELECT scope, org_id, team_id, plan,
       owners, admins, members, multi_channel_guests, single_channel_guests, billed_single_channel_guests,
       invited, bots, deactivated,
       paid_seats, slack_billable, estimated_billable, inactive_paid_seats, never_used_paid_seats,
       round(monthly_waste, 2) AS monthly_waste, round(yearly_waste, 2) AS yearly_waste, currency,
       note
FROM license_summary
