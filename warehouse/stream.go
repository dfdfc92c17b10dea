package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	bindings "github.com/duckdb/duckdb-go-bindings"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Rows is a query result that DuckDB produces chunk by chunk as it is read,
// so the first row arrives at once and a result of any size needs memory for
// one chunk (2,048 rows), not the whole result. database/sql queries through
// duckdb-go build the whole result first; the shell and exports use this.
//
// It runs on its own connection to the same database instance.
type Rows struct {
	sess   *Session
	owns   bool // Close ends the session too
	conn   bindings.Connection
	stmt   bindings.PreparedStatement
	res    bindings.Result
	opts   bindings.ArrowOptions
	schema *arrow.Schema
	cols   []ResultColumn
	rec    arrow.RecordBatch
	row    int
	err    error
	stop   chan struct{}
	wg     sync.WaitGroup
	closed bool
}

// ResultColumn names a result column and its DuckDB type.
type ResultColumn struct {
	Name string
	Type string
}

// instance returns the database instance the warehouse's connector opened:
// duckdb-go caches instances by path, so asking again with the same
// configuration returns the same one.
func (db *DB) instance() (bindings.Database, error) {
	db.instOnce.Do(func() {
		var cfg bindings.Config
		if bindings.CreateConfig(&cfg) == bindings.StateError {
			db.instErr = errors.New("creating a DuckDB configuration")
			return
		}
		defer bindings.DestroyConfig(&cfg)
		bindings.SetConfig(cfg, "duckdb_api", "go")
		if db.readOnly {
			bindings.SetConfig(cfg, "access_mode", "read_only")
		}
		var msg string
		if bindings.GetOrCreateFromCache(duckdb.GetInstanceCache(), db.path, &db.inst, cfg, &msg) == bindings.StateError {
			db.instErr = fmt.Errorf("opening %s for streaming: %s", db.path, msg)
		}
	})
	return db.inst, db.instErr
}

// Session is one connection for streaming statements, so that what a user
// sets up (temporary tables, SET, transactions) lasts across statements, as
// in DuckDB's own shell. A Session runs one statement at a time.
type Session struct {
	conn bindings.Connection
}

