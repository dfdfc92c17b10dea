package warehouse

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

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
type Run struct {
	ID   int64
	Info RunInfo // Mode and TeamID may be filled in once known
	// APICalls is recorded in sync_runs when the run fails; Commit takes
	// the final count as an argument.
	APICalls int64
	db       *DB
	conn     *sql.Conn
	arrow    *duckdb.Arrow
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
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting sync: %w", err)
	}
	r := &Run{Info: info, db: db, conn: conn, rows: map[string]int64{}, started: time.Now().UTC()}
	if err := conn.Raw(func(dc any) error {
		r.arrow, err = duckdb.NewArrowFromConn(dc.(driver.Conn))
		return err
	}); err != nil {
		conn.Close()
		return nil, fmt.Errorf("starting sync: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `UPDATE sync_runs SET status = 'interrupted',
		error = 'the process stopped before the sync finished' WHERE status = 'running'`); err != nil {
		conn.Close()
		return nil, fmt.Errorf("starting sync: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `INSERT INTO sync_runs (run_id, started_at, status, api_calls, as_of, mode, team_id, api_url)
		SELECT COALESCE(MAX(run_id), 0) + 1, ?, 'running', 0, ?, ?, ?, ? FROM sync_runs RETURNING run_id`,
		r.started, info.AsOf.UTC(), info.Mode, info.TeamID, info.APIURL).Scan(&r.ID); err != nil {
		conn.Close()
		return nil, fmt.Errorf("starting sync: %w", err)
	}
	// Drop staging tables an older version left behind, then open the
	// sync's transaction: everything it loads is undone by a rollback.
	for _, t := range Tables {
		if t.Kind != Log {
			if _, err := conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+quoteIdent(stagePrefix+t.Name)); err != nil {
				return nil, r.Fail(ctx, fmt.Errorf("starting sync: %w", err))
			}
		}
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return nil, r.Fail(ctx, fmt.Errorf("starting sync: %w", err))
	}
	r.inTx = true
	if err := r.createStaging(ctx); err != nil {
		return nil, r.Fail(ctx, err)
	}
	return r, nil
}

// createStaging creates an empty copy of each snapshot table, inside the
// sync's transaction.
func (r *Run) createStaging(ctx context.Context) error {
	for _, t := range Tables {
		if t.Kind != Snapshot {
			continue
		}
		name := stagePrefix + t.Name
		stmts := append([]string{"DROP TABLE IF EXISTS " + quoteIdent(name), t.createSQL(name)}, t.commentSQL(name)...)
		for _, q := range stmts {
			if _, err := r.conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("creating staging table for %s: %w", t.Name, err)
			}
		}
	}
	return nil
}

// Load appends one Arrow batch to table within the sync's transaction.
// Columns are matched by name; the batch may omit nullable columns.
func (r *Run) Load(ctx context.Context, table string, rec arrow.RecordBatch) error {
	t, ok := Lookup(table)
	if !ok || t.Kind == Log {
		return fmt.Errorf("loading %s: not a table a sync loads", table)
	}
	if rec.NumRows() == 0 {
		return nil
	}
	reader, err := array.NewRecordReader(rec.Schema(), []arrow.RecordBatch{rec})
	if err != nil {
		return fmt.Errorf("loading %s: %w", table, err)
	}
	defer reader.Release()
	const view = "_arrow_in"
	release, err := r.arrow.RegisterView(reader, view)
	if err != nil {
		return fmt.Errorf("loading %s: %w", table, err)
	}
	defer release()
	// History rows go straight into their table (the transaction keeps them
	// invisible until Commit); snapshot rows into the staging copy. The view
	// is always read whole: projecting a subset of a registered Arrow view's
	// columns can crash DuckDB (duckdb-go issues #24 and #28).
	target := table
	if t.Kind == Snapshot {
		target = stagePrefix + table
	}
	q := fmt.Sprintf("INSERT INTO %s BY NAME SELECT * FROM %s", quoteIdent(target), view)
	if _, err := r.conn.ExecContext(ctx, q); err != nil {
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
	err := r.commit(ctx, apiCalls)
	if err != nil {
		return r.Fail(ctx, fmt.Errorf("committing sync: %w", err))
	}
	r.ended = true
	return r.conn.Close()
}

func (r *Run) commit(ctx context.Context, apiCalls int64) error {
	for _, t := range Tables {
		if t.Kind != Snapshot {
			continue
		}
		stage := quoteIdent(stagePrefix + t.Name)
		for _, q := range []string{"DROP TABLE IF EXISTS " + quoteIdent(t.Name), fmt.Sprintf("ALTER TABLE %s RENAME TO %s", stage, quoteIdent(t.Name))} {
			if _, err := r.conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("swapping in %s: %w", t.Name, err)
			}
		}
	}
	if err := r.writeStatus(ctx); err != nil {
		return err
	}
	if _, err := r.conn.ExecContext(ctx, `UPDATE sync_runs SET status = 'succeeded', finished_at = ?, api_calls = ?, error = NULL,
		mode = ?, team_id = ? WHERE run_id = ?`, time.Now().UTC(), apiCalls, r.Info.Mode, r.Info.TeamID, r.ID); err != nil {
		return err
	}
	_, err := r.conn.ExecContext(ctx, "COMMIT")
	if err == nil {
		r.inTx = false
	}
	return err
}

func (r *Run) writeStatus(ctx context.Context) error {
	for _, s := range r.status {
		if _, err := r.conn.ExecContext(ctx, `INSERT INTO source_status (run_id, team_id, source, status, reason, rows, unlock, duplicates)
			VALUES (?, ?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, ''), ?)`, r.ID, s.TeamID, s.Source, s.Status, s.Reason, s.Rows, s.Unlock, s.Duplicates); err != nil {
			return fmt.Errorf("recording source status: %w", err)
		}
	}
	return nil
}

// Fail abandons the sync: staging tables are dropped, the previous snapshot
// stays whole, and sync_runs records why. It returns cause, so callers can
// write `return run.Fail(ctx, err)`.
func (r *Run) Fail(ctx context.Context, cause error) error {
	if r.ended {
		return cause
	}
	r.ended = true
	ctx = context.WithoutCancel(ctx)
	defer r.conn.Close()
	if r.inTx {
		// Undoes every row loaded and every staging table created.
		r.conn.ExecContext(ctx, "ROLLBACK")
		r.inTx = false
	}
	status := "failed"
	if errors.Is(cause, context.Canceled) {
		status = "interrupted"
	}
	msg := "unknown error"
	if cause != nil {
		msg = cause.Error()
	}
	var werr error
	if _, err := r.conn.ExecContext(ctx, `UPDATE sync_runs SET status = ?, finished_at = ?, error = ?, api_calls = ?,
		mode = ?, team_id = ? WHERE run_id = ?`, status, time.Now().UTC(), msg, r.APICalls, r.Info.Mode, r.Info.TeamID, r.ID); err != nil {
		werr = fmt.Errorf("recording the failure in sync_runs: %w", err)
	} else if err := r.writeStatus(ctx); err != nil {
		werr = err
	}
	return errors.Join(cause, werr)
}

// Scan runs a query on the sync's connection and passes each result batch to
// fn as Arrow. Transforms use it to read history a sync does not fetch again.
// The batch is valid only during fn.
func (r *Run) Scan(ctx context.Context, query string, fn func(arrow.RecordBatch) error, args ...any) error {
	reader, err := r.arrow.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer reader.Release()
	for reader.Next() {
		if err := fn(reader.RecordBatch()); err != nil {
			return err
		}
	}
	return reader.Err()
}

// ActivityDays returns the days from `from` on that member_activity already
// holds for the enterprise: a sync fetches each day once.
func (r *Run) ActivityDays(ctx context.Context, enterpriseID string, from time.Time) (map[string]bool, error) {
	rows, err := r.conn.QueryContext(ctx, `SELECT DISTINCT strftime(date, '%Y-%m-%d') FROM member_activity
		WHERE enterprise_id = ? AND date >= ?::DATE`, enterpriseID, from.UTC().Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("reading member_activity days: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out[d] = true
	}
	return out, rows.Err()
}
