package schema

import "github.com/apache/arrow-go/v18/arrow"

// TimestampType is the Arrow type of every timestamp: microseconds, UTC;
// it lands in DuckDB as TIMESTAMPTZ.
var TimestampType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

// StringsType is a list of strings: VARCHAR[] in DuckDB.
var StringsType = arrow.ListOf(arrow.BinaryTypes.String)

// String is a text column (VARCHAR).
func String(name, comment string) Column { return column(name, arrow.BinaryTypes.String, comment) }

// Bool is a boolean column (BOOLEAN).
func Bool(name, comment string) Column { return column(name, arrow.FixedWidthTypes.Boolean, comment) }

// Int64 is a 64-bit integer column (BIGINT).
func Int64(name, comment string) Column { return column(name, arrow.PrimitiveTypes.Int64, comment) }

// Int32 is a 32-bit integer column (INTEGER).
func Int32(name, comment string) Column { return column(name, arrow.PrimitiveTypes.Int32, comment) }

// Float64 is a double-precision column (DOUBLE).
func Float64(name, comment string) Column { return column(name, arrow.PrimitiveTypes.Float64, comment) }

// Date is a calendar-day column (DATE).
func Date(name, comment string) Column { return column(name, arrow.FixedWidthTypes.Date32, comment) }

// Timestamp is an instant in UTC to the microsecond (TIMESTAMPTZ).
func Timestamp(name, comment string) Column { return column(name, TimestampType, comment) }

// Strings is a list-of-strings column (VARCHAR[]).
func Strings(name, comment string) Column { return column(name, StringsType, comment) }

// Optional marks the column as one that may hold NULL.
func (c Column) Optional() Column {
	c.Nullable = true
	return c
}

func column(name string, t arrow.DataType, comment string) Column {
	return Column{Name: name, Type: t, Comment: comment}
}
