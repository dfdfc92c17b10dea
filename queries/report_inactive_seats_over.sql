-- name: report_inactive_seats_over
-- group: report
-- description: report_inactive_seats over another inactivity window: paid seats unused for $days days before the
-- description: latest sync, never used first, then the longest unused, then the most expensive; the first $top of
-- description: billing account $org, or of all of them. A seat used within the sync's window but not within this one
-- description: gets the billing flag the sync would have given it. report --inactive-after reads it.
-- param: org VARCHAR all Billing account (org_id) to list, or all.
-- param: top INTEGER 10 How many seats to list.
-- param: days INTEGER 28 The inactivity window in days.
SELECT l.org_id, l.user_id, coalesce(u.real_name, u.name, l.user_id) AS name, coalesce(u.email, '') AS email,
       l.seat_type, l.last_used_at, l.days_since_last_use, coalesce(uu.last_used_source, '') AS last_used_source,
       CASE WHEN l.billing_flag <> 'ok' OR NOT l.active_in_window THEN coalesce(l.billing_flag, '')
            WHEN l.billing_active THEN 'billing_flag_unreliable'
            WHEN NOT l.billing_active AND l.plan IN ('pro', 'business_plus') THEN 'ok' -- Fair Billing
            ELSE 'billed_but_inactive' END AS billing_flag, l.monthly_cost
FROM licenses l
LEFT JOIN (SELECT user_id, any_value(real_name) AS real_name, any_value(name) AS name, any_value(email) AS email
           FROM users GROUP BY user_id) u USING (user_id)
LEFT JOIN user_usage uu USING (org_id, user_id)
WHERE ($org = 'all' OR l.org_id = $org) AND l.is_paid_seat_type
  AND NOT coalesce(l.last_used_at >= (SELECT as_of FROM latest_sync) - to_days($days::INTEGER), false)
ORDER BY l.last_used_at NULLS FIRST, l.monthly_cost DESC, l.user_id, l.org_id
LIMIT $top
