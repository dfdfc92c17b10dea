-- name: report_window_counts
-- group: report
-- description: The report's seat counts that depend on the inactivity window, recounted from licenses for a window of
-- description: $days days before the latest sync: per billing account and per workspace (a person counts in every
-- description: workspace users lists them in), paid seats used within the window, those not, those never used, and
-- description: the unused ones Slack's billing flag still marks billable, and the price of one paid seat as the sync
-- description: set it. report --inactive-after reads it.
-- param: days INTEGER 28 The inactivity window in days.
WITH seats AS (
    SELECT l.org_id, l.user_id, l.billing_active, l.monthly_cost,
           coalesce(l.last_used_at >= (SELECT as_of FROM latest_sync) - to_days($days::INTEGER), false) AS active,
           l.last_used_at IS NULL AS never
    FROM licenses l WHERE l.is_paid_seat_type),
scoped AS (
    SELECT 'billing_account' AS scope, org_id, NULL AS team_id, s.* EXCLUDE (org_id) FROM seats s
    UNION ALL
    SELECT 'workspace', s.org_id, m.team_id, s.* EXCLUDE (org_id)
    FROM seats s JOIN (SELECT DISTINCT team_id, user_id FROM users) m USING (user_id)
    JOIN license_summary w ON w.scope = 'workspace' AND w.org_id = s.org_id AND w.team_id = m.team_id)
SELECT scope, org_id, coalesce(team_id, '') AS team_id, count(*) FILTER (WHERE active) AS estimated_billable,
       count(*) FILTER (WHERE NOT active) AS inactive_paid_seats, count(*) FILTER (WHERE never) AS never_used_paid_seats,
       count(*) FILTER (WHERE NOT active AND billing_active) AS inactive_flagged_billable,
       coalesce(max(monthly_cost), 0) AS seat_price
FROM scoped
GROUP BY scope, org_id, team_id
ORDER BY org_id, scope, team_id NULLS FIRST
