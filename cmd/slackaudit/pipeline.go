package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/extract"
	"slackaudit/warehouse"
)

// errFreePlan stops a sync of a Free workspace.
var errFreePlan = errors.New("this workspace is on Slack Free; slackaudit needs Pro, Business+ or Enterprise Grid")

// syncOptions configure one sync.
type syncOptions struct {
	teamID   string
	asOf     time.Time // zero: now
	progress io.Writer // live progress lines (a terminal); nil for none
}

// syncResult is what a finished sync reports.
type syncResult struct {
	runID     int64
	identity  extract.Identity
	workspace extract.Workspace
	mode      string
	asOf      time.Time
	tables    []tableRows
	status    []warehouse.SourceStatus
	calls     int64
	byMethod  string
	elapsed   time.Duration
}

type tableRows struct {
	table string
	rows  int64
}

// plannedSource is a Source and whether the sync fails without it.
type plannedSource struct {
	src      extract.Source
	teamID   string
	required bool
}

// syncOrg reads the organisation through c and lands a new snapshot in db.
// On any failure the previous snapshot stays whole and sync_runs records why.
func syncOrg(ctx context.Context, db *warehouse.DB, c *extract.Client, o syncOptions) (*syncResult, error) {
	start := time.Now()
	asOf := o.asOf
	if asOf.IsZero() {
		asOf = start
	}
	asOf = asOf.UTC().Truncate(time.Second)
	run, err := db.BeginRun(ctx, warehouse.RunInfo{AsOf: asOf, TeamID: o.teamID, APIURL: c.APIURL()})
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*syncResult, error) {
		run.APICalls = c.TotalCalls()
		return nil, run.Fail(ctx, err)
	}
	id, err := c.AuthTest(ctx)
	if err != nil {
		return fail(err)
	}
	ws, err := c.Discover(ctx, id, o.teamID)
	if err != nil {
		return fail(err)
	}
	run.Info.TeamID = ws.TeamID
	run.Info.Mode = modeOf(id, ws)
	if ws.PlanCode == "free" {
		return fail(errFreePlan)
	}
	sources := []plannedSource{
		{src: extract.Workspaces{ws}, teamID: ws.TeamID, required: true},
		{src: extract.Users{Client: c, TeamID: ws.TeamID}, teamID: ws.TeamID, required: true},
		{src: extract.Billable{Client: c, TeamID: ws.TeamID}, teamID: ws.TeamID},
	}
	status, err := runSources(ctx, run, sources, o.progress)
	if err != nil {
		return fail(err)
	}
	for _, s := range status {
		run.SetStatus(s)
	}
	calls := c.TotalCalls()
	if err := run.Commit(ctx, calls); err != nil {
		return nil, err
	}
	res := &syncResult{runID: run.ID, identity: id, workspace: ws, mode: run.Info.Mode, asOf: asOf, status: status,
		calls: calls, byMethod: c.CallSummary(), elapsed: time.Since(start)}
	for _, t := range warehouse.Tables {
		if t.Kind != warehouse.Log {
			res.tables = append(res.tables, tableRows{t.Name, run.Rows(t.Name)})
		}
	}
	return res, nil
}

// modeOf names the connection mode Slack's answers imply.
func modeOf(id extract.Identity, ws extract.Workspace) string {
	switch {
	case id.IsEnterpriseInstall:
		return "grid_org"
	case ws.EnterpriseID != "" || ws.PlanCode == "enterprise":
		return "grid_workspace"
	case ws.PlanCode == "std":
		return "pro"
	}
	return "business_plus"
}

type loadedBatch struct {
	source int // index into the sources
	rec    arrow.RecordBatch
}

// runSources extracts every source concurrently and loads their batches, in
// arrival order, on this goroutine (a DuckDB connection is not safe for
// concurrent use). A required source's failure, or any failure that is not
// "unavailable to this plan or token", cancels the rest and is returned.
func runSources(ctx context.Context, run *warehouse.Run, sources []plannedSource, progress io.Writer) ([]warehouse.SourceStatus, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ch := make(chan loadedBatch)
	status := make([]warehouse.SourceStatus, len(sources))
	var wg sync.WaitGroup
	for i, ps := range sources {
		status[i] = warehouse.SourceStatus{TeamID: ps.teamID, Source: ps.src.Name(), Status: "ok"}
		wg.Go(func() {
			err := ps.src.Extract(ctx, func(rec arrow.RecordBatch) error {
				rec.Retain()
				select {
				case ch <- loadedBatch{i, rec}:
					return nil
				case <-ctx.Done():
					rec.Release()
					return context.Cause(ctx)
				}
			})
			if err == nil {
				return
			}
			if ctx.Err() != nil {
				err = context.Cause(ctx)
			}
			if e, ok := extract.AsError(err); ok && e.Unavailable() && !ps.required {
				status[i].Status, status[i].Reason, status[i].Unlock = "unavailable", e.Error(), e.Hint()
				return
			}
			status[i].Status, status[i].Reason = "failed", err.Error()
			cancel(err)
		})
	}
	go func() { wg.Wait(); close(ch) }()
	p := newProgress(progress)
	for b := range ch {
		if ctx.Err() == nil {
			src := sources[b.source].src
			if err := run.Load(ctx, src.Table(), b.rec); err != nil {
				cancel(err)
			}
			status[b.source].Rows += b.rec.NumRows()
			p.update(src.Name(), status[b.source].Rows)
		}
		b.rec.Release()
	}
	p.done()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return status, nil
}

// progress prints one self-overwriting line per update, at most every 200 ms.
type progress struct {
	w    io.Writer
	last time.Time
}

func newProgress(w io.Writer) *progress { return &progress{w: w} }

func (p *progress) update(source string, rows int64) {
	if p.w == nil || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\033[Ksyncing %s: %s rows", source, thousands(rows))
}

func (p *progress) done() {
	if p.w != nil && !p.last.IsZero() {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
