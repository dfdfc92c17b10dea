package actions

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"slackaudit/extract/slackapi"
)

// Request is what to do, to whom.
type Request struct {
	Action Action
	// Group is the user group's handle (with or without @) or ID.
	Group string
	// TeamID is the workspace: required for workspace actions unless each
	// target names one; with an org-level token, the workspace whose user
	// groups are meant.
	TeamID string
	// Channels are the channels an invitation adds the person to.
	Channels []string
	// Channel posts notifications there instead of to each person directly.
	Channel string
	// Message is the notification (notify), or the message sent to each
	// person before the action (--notify-first); see ParseMessage.
	Message *template.Template
	Targets []Target
	// Source says how the targets were chosen; Reason why (--reason), and
	// is put before each target's own reason.
	Source, Reason string
	// DryRun shows the plan and changes nothing.
	DryRun bool
}

func (s *Session) label() string {
	if s.whereName != "" && s.whereName != s.where {
		return s.whereName + " (" + s.where + ")"
	}
	return s.where
}

// Plan works out what req would do: every target resolved against Slack's
// current state, with the guards and what is already done applied. It makes
// only read calls. A plan that may not be carried out says why in Refusal.
func (s *Session) Plan(ctx context.Context, req Request) *Plan {
	p := &Plan{Action: req.Action, ActorUserID: s.id.UserID, ActorName: s.id.User, ActorTeamID: orString(s.id.TeamID, s.id.EnterpriseID),
		Where: s.where, WhereName: s.whereName, SlackPlan: s.slackPlan, OrgToken: s.id.IsEnterpriseInstall,
		Channels: req.Channels, Source: req.Source, DryRun: req.DryRun}
	s.steps(p, req)
	if req.Action == Notify && req.Channel != "" && len(req.Targets) == 0 {
		p.Steps = append(p.Steps, &Step{N: 1, Action: Notify, Reason: req.Reason, State: Planned, Workspace: s.where})
	}
	if req.Action == Reactivate && req.Message != nil {
		return p.refuse(ErrNotifyDeactivated, "a message cannot reach a deactivated account")
	}
	if err := checkGate(req.Action, s.slackPlan, s.label(), s.id.IsEnterpriseInstall); err != nil {
		return p.refuse(err, "plan gate")
	}
	if (req.Action == Notify || req.Message != nil) && s.id.IsEnterpriseInstall {
		return p.refuse(errors.New("sending notifications needs a user or bot token of a workspace (chat:write); this is an org-level token, "+
			"which chat.postMessage does not take: run slackaudit notify with a workspace token, then act without --notify-first"),
			"notifications need a workspace token")
	}
	if err := s.plan(ctx, p, req); err != nil {
		return p.refuse(err, "")
	}
	if len(p.Unknown) > 0 {
		return p.refuse(fmt.Errorf("%d of the targets match no account (%s): nothing was done; correct or drop them and run again",
			len(p.Unknown), strings.Join(p.Unknown, ", ")), "the batch names unknown users")
	}
	if n := p.Changes(); n > s.opts.Max {
		return p.refuse(fmt.Errorf("the plan makes %d changes, more than --max %d allows: nothing was done; narrow the targets, or raise --max if you mean it", n, s.opts.Max),
			fmt.Sprintf("%d changes exceed --max %d", n, s.opts.Max))
	}
	return p
}

// steps makes one step per target, in order. A target named again for the
// same workspace, and one with neither user ID nor email, is a skipped
// step: every row of the batch is in the log.
func (s *Session) steps(p *Plan, req Request) {
	first := map[string]int{} // target and workspace → the step that first names them
	for _, t := range req.Targets {
		reason := t.Reason
		if req.Reason != "" {
			reason = strings.TrimSuffix(req.Reason+"; "+reason, "; ")
		}
		st := &Step{N: len(p.Steps) + 1, Action: req.Action, UserID: t.UserID, Email: t.Email,
			Name: t.Name, Reason: reason, State: Planned, Workspace: s.where, target: t}
		if req.Action.onWorkspace() {
			st.Workspace = orString(req.TeamID, t.TeamID)
		}
		p.Steps = append(p.Steps, st)
		k := strings.ToLower(t.key()) + "|" + st.Workspace
		switch {
		case t.key() == "":
			st.State, st.Detail = Skipped, "no user_id or email"
		case first[k] > 0:
			st.State, st.Detail = Skipped, fmt.Sprintf("duplicate of step %d", first[k])
		default:
			first[k] = st.N
		}
	}
}

// onWorkspace reports whether the action applies to one workspace of an
// organisation, which each target may name: one person in two workspaces
// is two steps.
func (a Action) onWorkspace() bool {
	return a == WorkspaceAdd || a == WorkspaceRemove || a == WorkspaceInvite
}

