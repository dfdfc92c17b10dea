-- name: report_waste_trend
-- group: report
-- description: Monthly waste (what the inactive paid seats cost) per billing account at each sync, oldest first, over
-- description: the $days days up to the latest sync: the report's waste-over-time chart. price_known is false where no
-- description: seat price was set for the plan at that sync, and monthly_waste then says nothing.
-- param: days INTEGER 365 How many days of syncs before the latest to show.
SELECT h.as_of, h.run_id, h.org_id, coalesce(e.enterprise_name, w.name, h.org_id) AS name, h.inactive_paid_seats,
       round(h.monthly_waste, 2) AS monthly_waste, h.currency, h.price_known,
       coalesce(h.plan, '') AS plan, h.inactive_after_days
FROM seat_history h
LEFT JOIN workspaces w ON w.team_id = h.org_id
LEFT JOIN (SELECT DISTINCT enterprise_id, enterprise_name FROM workspaces WHERE enterprise_id IS NOT NULL) e ON e.enterprise_id = h.org_id
WHERE h.scope = 'billing_account' AND h.run_id <= (SELECT run_id FROM latest_sync)
  AND h.as_of >= (SELECT as_of FROM latest_sync) - to_days($days::INTEGER)
ORDER BY h.as_of, h.run_id, h.org_id
