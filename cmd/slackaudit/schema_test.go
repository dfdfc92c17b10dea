package main

import (
	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/extract"
	"slackaudit/transform"
)

// landedSchemas lists every Arrow schema a sync loads, by table, for schema checks.
func landedSchemas() map[string][]*arrow.Schema {
	out := map[string][]*arrow.Schema{}
	for _, src := range []extract.Source{extract.Workspaces{}, extract.Users{}, extract.Billable{}, extract.AccessLogs{},
		extract.OrgUsers{}, &extract.MemberActivity{}, extract.IntegrationLogs{}, extract.UserGroups{}, extract.AppDirectory{}, extract.AppRequests{}} {
		out[extract.Name(src)] = append(out[extract.Name(src)], src.Schema())
	}
	out["user_usage"] = append(out["user_usage"], transform.UserUsageSchema)
	out["licenses"] = append(out["licenses"], transform.LicensesSchema)
	out["seat_history"] = append(out["seat_history"], transform.SeatHistorySchema)
	out["apps"] = append(out["apps"], transform.AppsSchema)
	return out
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
