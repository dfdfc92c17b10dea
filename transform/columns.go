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
)

// Timestamp is the Arrow type of every timestamp the transforms write.
var Timestamp = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

// Strings read from a batch are views into the batch's memory, which may be
// C memory (batches read back from DuckDB) freed when the batch is released:
// transforms clone every string they keep past the batch.

// cols finds a batch's columns by name, so transforms do not depend on the
// column order of the sources.
type cols struct {
	rec   arrow.RecordBatch
	table string
}

func (c cols) idx(name string) (int, error) {
	is := c.rec.Schema().FieldIndices(name)
	if len(is) == 0 {
		return 0, fmt.Errorf("transform: %s batch has no column %q", c.table, name)
	}
	return is[0], nil
}

// optional returns the column or nil when the batch lacks it.
func (c cols) optional(name string) arrow.Array {
	is := c.rec.Schema().FieldIndices(name)
	if len(is) == 0 {
		return nil
	}
	return c.rec.Column(is[0])
}

func (c cols) str(name string) (*array.String, error) {
	i, err := c.idx(name)
	if err != nil {
		return nil, err
	}
	a, ok := c.rec.Column(i).(*array.String)
	if !ok {
		return nil, fmt.Errorf("transform: %s.%s is %s, want string", c.table, name, c.rec.Column(i).DataType())
	}
	return a, nil
}

func (c cols) boolean(name string) (*array.Boolean, error) {
	i, err := c.idx(name)
	if err != nil {
		return nil, err
	}
	a, ok := c.rec.Column(i).(*array.Boolean)
	if !ok {
		return nil, fmt.Errorf("transform: %s.%s is %s, want boolean", c.table, name, c.rec.Column(i).DataType())
	}
	return a, nil
}

func (c cols) int64s(name string) (*array.Int64, error) {
	i, err := c.idx(name)
	if err != nil {
		return nil, err
	}
	a, ok := c.rec.Column(i).(*array.Int64)
	if !ok {
		return nil, fmt.Errorf("transform: %s.%s is %s, want int64", c.table, name, c.rec.Column(i).DataType())
	}
	return a, nil
}

func (c cols) timestamp(name string) (*array.Timestamp, error) {
	i, err := c.idx(name)
	if err != nil {
		return nil, err
	}
	a, ok := c.rec.Column(i).(*array.Timestamp)
	if !ok || a.DataType().(*arrow.TimestampType).Unit != arrow.Microsecond {
		return nil, fmt.Errorf("transform: %s.%s is %s, want timestamp[us]", c.table, name, c.rec.Column(i).DataType())
	}
	return a, nil
}

func (c cols) date(name string) (*array.Date32, error) {
	i, err := c.idx(name)
	if err != nil {
		return nil, err
	}
	a, ok := c.rec.Column(i).(*array.Date32)
	if !ok {
		return nil, fmt.Errorf("transform: %s.%s is %s, want date32", c.table, name, c.rec.Column(i).DataType())
	}
	return a, nil
}

// nullableStr returns the string at i, or "" when NULL.
func nullableStr(a *array.String, i int) string {
	if a.IsNull(i) {
		return ""
	}
	return a.Value(i)
}

// flag returns the boolean at i, false when NULL or the column is missing.
func flag(a *array.Boolean, i int) bool { return a != nil && a.IsValid(i) && a.Value(i) }
