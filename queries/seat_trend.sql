-- name: seat_trend
-- description: Paid seats, Slack's billable count, estimated billable seats and waste per billing account across
-- description: syncs, oldest first; the change since the previous sync in the last columns.
-- param: days INTEGER 365 How many days of syncs to show.
SELECT as_of, run_id, org_id, plan, paid_seats, slack_billable, estimated_billable, inactive_paid_seats,
       round(monthly_waste, 2) AS monthly_waste, currency,
       paid_seats - lag(paid_seats) OVER w AS paid_seats_change,
       inactive_paid_seats - lag(inactive_paid_seats) OVER w AS inactive_change
FROM seat_history
WHERE scope = 'billing_account' AND as_of >= now() - to_days($days::INTEGER)
WINDOW w AS (PARTITION BY org_id ORDER BY run_id)
ORDER BY org_id, run_id
