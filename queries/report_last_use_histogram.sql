-- name: report_last_use_histogram
-- group: report
-- description: Paid seats per billing account by days since their last use, in bins (0–7, 8–14, 15–28, 29–60, 61–90,
-- description: 91–180, 181–365, >365 days, and never used), every bin listed even when empty: the report's histogram.
-- description: min_days and max_days bound each bin; both are empty for never, max_days for the last one.
-- param: org VARCHAR all Billing account (org_id) to count, or all.
WITH bins(bin, min_days, max_days, pos) AS (
    VALUES ('0–7', 0, 7, 1), ('8–14', 8, 14, 2), ('15–28', 15, 28, 3), ('29–60', 29, 60, 4), ('61–90', 61, 90, 5),
           ('91–180', 91, 180, 6), ('181–365', 181, 365, 7), ('>365', 366, NULL, 8), ('never', NULL, NULL, 9)),
accounts AS (
    SELECT org_id FROM license_summary WHERE scope = 'billing_account' AND ($org = 'all' OR org_id = $org)),
seats AS (
    SELECT org_id,
           CASE WHEN days_since_last_use IS NULL THEN 9 WHEN days_since_last_use <= 7 THEN 1
                WHEN days_since_last_use <= 14 THEN 2 WHEN days_since_last_use <= 28 THEN 3
                WHEN days_since_last_use <= 60 THEN 4 WHEN days_since_last_use <= 90 THEN 5
                WHEN days_since_last_use <= 180 THEN 6 WHEN days_since_last_use <= 365 THEN 7 ELSE 8 END AS pos
    FROM licenses WHERE is_paid_seat_type)
SELECT a.org_id, b.bin, b.min_days, b.max_days, count(s.org_id) AS paid_seats
FROM accounts a CROSS JOIN bins b
LEFT JOIN seats s ON s.org_id = a.org_id AND s.pos = b.pos
GROUP BY a.org_id, b.bin, b.min_days, b.max_days, b.pos
ORDER BY a.org_id, b.pos
