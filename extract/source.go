package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse/schema"
)

// MaxBatchRows is the most rows a Source puts in one record batch.
const MaxBatchRows = 64 * 1024

// Source is one data set read from Slack. Its name, in source_status and
// --skip, is its table's: schema.TableName(Schema()).
type Source interface {
	// Schema is the schema of every batch, declared with schema.Declare:
	// the table the batches land in, its comments and views.
	Schema() *arrow.Schema
	// Extract reads the data set page by page and calls emit with batches of
	// at most MaxBatchRows rows. A batch is valid only during emit: a
	// consumer that keeps it must Retain it. Memory stays bounded by one
	// batch and one page, never the whole data set.
	Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error
}

// Name is the name of src's data set: its table's name.
func Name(src Source) string { return schema.TableName(src.Schema()) }

// newBatcher builds batches of s with alloc, emitting one every
// MaxBatchRows rows and at Flush. A nil alloc is memory.DefaultAllocator,
// for callers outside a sync (tests); a sync always passes its own.
func newBatcher(alloc memory.Allocator, s *arrow.Schema, emit func(arrow.RecordBatch) error) *schema.Builder {
	return schema.NewBuilder(alloc, s, MaxBatchRows, emit)
}

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

// appendValid appends s, or NULL when it was null or absent.
func appendValid(sb *array.StringBuilder, s string, valid bool) {
	if !valid {
		sb.AppendNull()
		return
	}
	sb.Append(s)
}

// scopeLists are the list columns an app's scopes go to: every scope, the
// sensitive ones, and those granted to a user token (the last two may be
// nil).
type scopeLists struct{ all, sensitive, user *schema.StringsBuilder }

// append appends one app's scopes to each list.
func (l scopeLists) append(scopes []slackapi.AppScope) {
	for j, lb := range []*schema.StringsBuilder{l.all, l.sensitive, l.user} {
		if lb == nil {
			continue
		}
		lb.Start()
		for _, sc := range scopes {
			if j == 0 || (j == 1 && sc.IsSensitive) || (j == 2 && sc.TokenType == "user") {
				lb.Add(sc.Name)
			}
		}
	}
}
