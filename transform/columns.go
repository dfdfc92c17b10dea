// Package transform derives slackaudit's computed tables from the raw Arrow
// batches a sync reads: each person's last use and usage frequency, seat
// types and licences, and app risk. It is pure Go over Arrow — no DuckDB —
// and reads each batch once, keeping memory proportional to the number of
// people, never to the number of rows.
package transform

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Strings read from a batch are views into the batch's memory, which may be
// C memory (batches read back from DuckDB) freed when the batch is released:
// transforms clone every string they keep past the batch.

// cols finds a batch's columns by name, so transforms do not depend on the
// column order of the sources. A missing or mistyped column is remembered in
// err, which callers check once after fetching their columns.
type cols struct {
	rec   arrow.RecordBatch
	table string
	err   error
}

// optional returns the column or nil when the batch lacks it.
func (c *cols) optional(name string) arrow.Array {
	is := c.rec.Schema().FieldIndices(name)
	if len(is) == 0 {
		return nil
	}
	return c.rec.Column(is[0])
}

// column returns the column called name as a T, or records why it cannot.
func column[T arrow.Array](c *cols, name, want string) T {
	var zero T
	a := c.optional(name)
	if a == nil {
		if c.err == nil {
			c.err = fmt.Errorf("transform: %s batch has no column %q", c.table, name)
		}
		return zero
	}
	t, ok := a.(T)
	if !ok {
		if c.err == nil {
			c.err = fmt.Errorf("transform: %s.%s is %s, want %s", c.table, name, a.DataType(), want)
		}
		return zero
	}
	return t
}

func (c *cols) str(name string) *array.String      { return column[*array.String](c, name, "string") }
func (c *cols) boolean(name string) *array.Boolean { return column[*array.Boolean](c, name, "boolean") }
func (c *cols) int64s(name string) *array.Int64    { return column[*array.Int64](c, name, "int64") }
func (c *cols) date(name string) *array.Date32     { return column[*array.Date32](c, name, "date32") }

func (c *cols) timestamp(name string) *array.Timestamp {
	a := column[*array.Timestamp](c, name, "timestamp[us]")
	if a != nil && a.DataType().(*arrow.TimestampType).Unit != arrow.Microsecond {
		if c.err == nil {
			c.err = fmt.Errorf("transform: %s.%s is %s, want timestamp[us]", c.table, name, a.DataType())
		}
		return nil
	}
	return a
}

// flag returns the boolean at i, false when NULL or the column is missing.
func flag(a *array.Boolean, i int) bool { return a != nil && a.IsValid(i) && a.Value(i) }

// allocator is alloc, or memory.DefaultAllocator when nil (callers outside
// a sync, such as tests of the transforms' rows; a sync passes its own).
func allocator(alloc memory.Allocator) memory.Allocator {
	if alloc == nil {
		return memory.DefaultAllocator
	}
	return alloc
}
