package warehouse

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	bindings "github.com/duckdb/duckdb-go-bindings"
)

// appendBatch appends rec to table through DuckDB's appender on the
// session's connection, inside the connection's open transaction. Columns
// are matched by name; columns rec lacks get their default (NULL).
//
// The batch is converted to DuckDB data chunks of DuckDB's vector size, on
// this goroutine, and the appender copies each chunk before the next: when
// appendBatch returns, DuckDB holds no reference to rec's memory. (Loading
// through a view over an exported Arrow stream let DuckDB call back into the
// stream after an interrupted INSERT had returned and the stream was
// released; that crashed the process.)
func (s *Session) appendBatch(ctx context.Context, table string, rec arrow.RecordBatch) (err error) {
	var app bindings.Appender
	if bindings.AppenderCreateExt(s.conn, "", "main", table, &app) == bindings.StateError {
		defer bindings.AppenderDestroy(&app)
		return errors.New(bindings.AppenderError(app))
	}
	defer func() {
		if err != nil {
			bindings.AppenderClear(app) // nothing half-appended is flushed
		}
		bindings.AppenderDestroy(&app)
	}()
	for _, f := range rec.Schema().Fields() {
		if bindings.AppenderAddColumn(app, f.Name) == bindings.StateError {
			return fmt.Errorf("column %s: %s", f.Name, bindings.AppenderError(app))
		}
	}
	schema, ed := bindings.SchemaFromArrow(s.conn, rec.Schema())
	defer bindings.DestroyArrowConvertedSchema(&schema)
	if err := errorData(ed); err != nil {
		return fmt.Errorf("converting the Arrow schema: %w", err)
	}
	step := int64(bindings.VectorSize())
	for off := int64(0); off < rec.NumRows(); off += step {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if err := appendSlice(s.conn, app, schema, rec, off, min(off+step, rec.NumRows())); err != nil {
			return err
		}
	}
	if bindings.AppenderClose(app) == bindings.StateError {
		return errors.New(bindings.AppenderError(app))
	}
	return nil
}

// appendSlice appends rows [from, to) of rec, at most one vector's worth.
func appendSlice(conn bindings.Connection, app bindings.Appender, schema bindings.ArrowConvertedSchema, rec arrow.RecordBatch, from, to int64) error {
	slice := rec.NewSlice(from, to)
	defer slice.Release()
	chunk, ed := bindings.DataChunkFromArrow(conn, slice, schema)
	defer bindings.DestroyDataChunk(&chunk)
	if err := errorData(ed); err != nil {
		return fmt.Errorf("converting rows %d to %d: %w", from, to, err)
	}
	if bindings.AppendDataChunk(app, chunk) == bindings.StateError {
		return fmt.Errorf("appending rows %d to %d: %s", from, to, bindings.AppenderError(app))
	}
	return nil
}

// errorData turns DuckDB's error data into an error, destroying it.
func errorData(ed bindings.ErrorData) error {
	defer bindings.DestroyErrorData(&ed)
	if !bindings.ErrorDataHasError(ed) {
		return nil
	}
	return errors.New(bindings.ErrorDataMessage(ed))
}
