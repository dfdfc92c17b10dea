-- name: report_usage_frequency
-- group: report
-- description: Paid seats per billing account by how often the person holding them uses Slack (user_usage's
-- description: usage_frequency: daily, weekly, monthly, dormant or never), every frequency listed even when none: the
-- description: report's usage chart.
-- param: org VARCHAR all Billing account (org_id) to count, or all.
WITH frequencies(usage_frequency, pos) AS (
    VALUES ('daily', 1), ('weekly', 2), ('monthly', 3), ('dormant', 4), ('never', 5)),
accounts AS (
    SELECT org_id FROM license_summary WHERE scope = 'billing_account' AND ($org = 'all' OR org_id = $org)),
seats AS (
    SELECT l.org_id, coalesce(u.usage_frequency, 'never') AS usage_frequency
    FROM licenses l LEFT JOIN user_usage u USING (org_id, user_id)
    WHERE l.is_paid_seat_type)
SELECT a.org_id, f.usage_frequency, count(s.org_id) AS paid_seats
FROM accounts a CROSS JOIN frequencies f
LEFT JOIN seats s ON s.org_id = a.org_id AND s.usage_frequency = f.usage_frequency
GROUP BY a.org_id, f.usage_frequency, f.pos
ORDER BY a.org_id, f.pos
