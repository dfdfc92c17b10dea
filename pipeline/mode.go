package pipeline

import (
	"fmt"
	"strings"
)

// Mode is how a sync connects to Slack, which decides what it can read.
// Each mode's name (String) is what --mode takes and what sync_runs and the
// summary show.
type Mode uint8

const (
	// DetectMode, the zero Mode, lets the sync work the mode out from the
	// token and the workspace's plan.
	DetectMode Mode = iota
	// Pro is a Slack Pro workspace, read with a workspace token.
	Pro
	// BusinessPlus is a Business+ workspace, read with a workspace token.
	BusinessPlus
	// GridWorkspace is one workspace of an Enterprise Grid organisation,
	// read with a token installed on that workspace.
	GridWorkspace
	// GridOrg is a whole Enterprise Grid organisation, read with an
	// org-level token: every workspace, the org's people, daily analytics.
	GridOrg
)

// Modes lists the modes a sync can run in, in the order help lists them.
func Modes() []Mode { return []Mode{Pro, BusinessPlus, GridWorkspace, GridOrg} }

// String is the mode's name: pro, business_plus, grid_workspace, grid_org;
// "" for DetectMode, which is not a mode a sync runs in.
func (m Mode) String() string {
	switch m {
	case DetectMode:
		return ""
	case Pro:
		return "pro"
	case BusinessPlus:
		return "business_plus"
	case GridWorkspace:
		return "grid_workspace"
	case GridOrg:
		return "grid_org"
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// ParseMode reads a mode's name. The error names the choices, for the
// caller to put after its flag: `mode "teams": use one of pro, …`.
func ParseMode(s string) (Mode, error) {
	names := make([]string, 0, 4)
	for _, m := range Modes() {
		if m.String() == s {
			return m, nil
		}
		names = append(names, m.String())
	}
	return DetectMode, fmt.Errorf("mode %q: use one of %s", s, strings.Join(names, ", "))
}
