-- name: report_sync
-- group: report
-- description: The sync slackaudit report reads: the latest completed one, its as-of instant and its connection mode.
SELECT run_id, as_of, coalesce(mode, '') AS mode
FROM latest_sync
