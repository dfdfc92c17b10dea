package warehouse

import (
	"fmt"
	"slices"
)

// View is a view over the contract tables, recreated on every writable open so
// that a newer slackaudit's definition replaces an older one.
type View struct {
	Name    string
	Comment string
	SQL     string
}

func (v View) createSQL() string {
	return fmt.Sprintf("CREATE OR REPLACE VIEW %s AS %s;\nCOMMENT ON VIEW %s IS %s",
		quoteIdent(v.Name), v.SQL, quoteIdent(v.Name), quoteString(v.Comment))
}

// Views are the derived views of the contract; features declare theirs next
// to their tables.
var Views = slices.Concat(coreViews, appViews, licenseViews, actionViews)

var coreViews = []View{
	{
		Name:    "user_group_members",
		Comment: "One row per user group and member: user_groups.members unnested.",
		SQL:     `SELECT team_id, group_id, handle, is_disabled, unnest(members) AS user_id FROM user_groups`,
	},
	{
		Name:    "latest_sync",
		Comment: "The most recent successful sync: its run_id, as_of instant and how long it took.",
		SQL: `SELECT run_id, started_at, finished_at, as_of, mode, team_id, api_calls,
       finished_at - started_at AS duration
FROM sync_runs WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1`,
	},
}
