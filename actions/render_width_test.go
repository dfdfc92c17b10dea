package actions

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/queries/textcell"
)

// TestPlanTableAlignsWideNames prints a plan whose names are Chinese,
// Korean and emoji: each column starts at the same terminal column on every
// line, as a terminal draws them.
func TestPlanTableAlignsWideNames(t *testing.T) {
	p := &Plan{Action: Deactivate, ActorUserID: "U0ADMIN", Where: "T1",
		Steps: []*Step{
			{N: 1, Action: Deactivate, UserID: "U1", Email: "li@example.com", Name: "李小龙", Workspace: "T1", Reason: "unused 90 days", State: Planned},
			{N: 2, Action: Deactivate, UserID: "U2", Email: "kim@example.com", Name: "김연아 🙂", Workspace: "T1", Reason: "never used", State: Planned},
			{N: 3, Action: Deactivate, UserID: "U3", Email: "ada@example.com", Name: "Ada", Workspace: "T1", Reason: "unused 120 days", State: Planned},
			{N: 4, Action: Deactivate, UserID: "U4", Email: "long@example.com", Name: strings.Repeat("长", 20), Workspace: "T1", Reason: "r", State: Planned},
		},
	}
	var b bytes.Buffer
	p.Print(&b)
	var table []string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(l, "#") || (l != "" && l[0] >= '1' && l[0] <= '9') {
			table = append(table, l)
		}
	}
	require.Len(t, table, 5, b.String())
	want := fieldStarts(table[0])
	require.Len(t, want, 7, table[0])
	for _, l := range table[1:] {
		assert.Equal(t, want, fieldStarts(l), "every column starts where its heading does:\n%s", b.String())
	}
	assert.Contains(t, b.String(), strings.Repeat("长", 13)+"…", "a long name is cut to 28 cells")
}

// fieldStarts are the terminal columns at which a line's fields start: the
// first, and each that follows two or more spaces.
func fieldStarts(l string) []int {
	starts := []int{0}
	col, spaces := 0, 0
	for _, r := range l {
		if r != ' ' && spaces >= 2 {
			starts = append(starts, col)
		}
		if r == ' ' {
			spaces++
		} else {
			spaces = 0
		}
		col += textcell.Width(string(r))
	}
	return starts
}
