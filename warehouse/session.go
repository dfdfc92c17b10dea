package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	bindings "github.com/duckdb/duckdb-go-bindings"
)

// Session is one connection for streaming statements, so that what a user
// sets up (temporary tables, variables, transactions) lasts across
// statements, as in DuckDB's own shell. A Session runs one statement at a
// time. The sessions Session opens vet every statement first (see guard.go);
// the connections slackaudit runs its own statements on do not.
type Session struct {
	conn  bindings.Connection
	guard *guard // nil: slackaudit's own statements
}

// Session opens a streaming session for statements a user typed.
func (db *DB) Session() (*Session, error) {
	s, err := db.connect()
	if err != nil {
		return nil, err
	}
	s.guard = &guard{files: db.allowFiles, own: newOwnFiles(db.path), internal: internalNames(db.leftovers)}
	return s, nil
}

// connect opens a connection to the warehouse's locked-down instance.
func (db *DB) connect() (*Session, error) {
	s := &Session{}
	if bindings.Connect(db.inst, &s.conn) == bindings.StateError {
		return nil, fmt.Errorf("connecting to warehouse %s: DuckDB refused a new connection", db.path)
	}
	return s, nil
}

// Close ends the session.
func (s *Session) Close() error {
	bindings.Disconnect(&s.conn)
	return nil
}

// Stream runs one statement in a session of its own (see Session.Stream).
func (db *DB) Stream(ctx context.Context, query string, args ...any) (*Rows, error) {
	s, err := db.Session()
	if err != nil {
		return nil, err
	}
	r, err := s.Stream(ctx, query, args...)
	if err != nil {
		s.Close()
		return nil, err
	}
	r.owns = true
	return r, nil
}

// Stream runs one statement and returns its result to read row by row as
// DuckDB produces it. Arguments bind to ? and $name (sql.Named) parameters.
// Cancelling ctx interrupts the statement. Close the Rows before the next
// statement. A statement the session's lock-down refuses returns a
// *RefusedError.
func (s *Session) Stream(ctx context.Context, query string, args ...any) (*Rows, error) {
	return s.stream(ctx, query, args)
}

func (s *Session) stream(ctx context.Context, query string, args []any) (*Rows, error) {
	if s.guard != nil {
		if err := s.guard.preVet(query); err != nil {
			return nil, err
		}
	}
	r := &Rows{sess: s, conn: s.conn, stop: make(chan struct{})}
	if bindings.Prepare(r.conn, query, &r.stmt) == bindings.StateError {
		msg := bindings.PrepareError(r.stmt)
		r.Close()
		return nil, duckError(msg)
	}
	if s.guard != nil {
		if err := s.guard.vet(ctx, s, r.stmt, query, args, 0); err != nil {
			r.Close()
			return nil, err
		}
	}
	if err := bindArgs(r.stmt, args); err != nil {
		r.Close()
		return nil, err
	}
	// Interrupt the statement when ctx ends, while it runs or streams.
	r.wg.Go(func() { interruptOnDone(ctx, r.conn, r.stop) })
	if bindings.ExecutePreparedStreaming(r.stmt, &r.res) == bindings.StateError {
		msg := bindings.ResultError(&r.res)
		r.Close()
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		return nil, duckError(msg)
	}
	if err := r.describe(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// describe reads the result's columns and the Arrow schema its chunks
// convert to.
func (r *Rows) describe() error {
	n := bindings.ColumnCount(&r.res)
	names := make([]string, n)
	types := make([]bindings.LogicalType, n)
	r.cols = make([]ResultColumn, n)
	for i := range n {
		names[i] = bindings.ColumnName(&r.res, i)
		types[i] = bindings.ColumnLogicalType(&r.res, i)
		r.cols[i] = ResultColumn{Name: names[i], Type: typeName(types[i])}
	}
	bindings.ConnectionGetArrowOptions(r.conn, &r.opts)
	schema, ed := bindings.NewArrowSchema(r.opts, types, names)
	for i := range types {
		bindings.DestroyLogicalType(&types[i])
	}
	defer bindings.DestroyErrorData(&ed)
	if bindings.ErrorDataHasError(ed) {
		return fmt.Errorf("describing the result: %s", bindings.ErrorDataMessage(ed))
	}
	r.schema = schema
	return nil
}

// interruptOnDone interrupts conn's statement if ctx ends before stop closes.
func interruptOnDone(ctx context.Context, conn bindings.Connection, stop <-chan struct{}) {
	select {
	case <-ctx.Done():
		bindings.Interrupt(conn)
	case <-stop:
	}
}

// exec runs one of slackaudit's own statements to the end, discarding any
// result. Cancelling ctx interrupts it.
func (s *Session) exec(ctx context.Context, query string, args ...any) error {
	var stmt bindings.PreparedStatement
	defer bindings.DestroyPrepare(&stmt)
	if bindings.Prepare(s.conn, query, &stmt) == bindings.StateError {
		return duckError(bindings.PrepareError(stmt))
	}
	if err := bindArgs(stmt, args); err != nil {
		return err
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { interruptOnDone(ctx, s.conn, stop) })
	var res bindings.Result
	state := bindings.ExecutePrepared(stmt, &res)
	close(stop)
	wg.Wait()
	defer bindings.DestroyResult(&res)
	if state == bindings.StateError {
		err := duckError(bindings.ResultError(&res))
		if ctx.Err() != nil {
			return errors.Join(context.Cause(ctx), err)
		}
		return err
	}
	return nil
}

// bindArgs binds args to stmt's ? and $name (sql.Named) parameters.
func bindArgs(stmt bindings.PreparedStatement, args []any) error {
	for i, a := range args {
		idx := bindings.IdxT(i + 1)
		if nv, ok := a.(sql.NamedArg); ok {
			if bindings.BindParameterIndex(stmt, &idx, nv.Name) == bindings.StateError {
				continue // the statement does not use this parameter
			}
			a = nv.Value
		}
		if err := bindArg(stmt, idx, a); err != nil {
			return fmt.Errorf("parameter %d: %w", i+1, err)
		}
	}
	return nil
}

func bindArg(stmt bindings.PreparedStatement, idx bindings.IdxT, a any) error {
	var st bindings.State
	switch v := a.(type) {
	case nil:
		st = bindings.BindNull(stmt, idx)
	case string:
		st = bindings.BindVarchar(stmt, idx, v)
	case bool:
		st = bindings.BindBoolean(stmt, idx, v)
	case int:
		st = bindings.BindInt64(stmt, idx, int64(v))
	case int64:
		st = bindings.BindInt64(stmt, idx, v)
	case float64:
		st = bindings.BindDouble(stmt, idx, v)
	case time.Time:
		if v.Equal(v.Truncate(24*time.Hour)) && v.Location() == time.UTC {
			st = bindings.BindDate(stmt, idx, bindings.NewDate(int32(v.Unix()/86400)))
		} else {
			st = bindings.BindTimestamp(stmt, idx, bindings.NewTimestamp(v.UnixMicro()))
		}
	default:
		return fmt.Errorf("cannot bind a %T", a)
	}
	if st == bindings.StateError {
		return fmt.Errorf("binding: %s", bindings.PrepareError(stmt))
	}
	return nil
}
