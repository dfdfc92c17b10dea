-- name: report_apps_by_risk
-- group: report
-- description: Installed apps across every workspace by risk level (critical, high, medium, low, unknown, none), every
-- description: level listed even when none: the report's apps chart.
WITH levels(risk_level, pos) AS (
    VALUES ('critical', 1), ('high', 2), ('medium', 3), ('low', 4), ('unknown', 5), ('none', 6))
SELECT l.risk_level, count(a.team_id) AS installed
FROM levels l LEFT JOIN apps a ON a.risk_level = l.risk_level AND a.status = 'installed'
GROUP BY l.risk_level, l.pos
ORDER BY l.pos
