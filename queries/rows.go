package queries

import (
	"context"
	"errors"
	"iter"

	"slackaudit/warehouse"
)

// Result is a statement's result, read row by row as DuckDB produces it.
// Close it when done, whether or not its rows were read.
type Result struct {
	rows *warehouse.Rows
	cols []string
}

// Rows runs one statement, typed by a user or a named query's SQL with its
// bound arguments, on a read-only warehouse, in a locked-down session of
// its own: whatever the statement is, it changes nothing, writes no file and
// reads nothing but the warehouse (and the folders the warehouse was opened
// to allow). A statement the session refuses is a *warehouse.RefusedError.
func Rows(ctx context.Context, db *warehouse.DB, query string, args ...any) (*Result, error) {
	if !db.ReadOnly() {
		return nil, errors.New("queries.Rows runs statements on a warehouse opened read-only")
	}
	rows, err := db.Stream(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	r := &Result{rows: rows}
	for _, c := range rows.Columns() {
		r.cols = append(r.cols, c.Name)
	}
	return r, nil
}

// Columns names the result's columns.
func (r *Result) Columns() []string { return r.cols }

// All yields each row's values in column order (see warehouse.Rows.Scan for
// their Go types); an error reading the rows is yielded once, last. All
// reads the result once.
func (r *Result) All() iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		for r.rows.Next() {
			vals := make([]any, len(r.cols))
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.rows.Scan(ptrs...); err != nil {
				yield(nil, err)
				return
			}
			if !yield(vals, nil) {
				return
			}
		}
		if err := r.rows.Err(); err != nil {
			yield(nil, err)
		}
	}
}

// Close releases the result and its session, interrupting a statement
// still running.
func (r *Result) Close() error { return r.rows.Close() }
