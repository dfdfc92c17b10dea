-- name: report_inactive_seats
-- group: report
-- description: The report's inactive paid seats (unused within the sync's inactivity window): never used first, then
-- description: the longest unused, then the most expensive; the first $top of billing account $org, or of all of them.
-- param: org VARCHAR all Billing account (org_id) to list, or all.
-- param: top INTEGER 10 How many seats to list.
SELECT l.org_id, l.user_id, coalesce(u.real_name, u.name, l.user_id) AS name, coalesce(u.email, '') AS email,
       l.seat_type, l.last_used_at, l.days_since_last_use, coalesce(uu.last_used_source, '') AS last_used_source,
       coalesce(l.billing_flag, '') AS billing_flag, l.monthly_cost
FROM licenses l
LEFT JOIN (SELECT user_id, any_value(real_name) AS real_name, any_value(name) AS name, any_value(email) AS email
           FROM users GROUP BY user_id) u USING (user_id)
LEFT JOIN user_usage uu USING (org_id, user_id)
WHERE ($org = 'all' OR l.org_id = $org) AND l.is_paid_seat_type AND NOT l.active_in_window
ORDER BY l.last_used_at NULLS FIRST, l.monthly_cost DESC, l.user_id, l.org_id
LIMIT $top
