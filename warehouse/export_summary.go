package warehouse

import (
	"fmt"
	"io"
	"strings"
)

// WriteSummary writes what an export wrote to out, for people: the tables
// and rows in total, then one line per table.
func (m *Manifest) WriteSummary(w io.Writer, out string) error {
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	if _, err := fmt.Fprintf(w, "Exported %s (%s) from sync %d as %s to %s\n",
		counted(int64(len(m.Tables)), "table", "tables"), counted(rows, "row", "rows"), m.RunID, m.Format, out); err != nil {
		return err
	}
	for _, t := range m.Tables {
		unit := "rows"
		if t.Rows == 1 {
			unit = "row"
		}
		if _, err := fmt.Fprintf(w, "  %-20s %12s %-4s  %s\n", t.Name, thousands(t.Rows), unit, t.Path); err != nil {
			return err
		}
	}
	return nil
}

// counted is n with thousands separators and the noun's singular or
// plural.
func counted(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}
