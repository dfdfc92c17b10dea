-- name: seats_by_type
-- description: Accounts in the latest snapshot per workspace and seat type, with how many Slack flags as billable.
SELECT
  u.team_id,
  CASE
    WHEN u.user_id = 'USLACKBOT' OR u.is_bot OR u.is_app_user THEN 'bot'
    WHEN u.deleted THEN 'deactivated'
    WHEN u.is_invited_user THEN 'invited'
    WHEN u.is_owner OR u.is_primary_owner THEN 'owner'
    WHEN u.is_admin THEN 'admin'
    WHEN u.is_ultra_restricted THEN 'single_channel_guest'
    WHEN u.is_restricted THEN 'multi_channel_guest'
    ELSE 'member'
  END AS seat_type,
  count(*) AS accounts,
  count(*) FILTER (WHERE b.billing_active) AS slack_billable
FROM users u
LEFT JOIN billable_info b USING (team_id, user_id)
GROUP BY ALL
ORDER BY team_id, accounts DESC, seat_type
