package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"slackaudit/warehouse/schema"
)

// actionsLogSchema is actions_log, every action act and notify planned or
// carried out, and the action_batches view of each run.
var actionsLogSchema = schema.Declare(schema.Table{
	Name: "actions_log", Kind: schema.Log,
	Comment: "Every action slackaudit act and notify planned, skipped, carried out or failed, one row per target, written as it happens: the audit trail of changes made to Slack.",
	Columns: []schema.Column{
		schema.Int64("batch_id", "One run of slackaudit act or notify; increases by one per run of this warehouse."),
		schema.Int32("step", "Position of the target in the run's plan, from 1."),
		schema.Timestamp("logged_at", "When the outcome was known and the row written (UTC)."),
		schema.String("actor_user_id", "The user the token acts as (auth.test user_id): who made the change.").Optional(),
		schema.String("actor_team_id", "Workspace (T…) or enterprise (E…) of the token.").Optional(),
		schema.String("action", "usergroup_add, usergroup_remove, workspace_add, workspace_remove, workspace_invite, deactivate, reactivate or notify."),
		schema.String("target_user_id", "Slack user ID acted on; NULL for an invitation to an email address without an account.").Optional(),
		schema.String("target_email", "Email address of the target, when known.").Optional(),
		schema.String("target_name", "Name of the target (real name, else handle), when known.").Optional(),
		schema.String("workspace", "Workspace (T…) the action applies to, or the enterprise (E…) for organisation-wide actions.").Optional(),
		schema.String("object", "What else the action names: the user group (S…), the channel a notification went to, the channels of an invitation.").Optional(),
		schema.String("reason", "Why the target was chosen: the query and its numbers (unused for 120 days, seat type) or --reason.").Optional(),
		schema.String("source", "How the targets were chosen: --users, --from-query NAME with its parameters, or --from-sql.").Optional(),
		schema.Bool("dry_run", "True when the run only showed the plan (no --yes): nothing was changed."),
		schema.String("result", "planned (dry run), skipped, succeeded or failed."),
		schema.String("detail", "Why a step was skipped (already done, a guard, refused, unknown target, not attempted) or what happened.").Optional(),
		schema.String("slack_error", "Slack's error code (or SCIM HTTP status) when the step failed or Slack refused it; NULL otherwise.").Optional(),
	},
	Views: []schema.View{{
		Name:    "action_batches",
		Comment: "One row per run of slackaudit act or notify: what it did, who ran it, and how many targets succeeded, failed or were skipped.",
		SQL: `SELECT batch_id, min(logged_at) AS started_at, max(logged_at) AS finished_at,
       string_agg(DISTINCT action, ', ' ORDER BY action) AS actions, any_value(actor_user_id) AS actor_user_id,
       bool_or(dry_run) AS dry_run, any_value(source) AS source,
       count(*) FILTER (WHERE result = 'planned') AS planned,
       count(*) FILTER (WHERE result = 'succeeded') AS succeeded,
       count(*) FILTER (WHERE result = 'failed') AS failed,
       count(*) FILTER (WHERE result = 'skipped') AS skipped
FROM actions_log GROUP BY batch_id`,
	}},
})

// ActionRow is one row of actions_log.
type ActionRow struct {
	BatchID      int64
	Step         int
	LoggedAt     time.Time
	ActorUserID  string
	ActorTeamID  string
	Action       string
	TargetUserID string
	TargetEmail  string
	TargetName   string
	Workspace    string
	Object       string
	Reason       string
	Source       string
	DryRun       bool
	Result       string
	Detail       string
	SlackError   string
}

// NextActionBatch returns the batch_id for a new run of act or notify.
func (db *DB) NextActionBatch(ctx context.Context) (int64, error) {
	if db.readOnly {
		return 0, errors.New("warehouse opened read-only: logging actions needs write access")
	}
	var id int64
	if err := db.sql.QueryRowContext(ctx, "SELECT COALESCE(MAX(batch_id), 0) + 1 FROM actions_log").Scan(&id); err != nil {
		return 0, fmt.Errorf("reading actions_log: %w", err)
	}
	return id, nil
}

// LogAction writes one row to actions_log at once, in its own transaction,
// so the log survives whatever happens to the rest of the run. It needs no
// sync: opening the warehouse for writing creates the table.
func (db *DB) LogAction(ctx context.Context, r ActionRow) error {
	if db.readOnly {
		return errors.New("warehouse opened read-only: logging actions needs write access")
	}
	at := r.LoggedAt
	if at.IsZero() {
		at = time.Now()
	}
	_, err := db.sql.ExecContext(ctx, `INSERT INTO actions_log (batch_id, step, logged_at, actor_user_id, actor_team_id, action,
		target_user_id, target_email, target_name, workspace, object, reason, source, dry_run, result, detail, slack_error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.BatchID, r.Step, at.UTC(), nullIfEmpty(r.ActorUserID), nullIfEmpty(r.ActorTeamID), r.Action,
		nullIfEmpty(r.TargetUserID), nullIfEmpty(r.TargetEmail), nullIfEmpty(r.TargetName), nullIfEmpty(r.Workspace), nullIfEmpty(r.Object),
		nullIfEmpty(r.Reason), nullIfEmpty(r.Source), r.DryRun, r.Result, nullIfEmpty(db.redactText(r.Detail)), nullIfEmpty(db.redactText(r.SlackError)))
	if err != nil {
		return fmt.Errorf("writing actions_log: %w", err)
	}
	return nil
}

func nullIfEmpty(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
