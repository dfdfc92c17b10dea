-- name: risky_apps
-- description: Installed or disabled apps rated at or above a risk level (critical, high, medium or low), riskiest
-- description: first, with the scopes behind the rating and the Slack Marketplace status where known.
-- param: level VARCHAR high Lowest risk level to list: critical, high, medium or low.
SELECT a.team_id, w.name AS workspace, a.name, a.kind, a.integration_id, a.status, a.risk_level, a.risk_reasons,
       a.scopes, a.user_scopes, a.unknown_scopes, a.sensitive_scopes, a.directory_approved, a.developer_type,
       a.installed_by, a.installed_by_name, a.installed_at, a.installer_deactivated
FROM apps a
LEFT JOIN workspaces w USING (team_id)
WHERE a.status IN ('installed', 'disabled')
  AND list_position(['critical', 'high', 'medium', 'low'], a.risk_level)
      <= coalesce(list_position(['critical', 'high', 'medium', 'low'], lower($level)), 0)
ORDER BY list_position(['critical', 'high', 'medium', 'low'], a.risk_level), a.team_id, a.name, a.integration_id
