package main

import (
	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/pipeline"
	"slackaudit/warehouse"
	"slackaudit/warehouse/schema"
)

// contract is the catalogue a sync creates: every table of pipeline's
// registry, data sets and derived tables, with the warehouse's own.
func contract() *warehouse.Catalog {
	cat, err := warehouse.NewCatalog(pipeline.Tables())
	if err != nil {
		panic(err)
	}
	return cat
}

// landedSchemas lists every table's Arrow schema by table, walking the
// registry and the warehouse's own tables, for schema checks.
func landedSchemas() map[string][]*arrow.Schema {
	out := map[string][]*arrow.Schema{}
	for _, s := range contract().Schemas() {
		out[schema.TableName(s)] = append(out[schema.TableName(s)], s)
	}
	return out
}

// isLog reports whether the contract's table name is one of the
// warehouse's logs, written outside any snapshot.
func isLog(name string) bool {
	for _, s := range contract().Schemas() {
		if t, err := schema.Describe(s); err == nil && t.Name == name {
			return t.Kind == schema.Log
		}
	}
	return false
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
	case arrow.LIST:
		return duckType(t.(*arrow.ListType).Elem()) + "[]"
	case arrow.TIMESTAMP:
		return "TIMESTAMP WITH TIME ZONE"
	}
	return t.String()
}
