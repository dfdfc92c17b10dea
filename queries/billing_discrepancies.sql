-- name: billing_discrepancies
-- description: Seats where Slack's billing flag and activity disagree: flagged billable but unused in the window
-- description: (billing_flag_unreliable), or unused and billed anyway (billed_but_inactive), or never used.
SELECT l.org_id, l.user_id, u.email, u.real_name, l.seat_type, l.billing_active, l.billing_flag,
       l.last_used_at, l.days_since_last_use, uu.last_used_source, l.monthly_cost, l.currency
FROM licenses l
LEFT JOIN (SELECT user_id, any_value(email) AS email, any_value(real_name) AS real_name FROM users GROUP BY user_id) u USING (user_id)
LEFT JOIN user_usage uu USING (org_id, user_id)
WHERE l.billing_flag IN ('billing_flag_unreliable', 'billed_but_inactive', 'never_used')
ORDER BY l.billing_flag, l.last_used_at NULLS FIRST, l.user_id
