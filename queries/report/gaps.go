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
	causes := gapCauses(status)
	if len(causes) == 0 {
		return
	}
	fmt.Fprintln(w, "Not synced:")
	for _, c := range causes {
		fmt.Fprintf(w, "  %s (%s): %s\n", c.sources(), safetext.Escape(c.where()), safetext.Escape(c.reason))
		if c.unlock != "" {
			fmt.Fprintf(w, "    to unlock: %s\n", safetext.Escape(c.unlock))
		}
	}
}

// gapCause is one reason data sets went unread: which, where, and what
// would unlock them.
type gapCause struct {
	reason, unlock string
	sourceList     []string
	teams          []string
}

func (c gapCause) sources() string { return strings.Join(c.sourceList, ", ") }

// where names the workspaces, or counts them when there are more than 3.
func (c gapCause) where() string {
	if n := len(c.teams); n > 3 {
		return fmt.Sprintf("%d workspaces", n)
	}
	return strings.Join(c.teams, ", ")
}

// gapCauses groups what was not synced by cause (reason and unlock), in
// the order causes first appear.
func gapCauses(status []warehouse.SourceStatus) []gapCause {
	var out []gapCause
	for _, s := range status {
		if s.Status == "ok" {
			continue
		}
		i := slices.IndexFunc(out, func(c gapCause) bool { return c.reason == s.Reason && c.unlock == s.Unlock })
		if i < 0 {
			out = append(out, gapCause{reason: s.Reason, unlock: s.Unlock})
			i = len(out) - 1
		}
		c := &out[i]
		if !slices.Contains(c.sourceList, s.Source) {
			c.sourceList = append(c.sourceList, s.Source)
		}
		if !slices.Contains(c.teams, s.TeamID) {
			c.teams = append(c.teams, s.TeamID)
		}
	}
	return out
}

// gapStatus turns the report's gaps back into source statuses.
func gapStatus(gaps []Gap) []warehouse.SourceStatus {
	status := make([]warehouse.SourceStatus, len(gaps))
	for i, g := range gaps {
		status[i] = warehouse.SourceStatus{Source: g.Source, TeamID: g.TeamID, Status: g.Status, Reason: g.Reason, Unlock: g.Unlock}
	}
	return status
}
