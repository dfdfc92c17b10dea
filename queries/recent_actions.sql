-- name: recent_actions
-- description: What slackaudit act and notify did in the last $days days, newest first: who ran it, on whom, where,
-- description: whether it was a dry run, the result and Slack's error. Dry runs are left out unless dry_runs is true.
-- param: days INTEGER 30 How many days back to show.
-- param: dry_runs BOOLEAN false Include dry runs (plans shown without --yes).
SELECT batch_id, step, logged_at, actor_user_id, action, target_user_id, target_email, target_name, workspace, object,
       dry_run, result, detail, slack_error, reason, source
FROM actions_log
WHERE logged_at >= now() - to_days($days::INTEGER)
  AND (NOT dry_run OR $dry_runs)
ORDER BY batch_id DESC, step
