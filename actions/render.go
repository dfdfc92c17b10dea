package actions

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"slackaudit/extract/slackapi"
	"slackaudit/queries/safetext"
	"slackaudit/queries/textcell"
)

// esc shows text from Slack or the warehouse (names, emails, reasons, what
// Slack answered) with control characters and bidirectional marks escaped,
// so a crafted name cannot fake a row of the plan or a progress line.
func esc(s string) string { return safetext.Escape(s) }

// Print writes the plan: what it does, where, as whom, and a table of who
// and why, with each step's state.
func (p *Plan) Print(w io.Writer) {
	what := p.Action.Describe()
	if p.Group != nil {
		what += " " + esc(p.Group.Label())
	}
	where := esc(p.Where)
	if p.WhereName != "" && p.WhereName != p.Where {
		where = esc(p.WhereName) + " (" + esc(p.Where) + ")"
	}
	plan := "plan unknown"
	if p.SlackPlan != slackapi.PlanUnknown {
		plan = p.SlackPlan.Title()
	}
	todo := "to change"
	if p.Action == Notify {
		todo = "to send"
	}
	counts := fmt.Sprintf("%d %s", p.Changes(), todo)
	if p.Refusal != nil {
		counts = "refused: nothing will change"
	}
	fmt.Fprintf(w, "Plan: %s — %d %s, %s\n", what, len(p.Steps), plural(len(p.Steps), "target", "targets"), counts)
	actor := esc(p.ActorUserID)
	if p.ActorName != "" {
		actor += " (" + esc(p.ActorName) + ")"
	}
	fmt.Fprintf(w, "On: %s, %s; acting as %s\n", where, plan, actor)
	if p.Group != nil {
		fmt.Fprintf(w, "User group: %s, %d %s now\n", esc(p.Group.Label()), len(p.Group.Members), plural(len(p.Group.Members), "member", "members"))
	}
	if len(p.Channels) > 0 {
		fmt.Fprintf(w, "Channels: %s\n", esc(strings.Join(p.Channels, ", ")))
	}
	if p.Source != "" {
		fmt.Fprintf(w, "Targets from: %s\n", esc(p.Source))
	}
	if len(p.Steps) == 0 {
		fmt.Fprintln(w, "Nothing to do: no targets.")
		return
	}
	fmt.Fprintln(w)
	printSteps(w, p.Steps)
	p.printMessages(w)
	if len(p.Unknown) > 0 {
		fmt.Fprintf(w, "\nUnknown (no such account): %s\n", esc(strings.Join(p.Unknown, ", ")))
	}
}

// printMessages lists the messages the plan would send.
func (p *Plan) printMessages(w io.Writer) {
	var msgs []*Step
	for _, st := range p.Steps {
		if st.Message != "" && st.State == Planned {
			msgs = append(msgs, st)
		}
	}
	if len(msgs) == 0 {
		return
	}
	label := "Messages"
	if p.Action != Notify {
		label = "Messages sent first (--notify-first)"
	}
	fmt.Fprintf(w, "\n%s:\n", label)
	for _, st := range msgs {
		to := orString(st.Object, st.UserID)
		if p.Action != Notify {
			to = st.UserID
		}
		fmt.Fprintf(w, "  #%d to %s: %s\n", st.N, esc(to), clip(esc(strings.ReplaceAll(st.Message, "\n", " ⏎ ")), 300))
	}
}

// Line is one line about a step's outcome, for progress output.
func (st *Step) Line() string {
	who := orString(st.UserID, orString(st.Email, st.Object))
	if st.Name != "" && st.Name != who {
		who += " (" + st.Name + ")"
	}
	line := fmt.Sprintf("#%d %s %s: %s", st.N, st.Action, esc(who), st.State)
	if st.Detail != "" {
		line += " — " + esc(st.Detail)
	}
	return line
}

// Summary says how the run ended.
func (p *Plan) Summary() string {
	return fmt.Sprintf("%d succeeded, %d failed, %d skipped.", p.Count(Succeeded), p.Count(Failed), p.Count(Skipped))
}

func printSteps(w io.Writer, steps []*Step) {
	rows := [][]string{{"#", "USER", "EMAIL", "NAME", "WORKSPACE", "WHY", "STATE"}}
	for _, st := range steps {
		state := string(st.State)
		if st.Detail != "" && st.State != Planned {
			state += ": " + esc(st.Detail)
		}
		rows = append(rows, []string{strconv.Itoa(st.N), esc(orString(st.UserID, "-")), esc(orString(st.Email, "-")),
			clip(esc(orString(st.Name, "-")), 28), esc(orString(st.Workspace, "-")), clip(esc(orString(st.Reason, "-")), 60), state})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], textcell.Width(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-textcell.Width(c)))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// clip cuts s to n terminal cells, ending in "…" when cut.
func clip(s string, n int) string { return textcell.Truncate(s, n) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
