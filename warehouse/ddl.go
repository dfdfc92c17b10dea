package warehouse

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/warehouse/schema"
)

// table is one table of the catalogue: its declaration and the DuckDB type
// of each column. Analysts rely on the names: columns may be added, never
// renamed.
type table struct {
	schema.Table
	types []string // DuckDB type of each column
	arrow *arrow.Schema
}

// newTable reads a declared schema and works out its columns' DuckDB types.
func newTable(s *arrow.Schema) (table, error) {
	t, err := schema.Describe(s)
	if err != nil {
		return table{}, err
	}
	out := table{Table: t, arrow: s, types: make([]string, len(t.Columns))}
	for i, c := range t.Columns {
		if out.types[i], err = duckType(c.Type); err != nil {
			return table{}, fmt.Errorf("column %s.%s: %w", t.Name, c.Name, err)
		}
	}
	return out, nil
}

// duckType is the DuckDB type an Arrow type is stored as.
func duckType(t arrow.DataType) (string, error) {
	switch t := t.(type) {
	case *arrow.StringType:
		return "VARCHAR", nil
	case *arrow.BooleanType:
		return "BOOLEAN", nil
	case *arrow.Int64Type:
		return "BIGINT", nil
	case *arrow.Int32Type:
		return "INTEGER", nil
	case *arrow.Float64Type:
		return "DOUBLE", nil
	case *arrow.Date32Type:
		return "DATE", nil
	case *arrow.Decimal128Type:
		return fmt.Sprintf("DECIMAL(%d,%d)", t.Precision, t.Scale), nil
	case *arrow.TimestampType:
		if t.Unit == arrow.Microsecond && t.TimeZone == "UTC" {
			return "TIMESTAMPTZ", nil
		}
	case *arrow.ListType:
		elem, err := duckType(t.Elem())
		if err != nil {
			return "", err
		}
		return elem + "[]", nil
	}
	return "", fmt.Errorf("the warehouse stores no Arrow %s: use the types of warehouse/schema's column helpers", t)
}

// createSQL creates the table under name (its own, or its staging copy's).
func (t table) createSQL(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s (\n", quoteIdent(name))
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "  %s %s", quoteIdent(c.Name), t.types[i])
	}
	b.WriteString("\n)")
	return b.String()
}

// commentSQL returns the statements that attach the table's and columns'
// comments to the table called name.
func (t table) commentSQL(name string) []string {
	stmts := []string{fmt.Sprintf("COMMENT ON TABLE %s IS %s", quoteIdent(name), quoteString(t.Comment))}
	for _, c := range t.Columns {
		stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", quoteIdent(name), quoteIdent(c.Name), quoteString(c.Comment)))
	}
	return stmts
}

// viewSQL creates or replaces a view, so that a newer slackaudit's
// definition replaces an older one, and comments it.
func viewSQL(v schema.View) string {
	return fmt.Sprintf("CREATE OR REPLACE VIEW %s AS %s;\nCOMMENT ON VIEW %s IS %s",
		quoteIdent(v.Name), v.SQL, quoteIdent(v.Name), quoteString(v.Comment))
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
