package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"slackaudit/queries/safetext"
	"slackaudit/warehouse"
)

// WriteGaps lists the data sets a sync could not read, one line per cause,
// so a Grid organisation with many workspaces stays readable. The sync's
// summary and the report both end with it.
func WriteGaps(w io.Writer, status []warehouse.SourceStatus) {
	type cause struct{ reason, unlock string }
	var order []cause
	sources := map[cause][]string{}
	teams := map[cause][]string{}
	for _, s := range status {
		if s.Status == "ok" {
			continue
		}
		c := cause{s.Reason, s.Unlock}
		if _, ok := sources[c]; !ok {
			order = append(order, c)
		}
		if !slices.Contains(sources[c], s.Source) {
			sources[c] = append(sources[c], s.Source)
		}
		if !slices.Contains(teams[c], s.TeamID) {
			teams[c] = append(teams[c], s.TeamID)
		}
	}
	if len(order) == 0 {
		return
	}
	fmt.Fprintln(w, "Not synced:")
	for _, c := range order {
		where := strings.Join(teams[c], ", ")
		if n := len(teams[c]); n > 3 {
			where = fmt.Sprintf("%d workspaces", n)
		}
		fmt.Fprintf(w, "  %s (%s): %s\n", strings.Join(sources[c], ", "), safetext.Escape(where), safetext.Escape(c.reason))
		if c.unlock != "" {
			fmt.Fprintf(w, "    to unlock: %s\n", safetext.Escape(c.unlock))
		}
	}
}
