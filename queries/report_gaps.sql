-- name: report_gaps
-- group: report
-- description: What a sync could not read, per data set and workspace, with why and what would unlock it: the report's
-- description: "Not synced" section.
-- param: run INTEGER 0 Sync to show (run_id in sync_runs); 0 means the latest completed sync.
SELECT source, team_id, status, coalesce(reason, '') AS reason, coalesce(unlock, '') AS unlock
FROM source_status
WHERE run_id = if($run = 0, (SELECT run_id FROM latest_sync), $run) AND status <> 'ok'
ORDER BY source, team_id
