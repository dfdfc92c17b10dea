-- name: report_riskiest_apps
-- group: report
-- description: The $top riskiest installed apps across workspaces, orphaned ones first within a risk level, with why
-- description: they are rated so (orphaned aside) and who installed them.
-- param: top INTEGER 10 How many apps to list.
SELECT a.team_id, coalesce(w.name, a.team_id) AS workspace, a.name, a.risk_level,
       array_to_string(list_filter(a.risk_reasons, x -> NOT starts_with(x, 'orphaned')), '; ') AS risk_reasons,
       coalesce(u.real_name, a.installed_by_name, a.installed_by, '') AS installed_by, a.installed_at,
       coalesce(a.installer_deactivated, false) AS orphaned
FROM apps a LEFT JOIN workspaces w USING (team_id)
LEFT JOIN (SELECT user_id, any_value(real_name) AS real_name FROM users GROUP BY user_id) u ON u.user_id = a.installed_by
WHERE a.status = 'installed'
ORDER BY list_position(['critical', 'high', 'medium', 'low', 'unknown', 'none'], a.risk_level),
         a.installer_deactivated DESC NULLS LAST, a.team_id, a.name, a.integration_id
LIMIT $top
