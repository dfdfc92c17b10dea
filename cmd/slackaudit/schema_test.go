package main

import (
	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/extract"
)

// allSources lists one of every Source, for schema checks.
func allSources() []extract.Source {
	return []extract.Source{extract.Workspaces{}, extract.Users{}, extract.Billable{}}
}

// duckType is the DuckDB type an Arrow type lands as.
func duckType(t arrow.DataType) string {
	switch t.ID() {
	case arrow.STRING:
		return "VARCHAR"
	case arrow.BOOL:
		return "BOOLEAN"
	case arrow.INT64:
		return "BIGINT"
	case arrow.INT32:
		return "INTEGER"
	case arrow.FLOAT64:
		return "DOUBLE"
	case arrow.DATE32:
		return "DATE"
	case arrow.TIMESTAMP:
		return "TIMESTAMP WITH TIME ZONE"
	}
	return t.String()
}
