-- name: report_apps_by_workspace
-- group: report
-- description: Installed apps per workspace by risk level, with how many are disabled and how many are orphaned (their
-- description: installer's account is deactivated): the report's apps table.
SELECT a.team_id, coalesce(any_value(w.name), a.team_id) AS workspace,
       count(*) FILTER (status = 'installed' AND risk_level = 'critical') AS critical,
       count(*) FILTER (status = 'installed' AND risk_level = 'high') AS high,
       count(*) FILTER (status = 'installed' AND risk_level = 'medium') AS medium,
       count(*) FILTER (status = 'installed' AND risk_level = 'low') AS low,
       count(*) FILTER (status = 'installed' AND risk_level IN ('unknown', 'none')) AS unknown_or_none,
       count(*) FILTER (status = 'installed') AS installed,
       count(*) FILTER (status = 'disabled') AS disabled,
       count(*) FILTER (status IN ('installed', 'disabled') AND installer_deactivated) AS orphaned
FROM apps a LEFT JOIN workspaces w USING (team_id)
GROUP BY a.team_id ORDER BY a.team_id