// ErrNotifyDeactivated refuses a message before reactivation: Slack does
// not deliver to a deactivated account (channel_not_found), and nobody is
// changed without the notice they were promised.
var ErrNotifyDeactivated = errors.New("a message sent before reactivating cannot reach the account, which is deactivated (Slack answers channel_not_found): " +
	"reactivate first, then send the message with slackaudit notify")

// refuse marks every planned step skipped: nothing in p may be done. short
// says why in the log's detail; the error's first clause when empty.
func (p *Plan) refuse(err error, short string) *Plan {
	p.Refusal = err
	if short == "" {
		short = err.Error()
		if e, ok := slackapi.AsError(err); ok {
			short = e.Message()
		} else if i := strings.Index(short, "; "); i > 0 {
			short = short[:i]
		} else if i := strings.Index(short, ": "); i > 0 {
			short = short[:i]
		}
	}
	for _, st := range p.Steps {
		if st.State == Planned {
			st.State, st.Detail = Skipped, "refused: "+short
		}
		if e, ok := slackapi.AsError(err); ok && st.SlackError == "" {
			st.SlackError = e.Code
		}
	}
	return p
}

// directory reads every account the token can see now: the organisation's
// with an org-level token, else its workspace's.
func (s *Session) directory(ctx context.Context) (*directory, error) {
	dir := newDirectory()
	var err error
	if s.id.IsEnterpriseInstall {
		err = orgMembers(ctx, s.c, s.where, dir)
	} else {
		err = workspaceMembers(ctx, s.c, s.id.TeamID, dir)
	}
	return dir, err
}

// plan resolves the targets and decides each step.
func (s *Session) plan(ctx context.Context, p *Plan, req Request) error {
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	switch req.Action {
	case UsergroupAdd, UsergroupRemove:
		g, err := s.group(ctx, req)
		if err != nil {
			return err
		}
		p.Group = g
	case WorkspaceAdd, WorkspaceRemove, WorkspaceInvite:
		if err := s.workspaces(ctx, p); err != nil {
			return err
		}
	}
	resolved := map[string]int{} // account and workspace → the step that first names them
	for _, st := range p.Steps {
		if st.State != Planned { // a duplicate, or a row naming no one
			continue
		}
		if err := s.planStep(p, req, dir, resolved, st); err != nil {
			return err
		}
	}
	return nil
}

// planStep resolves a planned step's target against the directory and
// decides whether it changes anything, rendering its message if so.
func (s *Session) planStep(p *Plan, req Request, dir *directory, resolved map[string]int, st *Step) error {
	if st.target.key() == "" { // a notification to a channel, to no one in particular
		st.Object = req.Channel
		return st.render(req.Message)
	}
	m, ok := s.resolve(p, req, dir, resolved, st)
	if !ok {
		return nil
	}
	st.member = m
	if m != nil {
		st.UserID = m.ID
		st.Email = orString(st.Email, m.Email)
		st.Name = orString(st.Name, m.name())
	}
	st.person = st.target.person(m, st.Workspace)
	switch req.Action {
	case UsergroupAdd, UsergroupRemove:
		st.Object = p.Group.Label()
	case WorkspaceInvite:
		st.Object = strings.Join(req.Channels, ",")
	case Notify:
		st.Object = orString(req.Channel, st.UserID)
	}
	if why := s.skip(p, st, m); why != "" {
		st.State, st.Detail = Skipped, why
		return nil
	}
	return st.render(req.Message)
}

// resolve finds the account a step names (nil: a person to invite); false
// when the step is skipped: an unknown target, or an account an earlier
// step already names in the same workspace.
func (s *Session) resolve(p *Plan, req Request, dir *directory, resolved map[string]int, st *Step) (*member, bool) {
	m := dir.find(st.target)
	if m == nil && st.target.UserID == slackbotID {
		m = &member{ID: slackbotID, Handle: "slackbot", RealName: "Slackbot", Bot: true}
	}
	if m == nil && req.Action != WorkspaceInvite {
		st.State, st.Detail = Skipped, "unknown: no account with this "+kindOf(st.target)+" in "+s.label()
		if st.target.UserID == "" && dir.emails == 0 {
			st.Detail += " (Slack showed no email addresses: the token needs the users:read.email scope)"
		}
		p.Unknown = append(p.Unknown, st.target.key())
		return nil, false
	}
	if m != nil {
		k := m.ID + "|" + st.Workspace
		if first, dup := resolved[k]; dup {
			st.UserID, st.Email, st.Name = m.ID, orString(st.Email, m.Email), orString(st.Name, m.name())
			st.State, st.Detail = Skipped, fmt.Sprintf("duplicate of step %d: the same account", first)
			return nil, false
		}
		resolved[k] = st.N
	}
	return m, true
}

func kindOf(t Target) string {
	if t.UserID != "" {
		return "ID"
	}
	return "email"
}

