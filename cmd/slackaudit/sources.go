package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse"
)

type loadedBatch struct {
	source int // index into the sources
	rec    arrow.RecordBatch
}

// noter is a Source with something to say about an otherwise successful read.
type noter interface{ Note() string }

// runSources extracts the sources, a few at a time, and loads their batches
// in arrival order on this goroutine (a DuckDB connection is not safe for
// concurrent use), showing each batch to the derivers too. A required
// source's failure, or any failure other than "unavailable to this plan or
// token", cancels the rest and is returned. Long rate-limit waits show on
// the progress line.
func runSources(ctx context.Context, run *warehouse.Run, sources []plannedSource, derivers []deriver, o syncOptions) ([]warehouse.SourceStatus, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	parallel := o.parallel
	if parallel <= 0 {
		parallel = 4
	}
	p := newProgress(o.progress)
	ctx = slackapi.WithWaitHook(ctx, p.wait)
	ch := make(chan loadedBatch)
	status := make([]warehouse.SourceStatus, len(sources))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, ps := range sources {
		status[i] = warehouse.SourceStatus{TeamID: ps.teamID, Source: ps.src.Name(), Status: "ok"}
		wg.Go(func() {
			defer recoverInto(cancel)
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				return
			}
			if err := extractOne(ctx, ps, &status[i], ch, i); err != nil {
				cancel(err)
			}
		})
	}
	go func() { wg.Wait(); close(ch) }()
	for b := range ch {
		if ctx.Err() == nil {
			src := sources[b.source].src
			if err := run.Load(ctx, src.Table(), b.rec); err != nil {
				cancel(err)
			} else if err := observe(derivers, src.Table(), b.rec); err != nil {
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

// recoverInto turns a panic in a source's goroutine into the sync's error,
// so it is reported like any other crash (exit 1 with the stack) instead of
// killing the process with the runtime's exit code 2.
func recoverInto(cancel context.CancelCauseFunc) {
	if p := recover(); p != nil {
		cancel(&internalError{value: p, stack: debug.Stack()})
	}
}

// extractOne reads one source, sending its batches to ch and recording its
// outcome in st. It returns the error that must stop the sync, if any.
func extractOne(ctx context.Context, ps plannedSource, st *warehouse.SourceStatus, ch chan<- loadedBatch, i int) error {
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
			notes = append(notes, repeatsNote(st.Source, st.Duplicates))
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

// repeatNouns name what each data set lists, for the repeats note.
var repeatNouns = map[string]string{"users": "accounts", "org_users": "accounts", "billable_info": "billing flags",
	"access_logs": "sign-in rows", "app_events": "integration-log entries", "app_directory": "apps",
	"app_requests": "app requests", "user_groups": "user groups", "member_activity": "daily activity lines",
	"workspaces": "workspaces"}

// repeatsNote says that Slack listed n records of source more than once.
func repeatsNote(source string, n int64) string {
	noun := repeatNouns[source]
	if noun == "" {
		noun = "records"
	}
	return fmt.Sprintf("Slack listed %s %s twice; each was kept once", thousands(n), noun)
}
