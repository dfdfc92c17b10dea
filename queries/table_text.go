package queries

import (
	"math/big"
	"strconv"
	"strings"
	"time"

	"slackaudit/queries/safetext"
)

// numKind says how a column's numbers are shown in human output.
type numKind uint8

const (
	notNumber numKind = iota
	number            // right-aligned, digits grouped in thousands
)

func numKindOf(typ string) numKind {
	if isNumeric(typ) {
		return number
	}
	return notNumber
}

func isNumeric(typ string) bool {
	switch u := strings.ToUpper(typ); u {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
		"UHUGEINT", "FLOAT", "DOUBLE", "REAL", "DECIMAL":
		return true
	default:
		return strings.HasPrefix(u, "DECIMAL")
	}
}

// humanText appends v as human output shows it: control and bidirectional
// characters escaped (safetext), numbers grouped in thousands, and in
// Markdown the cell separator escaped. Plain ASCII text, the common case,
// is appended without allocating.
func humanText(dst []byte, v any, col Column, kind numKind, null string, markdown bool) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, null...)
	case string:
		return appendSafe(dst, x, markdown)
	case int64:
		return appendGroupedInt(dst, x, kind)
	case int32:
		return appendGroupedInt(dst, int64(x), kind)
	case bool:
		return strconv.AppendBool(dst, x)
	case float64:
		var buf [32]byte
		return appendGroupedNumber(dst, strconv.AppendFloat(buf[:0], x, 'f', -1, 64), kind)
	case time.Time:
		return appendTime(dst, x, col.Type)
	case *big.Int:
		return appendGroupedNumber(dst, x.Append(nil, 10), kind)
	}
	s := Text(v, col.Type, null)
	if kind == number {
		return appendGroupedNumber(dst, []byte(s), kind)
	}
	return appendSafe(dst, s, markdown)
}

// appendSafe appends s escaped for a text table.
func appendSafe(dst []byte, s string, markdown bool) []byte {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || (markdown && c == '|') {
			plain = false
			break
		}
	}
	if plain {
		return append(dst, s...)
	}
	s = safetext.Escape(s)
	if markdown {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	return append(dst, s...)
}

func appendGroupedInt(dst []byte, n int64, kind numKind) []byte {
	if kind != number || (n > -1000 && n < 1000) {
		return strconv.AppendInt(dst, n, 10)
	}
	var buf [24]byte
	return appendGroupedNumber(dst, strconv.AppendInt(buf[:0], n, 10), kind)
}

// appendGroupedNumber appends a decimal number's text with commas between
// thousands in its integer part: -1234567.5 becomes -1,234,567.5. Text that
// is not a plain decimal number (NaN, an exponent) is appended as it is.
func appendGroupedNumber(dst, num []byte, kind numKind) []byte {
	start := 0
	if len(num) > 0 && (num[0] == '-' || num[0] == '+') {
		start = 1
	}
	end := start
	for end < len(num) && num[end] >= '0' && num[end] <= '9' {
		end++
	}
	digits := end - start
	if kind != number || digits <= 3 || (end < len(num) && num[end] != '.') || !allDigits(num[min(end+1, len(num)):]) {
		return append(dst, num...)
	}
	dst = append(dst, num[:start]...)
	for i := start; i < end; i++ {
		if i > start && (end-i)%3 == 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, num[i])
	}
	return append(dst, num[end:]...)
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// duckType is the type name DuckDB's own shell shows under a column name in
// duckbox mode: BIGINT is int64, VARCHAR varchar.
func duckType(typ string) string {
	switch u := strings.ToUpper(typ); u {
	case "TINYINT":
		return "int8"
	case "SMALLINT":
		return "int16"
	case "INTEGER":
		return "int32"
	case "BIGINT":
		return "int64"
	case "HUGEINT":
		return "int128"
	case "UTINYINT":
		return "uint8"
	case "USMALLINT":
		return "uint16"
	case "UINTEGER":
		return "uint32"
	case "UBIGINT":
		return "uint64"
	case "UHUGEINT":
		return "uint128"
	case "TIMESTAMPTZ":
		return "timestamp with time zone"
	case "":
		return ""
	default:
		return strings.ToLower(safetext.Escape(typ))
	}
}
