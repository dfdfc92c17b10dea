package warehouse

import (
	"fmt"
	"strings"
)

// selectColumns is the query that exports table's columns but exclude
// (the partition column, which names the folders) as format writes them.
// JSON gets timestamps as RFC 3339 text in UTC, as query --format json
// writes them: DuckDB's JSON writer would write "2026-02-13 16:41:30+00",
// which JSON readers do not take for a time.
func selectColumns(table string, cols []ManifestColumn, format ExportFormat, exclude string) string {
	list := make([]string, 0, len(cols))
	for _, c := range cols {
		if c.Name == exclude {
			continue
		}
		expr := quoteIdent(c.Name)
		if format == ExportJSON {
			expr = jsonColumn(c)
		}
		list = append(list, expr)
	}
	return "SELECT " + strings.Join(list, ", ") + " FROM " + quoteIdent(table)
}

// rfc3339SQL formats a UTC TIMESTAMP (%[1]s) as Go's time.RFC3339Nano
// does: seconds, then the fraction without trailing zeros (none when
// whole), then Z. microsecond() counts the minute's microseconds. NULL
// stays NULL.
const rfc3339SQL = `strftime(%[1]s, '%%Y-%%m-%%dT%%H:%%M:%%S') || ` +
	`CASE microsecond(%[1]s) %% 1000000 WHEN 0 THEN '' ` +
	`ELSE '.' || rtrim(lpad((microsecond(%[1]s) %% 1000000)::VARCHAR, 6, '0'), '0') END || 'Z'`

// jsonColumn is the expression exporting a column to JSON: timestamps as
// RFC 3339 text (a TIMESTAMP without a time zone is taken as UTC, as query
// --format json takes it), everything else as DuckDB writes it (dates are
// already YYYY-MM-DD).
func jsonColumn(c ManifestColumn) string {
	col := quoteIdent(c.Name)
	switch c.Type {
	case "TIMESTAMP WITH TIME ZONE":
		return fmt.Sprintf(rfc3339SQL, "timezone('UTC', "+col+")") + " AS " + col
	case "TIMESTAMP":
		return fmt.Sprintf(rfc3339SQL, col) + " AS " + col
	}
	return col
}
