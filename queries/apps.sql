-- name: apps
-- description: Apps and legacy integrations installed now, riskiest first, per workspace: their scopes, why they are
-- description: rated as they are, who installed them and when, and whether that person has since been deactivated.
SELECT a.team_id, w.name AS workspace, a.kind, a.integration_id, a.name, a.risk_level, a.risk_reasons, a.scopes,
       a.installed_by, coalesce(u.real_name, a.installed_by_name) AS installed_by_name, a.installed_at,
       a.installer_deactivated, a.directory_approved, a.admin_status, a.last_change_at
FROM apps a
LEFT JOIN workspaces w USING (team_id)
LEFT JOIN (SELECT user_id, any_value(real_name) AS real_name FROM users GROUP BY user_id) u ON u.user_id = a.installed_by
WHERE a.status = 'installed'
ORDER BY a.team_id,
         list_position(['critical', 'high', 'medium', 'low', 'unknown', 'none'], a.risk_level),
         a.name, a.integration_id
