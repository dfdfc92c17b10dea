package schema

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Builder builds the record batches of one declared table, its columns
// looked up by name. Look each column up once (b.String("user_id")) and
// append to the builder it returns row after row: inserting a column in the
// declaration shifts nothing. A name the schema lacks, or a column of
// another type, is a programming error and panics, so every test that
// builds the table finds it.
//
// Row counts a row appended to every column and emits a batch when it
// holds maxRows rows; Flush emits the rest.
type Builder struct {
	rb    *array.RecordBuilder
	table string
	max   int
	n     int
	emit  func(arrow.RecordBatch) error
}

// NewBuilder builds batches of s with mem (memory.DefaultAllocator when
// nil), passing each to emit once it holds maxRows rows (0: only at
// Flush). A batch is valid only during emit.
func NewBuilder(mem memory.Allocator, s *arrow.Schema, maxRows int, emit func(arrow.RecordBatch) error) *Builder {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &Builder{rb: array.NewRecordBuilder(mem, s), table: TableName(s), max: maxRows, emit: emit}
}

// String is the builder of the text column name.
func (b *Builder) String(name string) *array.StringBuilder {
	return field[*array.StringBuilder](b, name)
}

// Bool is the builder of the boolean column name.
func (b *Builder) Bool(name string) *array.BooleanBuilder {
	return field[*array.BooleanBuilder](b, name)
}

// Bools are the builders of the boolean columns names, in that order.
func (b *Builder) Bools(names ...string) []*array.BooleanBuilder {
	out := make([]*array.BooleanBuilder, len(names))
	for i, n := range names {
		out[i] = b.Bool(n)
	}
	return out
}

// Int64 is the builder of the BIGINT column name.
func (b *Builder) Int64(name string) *array.Int64Builder { return field[*array.Int64Builder](b, name) }

// Int64s are the builders of the BIGINT columns names, in that order.
func (b *Builder) Int64s(names ...string) []*array.Int64Builder {
	out := make([]*array.Int64Builder, len(names))
	for i, n := range names {
		out[i] = b.Int64(n)
	}
	return out
}

// Int32 is the builder of the INTEGER column name.
func (b *Builder) Int32(name string) *array.Int32Builder { return field[*array.Int32Builder](b, name) }

// Float64 is the builder of the DOUBLE column name.
func (b *Builder) Float64(name string) *array.Float64Builder {
	return field[*array.Float64Builder](b, name)
}

// Date is the builder of the DATE column name.
func (b *Builder) Date(name string) *array.Date32Builder { return field[*array.Date32Builder](b, name) }

// Timestamp is the builder of the TIMESTAMPTZ column name.
func (b *Builder) Timestamp(name string) *array.TimestampBuilder {
	return field[*array.TimestampBuilder](b, name)
}

// Strings is the builder of the list-of-strings column name.
func (b *Builder) Strings(name string) *StringsBuilder {
	lb := field[*array.ListBuilder](b, name)
	vb, ok := lb.ValueBuilder().(*array.StringBuilder)
	if !ok {
		panic(fmt.Sprintf("schema: column %s.%s is a list of %s, not of strings", b.table, name, lb.ValueBuilder().Type()))
	}
	return &StringsBuilder{lb, vb}
}

// StringsBuilder appends lists of strings.
type StringsBuilder struct {
	list   *array.ListBuilder
	values *array.StringBuilder
}

// Append appends vals as one list (an empty list when vals is empty).
func (s *StringsBuilder) Append(vals []string) {
	s.list.Append(true)
	for _, v := range vals {
		s.values.Append(v)
	}
}

// Start begins a list whose values the caller then adds with Add.
func (s *StringsBuilder) Start() { s.list.Append(true) }

// Add adds v to the list begun by Start.
func (s *StringsBuilder) Add(v string) { s.values.Append(v) }

// AppendNull appends NULL rather than a list.
func (s *StringsBuilder) AppendNull() { s.list.AppendNull() }

func field[T array.Builder](b *Builder, name string) T {
	idx := b.rb.Schema().FieldIndices(name)
	if len(idx) == 0 {
		panic(fmt.Sprintf("schema: table %s has no column %q", b.table, name))
	}
	f, ok := b.rb.Field(idx[0]).(T)
	if !ok {
		var want T
		panic(fmt.Sprintf("schema: column %s.%s is %s, not built by a %T", b.table, name, b.rb.Schema().Field(idx[0]).Type, want))
	}
	return f
}

// Row records that one row was appended to every column, emitting a batch
// when it is full.
func (b *Builder) Row() error {
	b.n++
	if b.max > 0 && b.n >= b.max {
		return b.Flush()
	}
	return nil
}

// Rows is how many rows are waiting to be emitted.
func (b *Builder) Rows() int { return b.n }

// Flush emits the rows appended so far, if any.
func (b *Builder) Flush() error {
	if b.n == 0 {
		return nil
	}
	rec := b.rb.NewRecordBatch()
	defer rec.Release()
	b.n = 0
	return b.emit(rec)
}

// NewRecordBatch returns the rows appended so far as one batch, which the
// caller releases, without emitting it.
func (b *Builder) NewRecordBatch() arrow.RecordBatch {
	b.n = 0
	return b.rb.NewRecordBatch()
}

// Release frees the builders.
func (b *Builder) Release() { b.rb.Release() }
