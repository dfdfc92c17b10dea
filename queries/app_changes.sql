-- name: app_changes
-- description: App and integration changes of the last $days days before the latest sync, newest first: who
-- description: installed, expanded, disabled or removed what, with the scopes granted.
-- param: days INTEGER 30 How many days back from the latest sync to list.
SELECT e.changed_at, e.team_id, w.name AS workspace, e.kind, e.integration_id,
       coalesce(e.app_type, e.service_type) AS name, e.change_type, e.user_id, e.user_name, e.scope, e.reason, e.channel
FROM app_events e
LEFT JOIN workspaces w USING (team_id)
WHERE e.changed_at >= (SELECT coalesce(max(as_of), now()) FROM latest_sync) - to_days($days::INTEGER)
ORDER BY e.changed_at DESC, e.team_id, e.position
