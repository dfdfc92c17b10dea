-- name: orphaned_apps
-- description: Installed or disabled apps whose installer's account is now deactivated: nobody answers for them, and
-- description: an app acting through that person's token may stop working or keep access nobody reviews.
SELECT a.team_id, w.name AS workspace, a.name, a.kind, a.integration_id, a.status, a.risk_level, a.scopes,
       a.installed_by, coalesce(u.real_name, a.installed_by_name) AS installed_by_name, a.installed_at,
       a.user_scopes, a.last_change_at
FROM apps a
LEFT JOIN workspaces w USING (team_id)
LEFT JOIN (SELECT user_id, any_value(real_name) AS real_name FROM users GROUP BY user_id) u ON u.user_id = a.installed_by
WHERE a.installer_deactivated AND a.status IN ('installed', 'disabled')
ORDER BY list_position(['critical', 'high', 'medium', 'low', 'unknown', 'none'], a.risk_level), a.team_id, a.name
