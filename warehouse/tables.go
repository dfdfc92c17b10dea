package warehouse

import "slackaudit/warehouse/schema"

// The warehouse's own tables: what each sync read and how it ended. They
// are logs, written directly rather than swapped in with a snapshot; the
// data sets and derived tables come from the caller (Options.Tables).

// syncRunsSchema is sync_runs, one row per sync, and the latest_sync view.
var syncRunsSchema = schema.Declare(schema.Table{
	Name: "sync_runs", Kind: schema.Log,
	Comment: "One row per sync: when it ran, against what instant, and how it ended.",
	Columns: []schema.Column{
		schema.Int64("run_id", "Sync number, increasing by one per sync of this warehouse."),
		schema.Timestamp("started_at", "When the sync started (UTC)."),
		schema.Timestamp("finished_at", "When the sync ended, successfully or not; NULL while running or if the process died.").Optional(),
		schema.String("status", "running, succeeded, failed, or interrupted (the process stopped before recording an outcome)."),
		schema.Int64("api_calls", "Slack Web API requests made, including retries after rate limits."),
		schema.String("error", "Why the sync failed; NULL when it succeeded.").Optional(),
		schema.Timestamp("as_of", "The instant every derived value (last use, inactivity windows) is computed against."),
		schema.String("mode", "Connection mode: pro, business_plus, grid_workspace or grid_org."),
		schema.String("team_id", "Workspace (T…) or enterprise (E…) the token belongs to."),
		schema.String("api_url", "Slack Web API base URL used (the token is never stored)."),
	},
	Views: []schema.View{{
		Name:    "latest_sync",
		Comment: "The most recent successful sync: its run_id, as_of instant and how long it took.",
		SQL: `SELECT run_id, started_at, finished_at, as_of, mode, team_id, api_calls,
       finished_at - started_at AS duration
FROM sync_runs WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1`,
	}},
})

// sourceStatusSchema is source_status: per sync, workspace and data set,
// whether it was read.
var sourceStatusSchema = schema.Declare(schema.Table{
	Name: "source_status", Kind: schema.Log,
	Comment: "Per sync and workspace, whether each data set could be read and, if not, why and what would unlock it.",
	Columns: []schema.Column{
		schema.Int64("run_id", "The sync (sync_runs.run_id)."),
		schema.String("team_id", "Workspace (T…) or enterprise (E…) the data set was read for."),
		schema.String("source", "Data set name, e.g. users, billable_info, access_logs."),
		schema.String("status", "ok, unavailable (plan, scope or token type does not allow it), or failed."),
		schema.String("reason", "Why the data set is unavailable or failed, naming the Slack method and error.").Optional(),
		schema.Int64("rows", "Rows landed for this data set."),
		schema.String("unlock", "What would make the data set available (a plan, a scope, a token type); NULL when ok.").Optional(),
		schema.Int64("duplicates", "Records Slack listed more than once (a page sent twice, an entry shifted onto the next page), dropped so each landed once; 0 when none, NULL for syncs before this column.").Optional(),
	},
})