// Session opens a streaming session on the warehouse.
func (db *DB) Session() (*Session, error) {
	inst, err := db.instance()
	if err != nil {
		return nil, err
	}
	s := &Session{}
	if bindings.Connect(inst, &s.conn) == bindings.StateError {
		return nil, errors.New("connecting to the warehouse")
	}
	var setup bindings.Result
	bindings.Query(s.conn, "SET TimeZone = 'UTC'", &setup)
	bindings.DestroyResult(&setup)
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
// statement.
func (s *Session) Stream(ctx context.Context, query string, args ...any) (*Rows, error) {
	r := &Rows{sess: s, conn: s.conn, stop: make(chan struct{})}
	if bindings.Prepare(r.conn, query, &r.stmt) == bindings.StateError {
		msg := bindings.PrepareError(r.stmt)
		r.Close()
		return nil, errors.New(msg)
	}
	if err := r.bind(args); err != nil {
		r.Close()
		return nil, err
	}
	// Interrupt the statement when ctx ends, while it runs or streams.
	r.wg.Go(func() {
		select {
		case <-ctx.Done():
			bindings.Interrupt(r.conn)
		case <-r.stop:
		}
	})
	if bindings.ExecutePreparedStreaming(r.stmt, &r.res) == bindings.StateError {
		msg := bindings.ResultError(&r.res)
		r.Close()
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		return nil, errors.New(msg)
	}
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
	if bindings.ErrorDataHasError(ed) {
		msg := bindings.ErrorDataMessage(ed)
		bindings.DestroyErrorData(&ed)
		r.Close()
		return nil, fmt.Errorf("describing the result: %s", msg)
	}
	bindings.DestroyErrorData(&ed)
	r.schema = schema
	return r, nil
}

func (r *Rows) bind(args []any) error {
	for i, a := range args {
		idx := bindings.IdxT(i + 1)
		if nv, ok := a.(sql.NamedArg); ok {
			if bindings.BindParameterIndex(r.stmt, &idx, nv.Name) == bindings.StateError {
				continue // the statement does not use this parameter
			}
			a = nv.Value
		}
		var st bindings.State
		switch v := a.(type) {
		case nil:
			st = bindings.BindNull(r.stmt, idx)
		case string:
			st = bindings.BindVarchar(r.stmt, idx, v)
		case bool:
			st = bindings.BindBoolean(r.stmt, idx, v)
		case int:
			st = bindings.BindInt64(r.stmt, idx, int64(v))
		case int64:
			st = bindings.BindInt64(r.stmt, idx, v)
		case float64:
			st = bindings.BindDouble(r.stmt, idx, v)
		case time.Time:
			if v.Equal(v.Truncate(24*time.Hour)) && v.Location() == time.UTC {
				st = bindings.BindDate(r.stmt, idx, bindings.NewDate(int32(v.Unix()/86400)))
			} else {
				st = bindings.BindTimestamp(r.stmt, idx, bindings.NewTimestamp(v.UnixMicro()))
			}
		default:
			return fmt.Errorf("parameter %d: cannot bind a %T", i+1, a)
		}
		if st == bindings.StateError {
			return fmt.Errorf("binding parameter %d: %s", i+1, bindings.PrepareError(r.stmt))
		}
	}
	return nil
}

// Columns describes the result's columns.
func (r *Rows) Columns() []ResultColumn { return r.cols }

// Next advances to the next row, fetching the next chunk when needed.
func (r *Rows) Next() bool {
	if r.closed || r.err != nil {
		return false
	}
	r.row++
	for r.rec == nil || r.row >= int(r.rec.NumRows()) {
		if r.rec != nil {
			r.rec.Release()
			r.rec = nil
		}
		chunk := bindings.FetchChunk(r.res)
		if chunk.Ptr == nil {
			if msg := bindings.ResultError(&r.res); msg != "" {
				r.err = errors.New(msg)
			}
			return false
		}
		rec, ed := bindings.DataChunkToArrowArray(r.opts, r.schema, chunk)
		bindings.DestroyDataChunk(&chunk)
		if bindings.ErrorDataHasError(ed) {
			r.err = errors.New(bindings.ErrorDataMessage(ed))
			bindings.DestroyErrorData(&ed)
			return false
		}
		bindings.DestroyErrorData(&ed)
		r.rec, r.row = rec, 0
	}
	return true
}

// Scan copies the current row into dst, which must be *any values: strings,
// booleans, int64, float64, time.Time (dates, timestamps), []byte, or the
// text DuckDB's CLI would show for other types. Values stay valid after Next.
func (r *Rows) Scan(dst ...any) error {
	if r.rec == nil {
		return errors.New("Scan called without a row")
	}
	if len(dst) != len(r.cols) {
		return fmt.Errorf("Scan: %d destinations for %d columns", len(dst), len(r.cols))
	}
	for i, d := range dst {
		p, ok := d.(*any)
		if !ok {
			return fmt.Errorf("Scan: destination %d is %T, want *any", i, d)
		}
		*p = goValue(r.rec.Column(i), r.row)
	}
	return nil
}

// Err reports an error that ended the rows early.
func (r *Rows) Err() error { return r.err }

// Close releases the result (and the session Stream opened for it); it
// interrupts a statement still running.
func (r *Rows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	close(r.stop)
	r.wg.Wait()
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	if r.schema != nil {
		bindings.DestroyArrowOptions(&r.opts)
	}
	bindings.DestroyResult(&r.res)
	bindings.DestroyPrepare(&r.stmt)
	if r.owns {
		r.sess.Close()
	}
	return nil
}

// goValue converts one Arrow value to the Go value the formatters take.
// Strings are copied: the chunk's memory is freed by the next fetch.
func goValue(col arrow.Array, i int) any {
	if col.IsNull(i) {
		return nil
	}
	switch a := col.(type) {
	case *array.String:
		return strings.Clone(a.Value(i))
	case *array.LargeString:
		return strings.Clone(a.Value(i))
	case *array.StringView:
		return strings.Clone(a.Value(i))
	case *array.Boolean:
		return a.Value(i)
	case *array.Int8:
		return int64(a.Value(i))
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Uint8:
		return int64(a.Value(i))
	case *array.Uint16:
		return int64(a.Value(i))
	case *array.Uint32:
		return int64(a.Value(i))
	case *array.Uint64:
		if v := a.Value(i); v <= math.MaxInt64 {
			return int64(v)
		}
		return a.ValueStr(i)
	case *array.Float32:
		return float64(a.Value(i))
	case *array.Float64:
		return a.Value(i)
	case *array.Date32:
		return a.Value(i).ToTime()
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(i).ToTime(unit).UTC()
	case *array.Binary:
		return append([]byte(nil), a.Value(i)...)
	case *array.Decimal128:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
	}
	return col.ValueStr(i)
}

// typeName names a DuckDB logical type as DuckDB's catalog does.
func typeName(t bindings.LogicalType) string {
	switch bindings.GetTypeId(t) {
	case bindings.TypeBoolean:
		return "BOOLEAN"
	case bindings.TypeTinyInt:
		return "TINYINT"
	case bindings.TypeSmallInt:
		return "SMALLINT"
	case bindings.TypeInteger:
		return "INTEGER"
	case bindings.TypeBigInt:
		return "BIGINT"
	case bindings.TypeHugeInt:
		return "HUGEINT"
	case bindings.TypeUTinyInt:
		return "UTINYINT"
	case bindings.TypeUSmallInt:
		return "USMALLINT"
	case bindings.TypeUInteger:
		return "UINTEGER"
	case bindings.TypeUBigInt:
		return "UBIGINT"
	case bindings.TypeFloat:
		return "FLOAT"
	case bindings.TypeDouble:
		return "DOUBLE"
	case bindings.TypeDecimal:
		return fmt.Sprintf("DECIMAL(%d,%d)", bindings.DecimalWidth(t), bindings.DecimalScale(t))
	case bindings.TypeDate:
		return "DATE"
	case bindings.TypeTime:
		return "TIME"
	case bindings.TypeTimestamp, bindings.TypeTimestampS, bindings.TypeTimestampMS, bindings.TypeTimestampNS:
		return "TIMESTAMP"
	case bindings.TypeTimestampTZ:
		return "TIMESTAMPTZ"
	case bindings.TypeInterval:
		return "INTERVAL"
	case bindings.TypeVarchar:
		return "VARCHAR"
	case bindings.TypeBlob:
		return "BLOB"
	case bindings.TypeUUID:
		return "UUID"
	case bindings.TypeList:
		return "LIST"
	case bindings.TypeStruct:
		return "STRUCT"
	case bindings.TypeMap:
		return "MAP"
	case bindings.TypeEnum:
		return "ENUM"
	}
	return "OTHER"
}
