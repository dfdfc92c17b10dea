package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

// MaxBatchRows is the most rows a Source puts in one record batch.
const MaxBatchRows = 64 * 1024

// Source is one data set read from Slack.
type Source interface {
	// Name is the data set's name in source_status, e.g. "users".
	Name() string
	// Table is the warehouse table the batches land in.
	Table() string
	// Schema is the schema of every batch.
	Schema() *arrow.Schema
	// Extract reads the data set page by page and calls emit with batches of
	// at most MaxBatchRows rows. A batch is valid only during emit: a
	// consumer that keeps it must Retain it. Memory stays bounded by one
	// batch and one page, never the whole data set.
	Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error
}

// Timestamp is the Arrow type of every timestamp: microseconds, UTC; it lands
// in DuckDB as TIMESTAMPTZ.
var Timestamp = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

// batcher accumulates rows in a RecordBuilder and emits a batch every
// MaxBatchRows rows and at the end.
type batcher struct {
	b    *array.RecordBuilder
	max  int
	n    int
	emit func(arrow.RecordBatch) error
}

// newBatcher builds batches of schema with alloc. A nil alloc is
// memory.DefaultAllocator, for callers outside a sync (tests); a sync
// always passes its own.
func newBatcher(alloc memory.Allocator, schema *arrow.Schema, emit func(arrow.RecordBatch) error) *batcher {
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	return &batcher{b: array.NewRecordBuilder(alloc, schema), max: MaxBatchRows, emit: emit}
}

// Field returns the builder of column i.
func (b *batcher) Field(i int) array.Builder { return b.b.Field(i) }

// Row records that one row was appended to every column, emitting a batch
// when it is full.
func (b *batcher) Row() error {
	b.n++
	if b.n >= b.max {
		return b.Flush()
	}
	return nil
}

// Flush emits the rows appended so far, if any.
func (b *batcher) Flush() error {
	if b.n == 0 {
		return nil
	}
	rec := b.b.NewRecordBatch()
	defer rec.Release()
	b.n = 0
	return b.emit(rec)
}

// Release frees the builder.
func (b *batcher) Release() { b.b.Release() }

// appendString appends s, or NULL when s is empty.
func appendString(sb *array.StringBuilder, s string) {
	if s == "" {
		sb.AppendNull()
		return
	}
	sb.Append(s)
}

// appendTime appends t as a UTC microsecond timestamp, or NULL when zero.
func appendTime(tb *array.TimestampBuilder, unixSeconds int64) {
	if unixSeconds <= 0 {
		tb.AppendNull()
		return
	}
	tb.Append(arrow.Timestamp(unixSeconds * 1_000_000))
}

// stringList is the Arrow type of a list of strings (VARCHAR[] in DuckDB).
var stringList = arrow.ListOf(arrow.BinaryTypes.String)

// appendValid appends s, or NULL when it was null or absent.
func appendValid(sb *array.StringBuilder, s string, valid bool) {
	if !valid {
		sb.AppendNull()
		return
	}
	sb.Append(s)
}

// appendStrings appends vals as one list value.
func appendStrings(lb *array.ListBuilder, vals []string) {
	lb.Append(true)
	vb := lb.ValueBuilder().(*array.StringBuilder)
	for _, v := range vals {
		vb.Append(v)
	}
}

// appendScopes appends every scope name to lists[0], the sensitive ones to
// lists[1] and the user-token ones to lists[2] (lists[1] and lists[2] may be nil).
func appendScopes(lists [3]*array.ListBuilder, scopes []slackapi.AppScope) {
	for j, lb := range lists {
		if lb == nil {
			continue
		}
		lb.Append(true)
		vb := lb.ValueBuilder().(*array.StringBuilder)
		for _, sc := range scopes {
			if j == 0 || (j == 1 && sc.IsSensitive) || (j == 2 && sc.TokenType == "user") {
				vb.Append(sc.Name)
			}
		}
	}
}
