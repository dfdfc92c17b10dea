package warehouse

import (
	"context"
	"errors"
	"fmt"
	"slackaudit/warehouse/schema"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// ErrNoSync is what every reader of the warehouse (the report, export)
// says before the first completed sync.
var ErrNoSync = errors.New("the warehouse has no completed sync: run slackaudit sync first")

// stagePrefix names the staging copy of a table while a sync loads it.
const stagePrefix = "_stage_"

// RunInfo describes a sync as it starts.
type RunInfo struct {
	AsOf   time.Time // the instant derived values are computed against
	Mode   string    // connection mode
	TeamID string    // workspace or enterprise of the token
	APIURL string    // Web API base URL (never the token)
}

// SourceStatus records whether one data set could be read for one workspace.
type SourceStatus struct {
	TeamID string
	Source string
	Status string // ok, unavailable or failed
	Reason string
	Unlock string
	Rows   int64
	// Duplicates is how many records Slack listed more than once; each
	// was kept once.
	Duplicates int64
}

// Run is a sync in progress. It loads Arrow batches into staging tables and,
// at Commit, swaps them all in with one transaction. A Run is not safe for
// concurrent use: one goroutine loads.
//
// A Run has a connection of its own, and loads through DuckDB's appender:
// every value is copied into DuckDB before Load returns, and nothing but the
// contract tables is ever created, so nothing of a load can reach the file
// or outlive it.
type Run struct {
	ID   int64
	Info RunInfo // Mode and TeamID may be filled in once known
	// APICalls is recorded in sync_runs when the run fails; Commit takes
	// the final count as an argument.
	APICalls int64
	db       *DB
	conn     *Session
	rows     map[string]int64
	status   []SourceStatus
	started  time.Time
	ended    bool
	inTx     bool // the sync's transaction is open
}

// BeginRun records a new sync in sync_runs and prepares empty staging tables.
// Syncs that a killed process left as running are marked interrupted.
func (db *DB) BeginRun(ctx context.Context, info RunInfo) (*Run, error) {
	if db.readOnly {
		return nil, errors.New("warehouse opened read-only: a sync needs write access")
	}
	conn, err := db.connect()
	if err != nil {
		return nil, fmt.Errorf("starting sync: %w", err)
	}
	r := &Run{Info: info, db: db, conn: conn, rows: map[string]int64{}, started: time.Now().UTC()}
	if err := r.record(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("starting sync: %w", err)
	}
	// Everything the sync loads is undone by a rollback.
	if err := conn.exec(ctx, "BEGIN TRANSACTION"); err != nil {
		return nil, r.Fail(ctx, fmt.Errorf("starting sync: %w", err))
	}
	r.inTx = true
	if err := r.createStaging(ctx); err != nil {
		return nil, r.Fail(ctx, err)
	}
	return r, nil
}

// record marks runs a killed process left running as interrupted and adds
// this one to sync_runs.
func (r *Run) record(ctx context.Context) error {
	if err := r.conn.exec(ctx, `UPDATE sync_runs SET status = 'interrupted',
		error = 'the process stopped before the sync finished' WHERE status = 'running'`); err != nil {
		return err
	}
	rows, err := r.conn.stream(ctx, `INSERT INTO sync_runs (run_id, started_at, status, api_calls, as_of, mode, team_id, api_url)
		SELECT COALESCE(MAX(run_id), 0) + 1, ?, 'running', 0, ?, ?, ?, ? FROM sync_runs RETURNING run_id`,
		[]any{r.started, r.Info.AsOf.UTC(), r.Info.Mode, r.Info.TeamID, r.db.redactText(r.Info.APIURL)})
	if err != nil {
		return err
	}
	defer rows.Close()
	var id any
	if !rows.Next() {
		return errors.Join(errors.New("sync_runs returned no run_id"), rows.Err())
	}
	if err := rows.Scan(&id); err != nil {
		return err
	}
	r.ID, _ = id.(int64)
	return nil
}

// createStaging creates an empty copy of each snapshot table, inside the
// sync's transaction.
func (r *Run) createStaging(ctx context.Context) error {
	for _, t := range r.db.cat.tables {
		if t.Kind != schema.Snapshot {
			continue
		}
		name := stagePrefix + t.Name
		stmts := append([]string{"DROP TABLE IF EXISTS " + quoteIdent(name), t.createSQL(name)}, t.commentSQL(name)...)
		for _, q := range stmts {
			if err := r.conn.exec(ctx, q); err != nil {
				return fmt.Errorf("creating staging table for %s: %w", t.Name, err)
			}
		}
	}
	return nil
}

// Load appends one Arrow batch to table within the sync's transaction.
// Columns are matched by name; the batch may omit nullable columns. rec is
// not retained: the caller may release it when Load returns.
func (r *Run) Load(ctx context.Context, table string, rec arrow.RecordBatch) error {
	t, ok := r.db.cat.lookup(table)
	if !ok || t.Kind == schema.Log {
		return fmt.Errorf("loading %s: not a table a sync loads", table)
	}
	if r.ended {
		return fmt.Errorf("loading %s: the sync has ended", table)
	}
	if rec.NumRows() == 0 {
		return nil
	}
	// History rows go straight into their table (the transaction keeps them
	// invisible until Commit); snapshot rows into the staging copy.
	target := table
	if t.Kind == schema.Snapshot {
		target = stagePrefix + table
	}
	if err := r.conn.appendBatch(ctx, target, rec); err != nil {
		return fmt.Errorf("loading %s: %w", table, err)
	}
	r.rows[table] += rec.NumRows()
	return nil
}

// Rows reports how many rows were loaded into table in this run.
func (r *Run) Rows(table string) int64 { return r.rows[table] }

// SetStatus records the outcome of one data set; written at Commit or Fail.
func (r *Run) SetStatus(s SourceStatus) { r.status = append(r.status, s) }

// Commit swaps every staged table in and marks the sync succeeded, ending the
// sync's transaction, so history rows appear at the same instant. If it
// fails, the previous snapshot stays.
func (r *Run) Commit(ctx context.Context, apiCalls int64) error {
	if r.ended {
		return errors.New("sync already ended")
	}
	if err := r.commit(ctx, apiCalls); err != nil {
		return r.Fail(ctx, fmt.Errorf("committing sync: %w", err))
	}
	r.ended = true
	return r.conn.Close()
}

func (r *Run) commit(ctx context.Context, apiCalls int64) error {
	for _, t := range r.db.cat.tables {
		if t.Kind != schema.Snapshot {
			continue
		}
		stage := quoteIdent(stagePrefix + t.Name)
		for _, q := range []string{"DROP TABLE IF EXISTS " + quoteIdent(t.Name), fmt.Sprintf("ALTER TABLE %s RENAME TO %s", stage, quoteIdent(t.Name))} {
			if err := r.conn.exec(ctx, q); err != nil {
				return fmt.Errorf("swapping in %s: %w", t.Name, err)
			}
		}
	}
	if err := r.writeStatus(ctx); err != nil {
		return err
	}
	if err := r.conn.exec(ctx, `UPDATE sync_runs SET status = 'succeeded', finished_at = ?, api_calls = ?, error = NULL,
		mode = ?, team_id = ? WHERE run_id = ?`, time.Now().UTC(), apiCalls, r.Info.Mode, r.Info.TeamID, r.ID); err != nil {
		return fmt.Errorf("recording the sync in sync_runs: %w", err)
	}
	if err := r.conn.exec(ctx, "COMMIT"); err != nil {
		return err
	}
	r.inTx = false
	return nil
}

func (r *Run) writeStatus(ctx context.Context) error {
	for _, s := range r.status {
		if err := r.conn.exec(ctx, `INSERT INTO source_status (run_id, team_id, source, status, reason, rows, unlock, duplicates)
			VALUES (?, ?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, ''), ?)`, r.ID, s.TeamID, s.Source, s.Status, r.db.redactText(s.Reason), s.Rows, s.Unlock, s.Duplicates); err != nil {
			return fmt.Errorf("recording source status: %w", err)
		}
	}
	return nil
}

// Fail abandons the sync: staging tables are dropped, the previous snapshot
// stays whole, and sync_runs records why. It returns cause, joined with
// whatever went wrong while abandoning, so callers can write
// `return run.Fail(ctx, err)`.
func (r *Run) Fail(ctx context.Context, cause error) error {
	if r.ended {
		return cause
	}
	r.ended = true
	ctx = context.WithoutCancel(ctx)
	defer r.conn.Close()
	var errs []error
	if r.inTx {
		// Undoes every row loaded and every staging table created.
		if err := r.conn.exec(ctx, "ROLLBACK"); err != nil {
			errs = append(errs, fmt.Errorf("undoing the sync (ROLLBACK): %w", err))
		}
		r.inTx = false
	}
	status := "failed"
	if errors.Is(cause, context.Canceled) {
		status = "interrupted"
	}
	msg := "unknown error"
	if cause != nil {
		msg = r.db.redactText(cause.Error())
	}
	if err := r.conn.exec(ctx, `UPDATE sync_runs SET status = ?, finished_at = ?, error = ?, api_calls = ?,
		mode = ?, team_id = ? WHERE run_id = ?`, status, time.Now().UTC(), msg, r.APICalls, r.Info.Mode, r.Info.TeamID, r.ID); err != nil {
		errs = append(errs, fmt.Errorf("recording the failure in sync_runs: %w", err))
	} else if err := r.writeStatus(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(append([]error{cause}, errs...)...)
}

// Scan runs a query on the sync's connection and passes each result batch to
// fn as Arrow. Transforms use it to read history a sync does not fetch again.
// The batch is valid only during fn.
func (r *Run) Scan(ctx context.Context, query string, fn func(arrow.RecordBatch) error, args ...any) error {
	rows, err := r.conn.stream(ctx, query, args)
	if err != nil {
		return err
	}
	defer rows.Close()
	for {
		rec, ok := rows.nextBatch()
		if !ok {
			return rows.Err()
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// ActivityDays returns the days from `from` on that member_activity already
// holds for the enterprise: a sync fetches each day once.
func (r *Run) ActivityDays(ctx context.Context, enterpriseID string, from time.Time) (map[string]bool, error) {
	rows, err := r.conn.stream(ctx, `SELECT DISTINCT strftime(date, '%Y-%m-%d') FROM member_activity
		WHERE enterprise_id = ? AND date >= ?::DATE`, []any{enterpriseID, from.UTC().Format(time.DateOnly)})
	if err != nil {
		return nil, fmt.Errorf("reading member_activity days: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var d any
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("reading member_activity days: %w", err)
		}
		if s, ok := d.(string); ok {
			out[s] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading member_activity days: %w", err)
	}
	return out, nil
}
