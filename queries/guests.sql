-- name: guests
-- description: Multi- and single-channel guests with when they last used Slack and whether they are billed
-- description: (single-channel guests beyond 5 per paid member are).
SELECT l.org_id, l.user_id, u.email, u.real_name, l.seat_type, l.is_paid_seat_type, l.guest_overflow,
       l.last_used_at, l.days_since_last_use, uu.usage_frequency, l.monthly_cost, l.currency
FROM licenses l
LEFT JOIN (SELECT user_id, any_value(email) AS email, any_value(real_name) AS real_name FROM users GROUP BY user_id) u USING (user_id)
LEFT JOIN user_usage uu USING (org_id, user_id)
WHERE l.seat_type IN ('multi_channel_guest', 'single_channel_guest')
ORDER BY l.seat_type, l.last_used_at NULLS FIRST, l.user_id
