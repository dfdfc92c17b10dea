package actions

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"slackaudit/extract/slackapi"
)

// TestPlanEscapesCraftedText renders a plan whose names, reasons and
// details were built to fake rows: each step stays one line.
func TestPlanEscapesCraftedText(t *testing.T) {
	const crafted = "\u202eevil\n| fake | row |"
	p := &Plan{Action: Deactivate, ActorUserID: "U0ADMIN", ActorName: "ad\x1b[2Jmin", Where: "T1", WhereName: "Acme\u2066x",
		SlackPlan: slackapi.PlanBusinessPlus, Source: "--from-sql SELECT '\u202e'",
		Steps: []*Step{
			{N: 1, Action: Deactivate, UserID: "U1", Email: "a@example.com", Name: crafted, Workspace: "T1", Reason: "unused\r\n#2 fake", State: Planned},
			{N: 2, Action: Deactivate, UserID: "U2", Name: "Bo", Workspace: "T1", Reason: "r", State: Skipped, Detail: "already\ndone \u202e"},
		},
		Unknown: []string{"x\u200e@example.com"},
	}
	var b bytes.Buffer
	p.Print(&b)
	out := b.String()
	for _, bad := range []string{"\u202e", "\u2066", "\u200e", "\x1b", "\r"} {
		assert.NotContains(t, out, bad)
	}
	var stepLines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "1 ") || strings.HasPrefix(l, "2 ") || strings.HasPrefix(l, "| fake") || strings.HasPrefix(l, "#2") {
			stepLines = append(stepLines, l)
		}
	}
	assert.Len(t, stepLines, 2, "one line per step, no faked row:\n%s", out)
	assert.Contains(t, out, `\u202eevil\n| fake | row |`)
	assert.Contains(t, out, `unused\r\n#2 fake`)
	assert.Contains(t, out, `skipped: already\ndone \u202e`)
	assert.Contains(t, out, `acting as U0ADMIN (ad\x1b[2Jmin)`)

	line := p.Steps[0].Line()
	assert.Equal(t, `#1 deactivate U1 (\u202eevil\n| fake | row |): planned`, line)
	assert.Equal(t, `#2 deactivate U2 (Bo): skipped — already\ndone \u202e`, p.Steps[1].Line())
}
