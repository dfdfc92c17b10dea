package warehouse

import (
	"context"
	"errors"

	"github.com/apache/arrow-go/v18/arrow"
)

// rowGroupRows is DuckDB's row-group size: an Arrow batch of this many rows
// lands as one row group, with no merging (extract.MaxBatchRows matches it).
const rowGroupRows = 122_880

// scanRows is how many rows of one table a sync gathers before landing
// them with one scan. DuckDB spreads an Arrow scan over its threads batch
// by batch, never within a batch, so a scan of one batch runs on one
// thread; two row groups or more keep two cores busy. It also bounds what
// a Run holds: at most scanRows rows and one batch per table.
const scanRows = 2 * rowGroupRows

// landing gathers a Run's batches per table and lands them with one Arrow
// scan per scanRows rows (Session.scanInsert). It holds the batches by
// reference (Retain), never copying them.
type landing struct {
	pending map[string]*pendingLoad
	order   []string       // tables with pending rows, in arrival order
	held    []*arrowStream // streams of scans that failed: released at end
	seq     int            // scans so far, naming each one's view
}

// pendingLoad is what a Run holds of one table until it lands it.
type pendingLoad struct {
	target string // the table the rows go to: the staging copy of a snapshot
	schema *arrow.Schema
	recs   []arrow.RecordBatch
	rows   int64
}

// add takes rec for table, landing into target, and lands what the table
// has gathered once it reaches scanRows. Batches of another schema (a
// source that omits nullable columns) land in a scan of their own.
func (l *landing) add(ctx context.Context, conn *Session, runID int64, table, target string, rec arrow.RecordBatch) error {
	if p := l.pending[table]; p != nil && !p.schema.Equal(rec.Schema()) {
		if err := l.flush(ctx, conn, runID, table); err != nil {
			return err
		}
	}
	if l.pending == nil {
		l.pending = map[string]*pendingLoad{}
	}
	p := l.pending[table]
	if p == nil {
		p = &pendingLoad{target: target, schema: rec.Schema()}
		l.pending[table] = p
		l.order = append(l.order, table)
	}
	rec.Retain()
	p.recs = append(p.recs, rec)
	p.rows += rec.NumRows()
	if p.rows < scanRows {
		return nil
	}
	return l.flush(ctx, conn, runID, table)
}

// flush lands what table has gathered. Its batches are released whatever
// happens; the stream of a failed scan is kept until end.
func (l *landing) flush(ctx context.Context, conn *Session, runID int64, table string) error {
	p := l.pending[table]
	if p == nil {
		return nil
	}
	delete(l.pending, table)
	l.order = removeName(l.order, table)
	defer releaseAll(p.recs)
	l.seq++
	stream, err := conn.scanInsert(ctx, p.target, scanView(runID, l.seq), p.schema, p.recs)
	if stream != nil {
		l.held = append(l.held, stream)
	}
	return err
}

// flushAll lands every table's gathered rows, in arrival order.
func (l *landing) flushAll(ctx context.Context, conn *Session, runID int64) error {
	for len(l.order) > 0 {
		if err := l.flush(ctx, conn, runID, l.order[0]); err != nil {
			return err
		}
	}
	return nil
}

// end releases everything the landing holds. Call it only once the Run's
// transaction has ended and its connection is closed: DuckDB may read the
// stream of a failed scan until then.
func (l *landing) end() {
	for _, p := range l.pending {
		releaseAll(p.recs)
	}
	for _, s := range l.held {
		s.release()
	}
	*l = landing{}
}

func releaseAll(recs []arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}

func removeName(names []string, name string) []string {
	for i, n := range names {
		if n == name {
			return append(names[:i:i], names[i+1:]...)
		}
	}
	return names
}

// errEnded is what a Run says once Commit or Fail has ended it.
var errEnded = errors.New("the sync has ended")
