package warehouse

import (
	"fmt"
	"strings"
)

// Kind says how a sync writes a table.
type Kind int

const (
	// Snapshot tables are rebuilt by every sync: the sync loads a staging copy and
	// swaps it in at commit, so readers always see one whole snapshot.
	Snapshot Kind = iota
	// History tables keep rows from every sync: the sync stages new rows and
	// appends them at commit (daily analytics, seat history).
	History
	// Log tables are written directly, outside any snapshot (sync_runs,
	// source_status, actions_log).
	Log
)

// Column is one column of a contract table. Comment explains the Slack field
// behind it; the shell's .describe shows it.
type Column struct {
	Name    string
	Type    string // DuckDB type
	Comment string
}

// Table is one table of the warehouse contract. Analysts rely on these names:
// columns may be added, never renamed.
type Table struct {
	Name    string
	Comment string
	Kind    Kind
	Columns []Column
}

// Lookup returns the contract table called name.
func Lookup(name string) (Table, bool) {
	for _, t := range Tables {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// TableNames lists the contract tables in schema order.
func TableNames() []string {
	names := make([]string, len(Tables))
	for i, t := range Tables {
		names[i] = t.Name
	}
	return names
}

func (t Table) createSQL(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s (\n", quoteIdent(name))
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "  %s %s", quoteIdent(c.Name), c.Type)
	}
	b.WriteString("\n)")
	return b.String()
}

// commentSQL returns the statements that attach the table's and columns'
// comments to the table called name.
func (t Table) commentSQL(name string) []string {
	stmts := []string{fmt.Sprintf("COMMENT ON TABLE %s IS %s", quoteIdent(name), quoteString(t.Comment))}
	for _, c := range t.Columns {
		stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", quoteIdent(name), quoteIdent(c.Name), quoteString(c.Comment)))
	}
	return stmts
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
