package actions

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"slackaudit/extract/slackapi"
)

// Execute carries p out and reports every step to rec as its outcome
// becomes final. A dry run, a refused plan and a read-only connection change
// nothing: their steps are reported as they stand (refused and read-only
// ones as skipped) and the refusal is returned. Otherwise each planned step
// is sent to Slack in order; after a failure the rest are skipped as not
// attempted unless ContinueOnError. The error says how many failed.
func (s *Session) Execute(ctx context.Context, p *Plan, rec Recorder) error {
	switch {
	case p.Refusal != nil:
		return errors.Join(s.recordAll(ctx, p, rec), p.Refusal)
	case p.DryRun:
		return s.recordAll(ctx, p, rec)
	case s.opts.Permission != PermissionAct && p.Changes() > 0:
		p.refuse(ErrReadOnly, "read-only connection (permission read)")
		return errors.Join(s.recordAll(ctx, p, rec), ErrReadOnly)
	}
	var err error
	if p.Action == UsergroupAdd || p.Action == UsergroupRemove {
		err = s.executeGroup(ctx, p, rec)
	} else {
		err = s.executeEach(ctx, p, rec)
	}
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%d changes made before the interruption; actions_log has each target's outcome: %w", p.Count(Succeeded), context.Cause(ctx))
	}
	if n := p.Count(Failed); n > 0 {
		err := fmt.Errorf("%d of %d changes failed; actions_log has each target's outcome", n, n+p.Count(Succeeded))
		if u := p.countUnknown(); u > 0 {
			err = fmt.Errorf("%w; for %d of them the outcome is unknown (Slack may have made the change): check before running again", err, u)
		}
		return err
	}
	return nil
}

// countUnknown counts the failed steps Slack may have carried out.
func (p *Plan) countUnknown() int {
	n := 0
	for _, st := range p.Steps {
		if st.State == Failed && st.unknown {
			n++
		}
	}
	return n
}

// logged reports a step to rec, even after an interrupt; a step that
// cannot be logged stops the run.
func logged(ctx context.Context, rec Recorder, st *Step) error {
	if err := rec(context.WithoutCancel(ctx), st); err != nil {
		return fmt.Errorf("step %d (%s %s) %s, but logging it failed, so the run stopped: %w", st.N, st.Action, orString(st.UserID, st.Email), st.State, err)
	}
	return nil
}

