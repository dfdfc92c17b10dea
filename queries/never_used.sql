-- name: never_used
-- description: Accounts with no sign of use at all — no sign-in, no active day, no last-active time — excluding bots
-- description: and deactivated accounts; paid seats first.
SELECT l.org_id, l.user_id, u.email, u.real_name, l.seat_type, l.is_paid_seat_type, l.monthly_cost, l.currency
FROM licenses l
LEFT JOIN (SELECT user_id, any_value(email) AS email, any_value(real_name) AS real_name FROM users GROUP BY user_id) u USING (user_id)
WHERE l.last_used_at IS NULL AND l.seat_type NOT IN ('bot', 'deactivated')
ORDER BY l.is_paid_seat_type DESC, l.org_id, l.user_id
