package warehouse

/*
#include <stdlib.h>
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/cdata"
	bindings "github.com/duckdb/duckdb-go-bindings"
)

// scanView names the view a load registers over its Arrow stream: a name
// no table or view of the warehouse has, unique within the sync (seq), so
// a view is never replaced while DuckDB may still read through it.
func scanView(runID int64, seq int) string { return fmt.Sprintf("_load_%d_%d", runID, seq) }

// arrowStream is an Arrow C stream over record batches, in C memory as
// DuckDB keeps a pointer to it.
type arrowStream struct{ ptr unsafe.Pointer }

func exportStream(rdr array.RecordReader) *arrowStream {
	// calloc: the stream must start zeroed (cdata.ExportRecordReader).
	p := C.calloc(1, C.size_t(unsafe.Sizeof(cdata.CArrowArrayStream{})))
	cdata.ExportRecordReader(rdr, (*cdata.CArrowArrayStream)(p))
	return &arrowStream{ptr: p}
}

// release releases the stream's batches and frees it. DuckDB must be done
// with it: see Session.scanInsert.
func (s *arrowStream) release() {
	cdata.ReleaseCArrowArrayStream((*cdata.CArrowArrayStream)(s.ptr))
	C.free(s.ptr)
}

// scanInsert inserts recs, all of schema sc, into table by column name with
// one INSERT … SELECT over an Arrow scan, so DuckDB's threads each take
// whole batches: a batch of DuckDB's row-group size becomes one row group
// written in parallel with the others.
//
// The scan is a view named view, created inside the connection's open
// transaction and dropped before scanInsert returns, so no other connection
// sees it and it never reaches the file. The stream is returned: it may be
// released only once DuckDB can no longer read it. When the INSERT
// succeeded and the view is gone, that is now, and scanInsert releases it
// and returns nil. When the INSERT failed or was interrupted, DuckDB may
// call into the stream while it cleans the statement up, as late as the
// connection's next statement (a ROLLBACK), so the caller must keep it
// until the transaction has ended and the connection is closed.
func (s *Session) scanInsert(ctx context.Context, table, view string, sc *arrow.Schema, recs []arrow.RecordBatch) (*arrowStream, error) {
	rdr, err := array.NewRecordReader(sc, recs)
	if err != nil {
		return nil, err
	}
	stream := exportStream(rdr)
	rdr.Release() // the stream holds it
	if bindings.ArrowScan(s.conn, view, bindings.ArrowStream{Ptr: stream.ptr}) == bindings.StateError {
		return stream, errors.New("registering the Arrow scan")
	}
	ierr := s.exec(ctx, fmt.Sprintf("INSERT INTO %s BY NAME SELECT * FROM %s", quoteIdent(table), quoteIdent(view)))
	if ierr != nil {
		// The failed INSERT aborted the transaction: its ROLLBACK, the
		// only statement DuckDB still accepts, removes the view.
		return stream, ierr
	}
	if err := s.exec(context.WithoutCancel(ctx), "DROP VIEW "+quoteIdent(view)); err != nil {
		return stream, fmt.Errorf("dropping the load's view: %w", err)
	}
	stream.release()
	return nil, nil
}