// skip says why st must not be carried out: a guard, or Slack's current
// state showing it is already done. "" means carry it out.
func (s *Session) skip(p *Plan, st *Step, m *member) string {
	a := st.Action
	if m == nil { // an invitation to an address without an account
		return ""
	}
	if m.Bot || m.AppUser || m.ID == slackbotID {
		if a == Notify {
			return "guard: bots, apps and Slackbot are not notified"
		}
		return "guard: bots, apps and Slackbot are never changed"
	}
	if a.takesAway() && m.PrimaryOwner {
		return "guard: the primary owner is never removed or deactivated"
	}
	if a.takesAway() && m.ID == s.id.UserID {
		return "guard: the token's own user is never removed or deactivated"
	}
	switch a {
	case UsergroupAdd:
		if m.Deleted {
			return "account is deactivated: reactivate it first"
		}
		if slices.Contains(p.Group.Members, m.ID) {
			return "already done: already in " + p.Group.Label()
		}
		if !m.inTeam(p.Group.TeamID) {
			return "not a member of " + p.Group.TeamID + ": a user group holds only its workspace's members"
		}
	case UsergroupRemove:
		if !slices.Contains(p.Group.Members, m.ID) {
			return "already done: not in " + p.Group.Label()
		}
	case WorkspaceAdd:
		if m.Deleted {
			return "account is deactivated: reactivate it first"
		}
		if m.inTeam(st.Workspace) {
			return "already done: already a member of " + st.Workspace
		}
	case WorkspaceRemove:
		if m.Deleted {
			return "account is deactivated: it holds no seat"
		}
		if !m.inTeam(st.Workspace) {
			return "already done: not a member of " + st.Workspace
		}
	case WorkspaceInvite:
		if m.Deleted {
			return "an account with this email exists but is deactivated: reactivate it instead"
		}
		if m.inTeam(st.Workspace) {
			return "already done: already a member of " + st.Workspace
		}
	case Deactivate:
		if m.Deleted {
			return "already done: already deactivated"
		}
	case Reactivate:
		if !m.Deleted {
			return "already done: already active"
		}
	case Notify:
		if m.Deleted {
			return "account is deactivated: it cannot read messages"
		}
	}
	return ""
}

// group finds the request's user group and its current members.
func (s *Session) group(ctx context.Context, req Request) (*Group, error) {
	team := ""
	if s.id.IsEnterpriseInstall {
		if req.TeamID == "" {
			return nil, errors.New("an org-level token needs --team T… to name the workspace whose user group is meant")
		}
		team = req.TeamID
	}
	groups, err := groups(ctx, s.c, team)
	if err != nil {
		return nil, err
	}
	want := strings.TrimPrefix(strings.TrimSpace(req.Group), "@")
	var g *Group
	for i := range groups {
		if groups[i].ID == want || strings.EqualFold(groups[i].Handle, want) {
			g = &groups[i]
			break
		}
	}
	if g == nil {
		handles := make([]string, 0, len(groups))
		for _, x := range groups {
			if x.Disabled {
				continue
			}
			handles = append(handles, "@"+x.Handle)
		}
		slices.Sort(handles)
		list := "it has none"
		if len(handles) > 0 {
			if len(handles) > 20 {
				handles = append(handles[:20], fmt.Sprintf("and %d more", len(handles)-20))
			}
			list = "its groups: " + strings.Join(handles, ", ")
		}
		return nil, fmt.Errorf("unknown user group %q in %s; %s", req.Group, s.groupWhere(team), list)
	}
	if g.Disabled {
		return nil, fmt.Errorf("user group %s is disabled: enable it in Slack first", g.Label())
	}
	if g.TeamID == "" {
		g.TeamID = orString(team, s.where)
	}
	g.orgTeam = team
	if g.Members, err = g.members(ctx, s.c); err != nil {
		return nil, err
	}
	return g, nil
}

func (s *Session) groupWhere(team string) string {
	if team != "" {
		return "workspace " + team
	}
	return s.label()
}

// workspaces checks that each step names a workspace the organisation has.
func (s *Session) workspaces(ctx context.Context, p *Plan) error {
	teams, err := s.c.AdminTeams(ctx, s.where, s.whereName)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	var names []string
	for _, t := range teams {
		known[t.TeamID] = true
		names = append(names, t.TeamID+" ("+t.Name+")")
	}
	var missing, unknown []string
	for _, st := range p.Steps {
		if st.State != Planned {
			continue
		}
		switch team := st.Workspace; {
		case team == "":
			missing = append(missing, st.target.key())
		case !known[team]:
			if !slices.Contains(unknown, team) {
				unknown = append(unknown, team)
			}
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("unknown workspace %s: the organisation's workspaces are %s", strings.Join(unknown, ", "), strings.Join(names, ", "))
	}
	if len(missing) > 0 {
		return fmt.Errorf("no workspace for %s: pass --team T…, or select a team_id column", strings.Join(missing, ", "))
	}
	return nil
}

func orString(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
