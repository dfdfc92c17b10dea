package pipeline

import (
	"fmt"
	"io"
	"slices"
	"time"

	"slackaudit/queries/safetext"
	"slackaudit/warehouse"
)

// WriteSummary writes what the sync did, for people: what was synced, the
// rows per table (leaving out the empty tables of data sets not read), the
// API calls, what was not synced and why, notes on what was read, and the
// warehouse at path. With floor, it adds the least time Slack's rate
// limits allowed against the time the sync took. gaps writes what was not
// synced and why (report.WriteGaps, which the report shares); pipeline
// leaves that rendering to queries, which it does not import.
func (r *Result) WriteSummary(w io.Writer, path string, floor bool, gaps func(io.Writer, []warehouse.SourceStatus)) {
	fmt.Fprintf(w, "Synced %s as of %s — run %d, mode %s, in %s\n", safetext.Escape(r.Title),
		r.AsOf.Format("2006-01-02 15:04:05Z"), r.RunID, r.Mode, r.Elapsed.Round(time.Millisecond))
	skipped := map[string]bool{}
	for _, s := range r.Status {
		if !s.Status.Read() {
			skipped[s.Source] = true
		}
	}
	tables := slices.DeleteFunc(slices.Clone(r.Tables), func(t TableRows) bool { return t.Rows == 0 && skipped[t.Table] })
	nameW, numW := 0, 0
	for _, t := range tables {
		nameW, numW = max(nameW, len(t.Table)), max(numW, len(Thousands(t.Rows)))
	}
	for _, t := range tables {
		fmt.Fprintf(w, "  %-*s %*s rows\n", nameW, t.Table, numW, Thousands(t.Rows))
	}
	fmt.Fprintf(w, "API calls: %d (%s)\n", r.APICalls, r.CallsByMethod)
	if floor && r.Floor > 0 {
		fmt.Fprintf(w, "floor %.1f min (%s), took %.1f min\n", r.Floor.Minutes(), r.FloorMethod, r.Elapsed.Minutes())
	}
	gaps(w, r.Status)
	for _, s := range r.Status {
		if s.Status.Read() && s.Reason != "" {
			fmt.Fprintf(w, "Note: %s (%s): %s\n", s.Source, safetext.Escape(s.TeamID), safetext.Escape(s.Reason))
		}
	}
	fmt.Fprintf(w, "Warehouse: %s\n", path)
}

// Thousands formats n with comma separators.
func Thousands(n int64) string {
	if n < 0 {
		return "-" + Thousands(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
