-- name: report_accounts
-- group: report
-- description: The report's seat and money figures: per billing account (each first) and per workspace, with their
-- description: names, seats by type, Slack-billable against estimated billable, inactive paid seats, cost and waste.
SELECT s.scope, s.org_id, coalesce(s.team_id, '') AS team_id,
       coalesce(CASE WHEN s.scope = 'workspace' THEN w.name ELSE coalesce(e.enterprise_name, w.name) END, s.org_id) AS name,
       coalesce(s.plan, '') AS plan, owners, admins, members, multi_channel_guests, single_channel_guests,
       billed_single_channel_guests, invited, bots, deactivated, paid_seats, slack_billable, estimated_billable,
       inactive_paid_seats, never_used_paid_seats, monthly_cost, monthly_waste, yearly_waste, currency, price_known,
       all_active_pattern, coalesce(note, '') AS note, inactive_after_days
FROM license_summary s
LEFT JOIN workspaces w ON w.team_id = coalesce(s.team_id, s.org_id)
LEFT JOIN (SELECT DISTINCT enterprise_id, enterprise_name FROM workspaces WHERE enterprise_id IS NOT NULL) e ON e.enterprise_id = s.org_id
ORDER BY s.org_id, s.scope, s.team_id NULLS FIRST
