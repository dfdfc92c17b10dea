package warehouse

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	bindings "github.com/duckdb/duckdb-go-bindings"
)

// Rows is a query result that DuckDB produces chunk by chunk as it is read,
// so the first row arrives at once and a result of any size needs memory for
// one chunk (2,048 rows), not the whole result. database/sql queries through
// duckdb-go build the whole result first; the shell and exports use this.
//
// It runs on a Session's connection to the warehouse's DuckDB instance.
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

// Columns describes the result's columns.
func (r *Rows) Columns() []ResultColumn { return r.cols }

// Next advances to the next row, fetching the next chunk when needed.
func (r *Rows) Next() bool {
	if r.closed || r.err != nil {
		return false
	}
	r.row++
	for r.rec == nil || r.row >= int(r.rec.NumRows()) {
		if !r.fetch() {
			return false
		}
	}
	return true
}

// nextBatch advances to the next non-empty chunk and returns it as Arrow,
// valid until the next call or Close.
func (r *Rows) nextBatch() (arrow.RecordBatch, bool) {
	if r.closed || r.err != nil {
		return nil, false
	}
	for r.fetch() {
		if r.rec.NumRows() > 0 {
			return r.rec, true
		}
	}
	return nil, false
}

// fetch replaces the current chunk with the next one; false at the end of
// the result or on an error (see Err).
func (r *Rows) fetch() bool {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	chunk := bindings.FetchChunk(r.res)
	if chunk.Ptr == nil {
		if msg := bindings.ResultError(&r.res); msg != "" {
			r.err = duckError(msg)
		}
		return false
	}
	rec, ed := bindings.DataChunkToArrowArray(r.opts, r.schema, chunk)
	bindings.DestroyDataChunk(&chunk)
	if bindings.ErrorDataHasError(ed) {
		r.err = fmt.Errorf("reading the result: %s", bindings.ErrorDataMessage(ed))
		bindings.DestroyErrorData(&ed)
		return false
	}
	bindings.DestroyErrorData(&ed)
	r.rec, r.row = rec, 0
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
	bindings.DestroyArrowOptions(&r.opts) // nil-safe: a result never described has none
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
