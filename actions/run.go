package actions

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// Runner carries one request from plan to outcome, as act and notify show
// it: it prints the plan, carries it out when the request and the
// session's permission allow, records every step as it happens and prints
// what changed, or why nothing did.
type Runner struct {
	Session *Session
	// Out takes the plan, the steps as they are carried out and the
	// outcome.
	Out io.Writer
	// Redact removes secrets from each step's line before it is printed;
	// nothing is removed when nil.
	Redact func(string) string
	// Record keeps one step, stamped at at, in the actions log; it runs
	// before the step's line is printed, and an error stops the run.
	Record func(ctx context.Context, at time.Time, p *Plan, st *Step) error
	// Batch is the actions log's batch the steps are recorded in.
	Batch int64
	// LogQuery is the command that reads the log back, e.g.
	// "slackaudit query --named recent_actions".
	LogQuery string
}

// Run plans req, prints the plan, executes it and prints the outcome. The
// error is the execution's; the outcome is printed either way.
func (r *Runner) Run(ctx context.Context, req Request) error {
	p := r.Session.Plan(ctx, req)
	p.Print(r.Out)
	err := r.Session.Execute(ctx, p, r.recorder(p))
	r.printOutcome(p)
	if len(p.Steps) > 0 {
		fmt.Fprintln(r.Out, r.loggedNote(p))
	}
	return err
}

// live reports whether p changes Slack as it runs.
func (r *Runner) live(p *Plan) bool {
	return !p.DryRun && p.Refusal == nil && p.Changes() > 0 && r.Session.opts.Permission == PermissionAct
}

// recorder records each step of p and, when p is carried out, prints it as
// it happens.
func (r *Runner) recorder(p *Plan) Recorder {
	live := r.live(p)
	if live {
		fmt.Fprintln(r.Out, "\nCarrying out the plan:")
	}
	redact := r.Redact
	if redact == nil {
		redact = func(s string) string { return s }
	}
	return func(ctx context.Context, st *Step) error {
		if err := r.Record(ctx, r.Session.opts.Clock.Now(), p, st); err != nil {
			return err
		}
		if live {
			fmt.Fprintln(r.Out, "  "+redact(st.Line()))
		}
		return nil
	}
}

// printOutcome says what the run changed, or why it changed nothing.
func (r *Runner) printOutcome(p *Plan) {
	w := r.Out
	switch {
	case p.Refusal != nil:
		fmt.Fprintln(w, "\nNothing was changed.")
	case p.DryRun && p.Changes() > 0:
		fmt.Fprintf(w, "\nDry run: nothing was changed. To carry out %d %s, run again with --yes.\n", p.Changes(), plural(p.Changes(), "change", "changes"))
		if r.Session.opts.Permission != PermissionAct {
			fmt.Fprintln(w, "This connection's permission is read: add --permission act (or set SLACKAUDIT_PERMISSION=act) as well.")
		}
	case p.Count(Succeeded)+p.Count(Failed) == 0:
		if len(p.Steps) > 0 {
			fmt.Fprintln(w, "\nNothing to change: everything is already done or skipped.")
		}
	default:
		fmt.Fprintf(w, "\nDone: %s\n", p.Summary())
	}
}

// loggedNote says where the run's steps are logged and how to read them.
func (r *Runner) loggedNote(p *Plan) string {
	see := r.LogQuery
	if p.DryRun {
		see += " --param dry_runs=true"
	}
	return fmt.Sprintf("Logged in actions_log as batch %d (%s).", r.Batch, see)
}

// ListedTargets are the people named in values, by ID or by email; a value
// may name several, separated by commas or white space. reason says where
// they were named.
func ListedTargets(values []string, reason string) []Target {
	var targets []Target
	for _, v := range values {
		for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
			t := Target{Reason: reason}
			if strings.Contains(s, "@") {
				t.Email = s
			} else {
				t.UserID = s
			}
			targets = append(targets, t)
		}
	}
	return targets
}
