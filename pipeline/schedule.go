package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/warehouse"
)

type loadedBatch struct {
	source int // index into the sources
	rec    arrow.RecordBatch
}

// noter is a Source with something to say about an otherwise successful read.
type noter interface{ Note() string }

// runSources extracts the sources, o.Parallel at a time, and loads their
// batches in arrival order on this goroutine (a DuckDB connection is not
// safe for concurrent use), showing each batch to the derivers that read
// it. A required source's failure, or any failure other than "unavailable
// to this plan or token", cancels the rest and is returned. Rows landed and
// rate-limit waits go to o.Progress.
func runSources(ctx context.Context, wr *warehouse.Run, sources []plannedSource, d *derivation, o Options) ([]warehouse.SourceStatus, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ctx = slackapi.WithWaitHook(ctx, o.Progress.Wait)
	ch := make(chan loadedBatch)
	status := startSources(ctx, cancel, sources, ch, o)
	for b := range ch {
		if ctx.Err() == nil {
			src := sources[b.source].src
			if err := wr.Load(ctx, extract.Name(src), b.rec); err != nil {
				cancel(err)
			} else if err := d.observe(0, extract.Name(src), b.rec); err != nil {
				cancel(err)
			}
			status[b.source].Rows += b.rec.NumRows()
			o.Progress.Update(extract.Name(src), status[b.source].Rows)
		}
		b.rec.Release()
	}
	o.Progress.Done()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return status, nil
}

// startSources starts reading the sources, o.Parallel at a time, each
// sending its batches to ch and recording its outcome in its status; ch is
// closed when all are done. A source whose failure must stop the sync
// cancels ctx with it.
func startSources(ctx context.Context, cancel context.CancelCauseFunc, sources []plannedSource, ch chan<- loadedBatch, o Options) []warehouse.SourceStatus {
	status := make([]warehouse.SourceStatus, len(sources))
	sem := make(chan struct{}, o.Parallel)
	var wg sync.WaitGroup
	for i, ps := range sources {
		status[i] = warehouse.SourceStatus{TeamID: ps.teamID, Source: extract.Name(ps.src), Status: "ok"}
		wg.Go(func() {
			defer recoverInto(cancel)
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				return
			}
			if err := extractOne(ctx, ps, &status[i], ch, i, o.Logger); err != nil {
				cancel(err)
			}
		})
	}
	go func() { wg.Wait(); close(ch) }()
	return status
}

// recoverInto turns a panic in a source's goroutine into the sync's error,
// a *PanicError with the stack, instead of a crash of the process.
func recoverInto(cancel context.CancelCauseFunc) {
	if p := recover(); p != nil {
		cancel(&PanicError{Value: p, Stack: debug.Stack()})
	}
}

// extractOne reads one source, sending its batches to ch and recording its
// outcome in st. It returns the error that must stop the sync, if any.
func extractOne(ctx context.Context, ps plannedSource, st *warehouse.SourceStatus, ch chan<- loadedBatch, i int, log *slog.Logger) error {
	start := time.Now()
	defer func() {
		log.Debug("data set read", "data_set", st.Source, "team", st.TeamID, "status", st.Status, "in", time.Since(start).Round(time.Millisecond))
	}()
	sctx, stats := slackapi.WithStats(ctx)
	err := ps.src.Extract(sctx, func(rec arrow.RecordBatch) error {
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
		var notes []string
		if n, ok := ps.src.(noter); ok {
			notes = append(notes, n.Note())
		}
		st.Duplicates = stats.Duplicates() + ps.repeats
		if st.Duplicates > 0 {
			notes = append(notes, repeatsNote(ps.records, st.Duplicates))
		}
		st.Reason = strings.Join(notes, "; ")
		return nil
	}
	if ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	if e, ok := slackapi.AsError(err); ok && e.Unavailable() && !ps.required {
		st.Status, st.Reason, st.Unlock = "unavailable", e.Message(), e.Hint()
		return nil
	}
	st.Status, st.Reason = "failed", err.Error()
	return err
}

// repeatsNote says that Slack listed n records of a data set more than
// once; records names what it lists ("accounts").
func repeatsNote(records string, n int64) string {
	return fmt.Sprintf("Slack listed %s %s twice; each was kept once", thousands(n), records)
}
