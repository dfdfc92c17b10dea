package warehouse

// redactText applies Options.Redact to free text before it is stored:
// sync_runs.error and api_url, source_status.reason, and actions_log's
// detail and slack_error. Those hold what Slack or a proxy said, which can
// echo a token or carry credentials; the warehouse keeps no secret.
func (db *DB) redactText(s string) string {
	if db.redact == nil || s == "" {
		return s
	}
	return db.redact(s)
}