func (s *Session) recordAll(ctx context.Context, p *Plan, rec Recorder) error {
	for _, st := range p.Steps {
		if err := rec(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

// stopped says why the remaining steps are not attempted, or "" to go on.
func (s *Session) stopped(ctx context.Context, failed *Step) string {
	if ctx.Err() != nil {
		return "not attempted: interrupted"
	}
	if failed != nil && !s.opts.ContinueOnError {
		return fmt.Sprintf("not attempted: step %d failed (pass --continue-on-error to carry on past failures)", failed.N)
	}
	return ""
}

// executeEach carries out the steps one by one: workspace membership,
// invitations, deactivation and notifications.
func (s *Session) executeEach(ctx context.Context, p *Plan, rec Recorder) error {
	var failed *Step
	for _, st := range p.Steps {
		if st.State == Planned {
			if why := s.stopped(ctx, failed); why != "" {
				st.State, st.Detail = Skipped, why
			} else if ok, err := s.notifyFirst(ctx, st, rec); err != nil {
				return err
			} else if !ok {
				failed = st
			} else {
				s.do(ctx, st)
				if st.State == Failed {
					failed = st
				}
			}
		}
		if err := logged(ctx, rec, st); err != nil {
			return err
		}
	}
	return nil
}

// notifyFirst sends st's message to its target before the action
// (--notify-first), reporting the notification as a step of its own. It
// returns false, failing st, when the notification failed: nobody is
// changed without the notice they were promised. An error means the
// notification could not be logged: the run stops, st is not carried out.
func (s *Session) notifyFirst(ctx context.Context, st *Step, rec Recorder) (bool, error) {
	if st.Action == Notify || st.Message == "" || st.UserID == "" {
		return true, nil
	}
	n := &Step{N: st.N, Action: Notify, UserID: st.UserID, Email: st.Email, Name: st.Name, Workspace: st.Workspace,
		Object: st.UserID, Reason: "before " + string(st.Action), State: Succeeded, Message: st.Message}
	if err := s.send(ctx, st.UserID, st.Message); err != nil {
		n.fail(err)
	}
	st.Notified = n
	if err := logged(ctx, rec, n); err != nil {
		return false, err
	}
	if n.State == Failed {
		st.State, st.Detail, st.SlackError = Failed, "not changed: the notification before it failed ("+n.Detail+")", n.SlackError
		return false, nil
	}
	return true, nil
}

// do carries out one step and sets its outcome.
func (s *Session) do(ctx context.Context, st *Step) {
	var err error
	switch st.Action {
	case WorkspaceAdd:
		err = s.c.AssignUser(ctx, st.Workspace, st.UserID)
	case WorkspaceRemove:
		err = s.c.RemoveUser(ctx, st.Workspace, st.UserID)
	case WorkspaceInvite:
		err = s.c.InviteUser(ctx, st.Workspace, st.Email, splitComma(st.Object))
	case Deactivate, Reactivate:
		want := st.Action == Reactivate
		var u slackapi.SCIMUser
		u, err = s.scim.SetActive(ctx, st.UserID, want)
		if err == nil && u.ID != "" && u.Active != want {
			st.State, st.Detail = Failed, fmt.Sprintf("Slack answered, but the account is still %s", activeWord(u.Active))
			return
		}
	case Notify:
		err = s.send(ctx, st.Object, st.Message)
	default:
		err = fmt.Errorf("action %s cannot be carried out one target at a time", st.Action)
	}
	if err == nil {
		st.State, st.Detail = Succeeded, doneDetail(st)
		return
	}
	if e, ok := slackapi.AsError(err); ok && alreadyDone[e.Code] {
		st.State, st.Detail, st.SlackError = Skipped, "already done (Slack: "+e.Code+")", e.Code
		return
	}
	if e, ok := slackapi.AsError(err); ok && st.Action == WorkspaceInvite && e.Code == "already_in_team" {
		st.State, st.Detail, st.SlackError = Skipped, "the address has an account already: add it with act workspace add", e.Code
		return
	}
	st.fail(err)
}

// alreadyDone are Slack's answers that mean the change had already been made.
var alreadyDone = map[string]bool{
	"user_already_team_member":     true,
	"already_in_team":              true,
	"user_already_deleted":         true,
	"already_in_team_invited_user": true,
	"already_active":               true,
	"already_inactive":             true,
}

func (st *Step) fail(err error) {
	st.State = Failed
	if errors.Is(err, slackapi.ErrOutcomeUnknown) {
		st.unknown = true
		msg := err.Error()
		if e, ok := slackapi.AsError(err); ok {
			msg, st.SlackError = e.Message(), orString(e.Code, e.Detail)
		}
		st.Detail = "outcome unknown: " + msg + "; Slack may or may not have made the change, and it was not sent again: " + checkFirst(st.Action)
		return
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		st.Detail = "interrupted: Slack may or may not have made the change"
		return
	}
	st.Detail = err.Error()
	if e, ok := slackapi.AsError(err); ok {
		st.SlackError = e.Code
		if st.SlackError == "" {
			st.SlackError = e.Detail
		}
	}
}

// checkFirst says what to check before running a step again whose
// outcome is unknown.
func checkFirst(a Action) string {
	switch a {
	case Notify:
		return "check the conversation before running again, which would send it again"
	case WorkspaceAdd, WorkspaceRemove:
		return "check the workspace's members before running again (a new plan reads them and shows the change as already done if it was made)"
	case WorkspaceInvite:
		return "check the workspace's pending invitations before running again"
	}
	return "check in Slack before running again"
}

func doneDetail(st *Step) string {
	switch st.Action {
	case WorkspaceAdd:
		return "added to " + st.Workspace
	case WorkspaceRemove:
		return "removed from " + st.Workspace
	case WorkspaceInvite:
		return "invited to " + st.Workspace
	case Deactivate:
		return "deactivated"
	case Reactivate:
		return "reactivated"
	case Notify:
		return "sent to " + st.Object
	case UsergroupAdd:
		return "added to " + st.Object
	case UsergroupRemove:
		return "removed from " + st.Object
	}
	return "done"
}

func activeWord(active bool) string {
	if active {
		return "active"
	}
	return "deactivated"
}

// executeGroup changes a user group's membership. usergroups.users.update
// replaces the whole list, so the current list is read again, changed and
// written back once, then read back to check each target. When Slack
// refuses the batch for some of its users, the targets are applied one at
// a time to find out which.
func (s *Session) executeGroup(ctx context.Context, p *Plan, rec Recorder) error {
	g := p.Group
	todo, err := s.groupSteps(ctx, p, rec)
	if err != nil || len(todo) == 0 {
		return err
	}
	current, err := g.members(ctx, s.c)
	if err != nil {
		failSteps(todo, err)
		return logSteps(ctx, rec, todo)
	}
	next := applyGroup(current, todo)
	if len(next) == 0 {
		err := fmt.Errorf("removing every member would empty %s, which Slack does not allow (no_users_provided): disable the group in Slack instead", g.Label())
		for _, st := range todo {
			st.State, st.Detail, st.SlackError = Failed, err.Error(), "no_users_provided"
		}
		return logSteps(ctx, rec, todo)
	}
	err = g.setMembers(ctx, s.c, next)
	if e, ok := slackapi.AsError(err); ok && (e.Code == "failed_for_some_users" || e.Code == "invalid_users") && len(todo) > 1 {
		return s.groupOneByOne(ctx, g, current, todo, rec)
	}
	if err != nil {
		failSteps(todo, err)
		return logSteps(ctx, rec, todo)
	}
	s.checkGroup(ctx, g, todo)
	return logSteps(ctx, rec, todo)
}

// groupSteps logs the steps that are not to be carried out (already done,
// skipped after a failure, or whose notice failed) and returns the rest,
// whose notices, if any, have been sent.
func (s *Session) groupSteps(ctx context.Context, p *Plan, rec Recorder) ([]*Step, error) {
	var todo []*Step
	var failed *Step
	for _, st := range p.Steps {
		if st.State != Planned {
			if err := logged(ctx, rec, st); err != nil {
				return nil, err
			}
			continue
		}
		if why := s.stopped(ctx, failed); why != "" {
			st.State, st.Detail = Skipped, why
			if err := logged(ctx, rec, st); err != nil {
				return nil, err
			}
			continue
		}
		ok, err := s.notifyFirst(ctx, st, rec)
		if err != nil {
			return nil, err
		}
		if !ok {
			failed = st
			if err := logged(ctx, rec, st); err != nil {
				return nil, err
			}
			continue
		}
		todo = append(todo, st)
	}
	return todo, nil
}

// checkGroup reads the group back after Slack answered ok, and marks each
// step by whether its change took effect.
func (s *Session) checkGroup(ctx context.Context, g *Group, todo []*Step) {
	after, err := g.members(ctx, s.c)
	for _, st := range todo {
		switch {
		case err != nil:
			st.State, st.Detail = Succeeded, doneDetail(st)+" (Slack answered ok; reading the group back failed: "+err.Error()+")"
		case slices.Contains(after, st.UserID) == (st.Action == UsergroupAdd):
			st.State, st.Detail = Succeeded, doneDetail(st)
		default:
			st.State, st.Detail = Failed, "Slack answered ok, but reading the group back shows the change did not take effect"
		}
	}
}

// failSteps marks every step failed with err.
func failSteps(steps []*Step, err error) {
	for _, st := range steps {
		st.fail(err)
	}
}

// logSteps logs every step, stopping at the first that cannot be logged.
func logSteps(ctx context.Context, rec Recorder, steps []*Step) error {
	for _, st := range steps {
		if err := logged(ctx, rec, st); err != nil {
			return err
		}
	}
	return nil
}

// groupOneByOne applies each target's change on its own, so that the log
// shows exactly which were refused.
func (s *Session) groupOneByOne(ctx context.Context, g *Group, current []string, todo []*Step, rec Recorder) error {
	var failed *Step
	for _, st := range todo {
		if why := s.stopped(ctx, failed); why != "" {
			st.State, st.Detail = Skipped, why
		} else {
			next := applyGroup(current, []*Step{st})
			if err := g.setMembers(ctx, s.c, next); err != nil {
				st.fail(err)
				failed = st
			} else {
				current = next
				st.State, st.Detail = Succeeded, doneDetail(st)
			}
		}
		if err := logged(ctx, rec, st); err != nil {
			return err
		}
	}
	return nil
}

// applyGroup returns members with the steps' additions and removals, in the
// current order with additions at the end.
func applyGroup(members []string, steps []*Step) []string {
	out := slices.Clone(members)
	for _, st := range steps {
		switch st.Action {
		case UsergroupAdd:
			if !slices.Contains(out, st.UserID) {
				out = append(out, st.UserID)
			}
		case UsergroupRemove:
			out = slices.DeleteFunc(out, func(id string) bool { return id == st.UserID })
		}
	}
	return out
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
