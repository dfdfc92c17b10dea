-- name: inactive_paid_seats
-- description: Paid seats nobody has used for at least $days days (or ever), the longest unused first, with who holds
-- description: them and what they cost. Returns user_id and email, so slackaudit act --from-query can target them.
-- param: days INTEGER 28 Days without use after which a paid seat counts as inactive.
SELECT l.org_id, l.user_id, u.email, u.real_name, l.seat_type, l.plan,
       l.last_used_at, l.days_since_last_use, uu.last_used_source, l.billing_active, l.billing_flag,
       l.monthly_cost, l.currency, l.workspaces
FROM licenses l
LEFT JOIN (SELECT user_id, any_value(email) AS email, any_value(real_name) AS real_name FROM users GROUP BY user_id) u USING (user_id)
LEFT JOIN user_usage uu USING (org_id, user_id)
WHERE l.is_paid_seat_type
  AND (l.last_used_at IS NULL OR l.days_since_last_use >= $days)
ORDER BY l.last_used_at NULLS FIRST, l.org_id, l.user_id
