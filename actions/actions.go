// Package actions changes Slack on the findings of an audit: it adds people
// to and removes them from user groups and (on Enterprise Grid) workspaces,
// invites them, deactivates and reactivates accounts through SCIM, and sends
// them notifications.
//
// Every change is planned first. A Plan lists one Step per target with what
// would happen and why; guards (the primary owner, the token's own user,
// bots, --max) and Slack's current state (already in the group, already
// deactivated) decide which steps are skipped before anything is sent.
// Execute carries the plan out only when it is not a dry run and the
// connection's permission is act, reporting every step's outcome to a
// Recorder as it happens, so the audit log is complete even when a batch
// stops half way.
//
// The package talks to Slack through slackapi.Client: members and user
// groups come from the same iterators as a sync (the same transport, rate
// limiting and retries), changes from its write methods. It imports neither
// the warehouse nor Arrow: the command line hands targets in and writes what
// the Recorder receives.
package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"slackaudit/extract/slackapi"
)

// Action is what a step does to its target.
type Action string

// The actions.
const (
	UsergroupAdd    Action = "usergroup_add"
	UsergroupRemove Action = "usergroup_remove"
	WorkspaceAdd    Action = "workspace_add"
	WorkspaceRemove Action = "workspace_remove"
	WorkspaceInvite Action = "workspace_invite"
	Deactivate      Action = "deactivate"
	Reactivate      Action = "reactivate"
	Notify          Action = "notify"
)

// Describe says what the action does, for plans and messages.
func (a Action) Describe() string {
	switch a {
	case UsergroupAdd:
		return "add to user group"
	case UsergroupRemove:
		return "remove from user group"
	case WorkspaceAdd:
		return "add to workspace"
	case WorkspaceRemove:
		return "remove from workspace"
	case WorkspaceInvite:
		return "invite to workspace"
	case Deactivate:
		return "deactivate account"
	case Reactivate:
		return "reactivate account"
	case Notify:
		return "send a notification"
	}
	return string(a)
}

// takesAway reports whether the action removes access: the primary owner
// and the token's own user are never its targets.
func (a Action) takesAway() bool {
	return a == UsergroupRemove || a == WorkspaceRemove || a == Deactivate
}

// State is where a step stands.
type State string

// The states of a step.
const (
	Planned   State = "planned"   // would be carried out (a dry run stops here)
	Skipped   State = "skipped"   // not carried out: already done, a guard, refused, not attempted
	Succeeded State = "succeeded" // Slack made the change
	Failed    State = "failed"    // Slack refused or the call failed; SlackError says why
)

// DefaultMax is the largest batch act and notify carry out unless --max
// says otherwise.
const DefaultMax = 25

// Target is someone an action is aimed at, as the command line or a
// warehouse query names them. UserID or Email is required; the rest comes
// from the query and feeds the plan's reasons and message templates.
type Target struct {
	UserID string
	Email  string
	TeamID string // the workspace a workspace action applies to, when the query gives one
	Name   string
	// LastUsed is the day the person last used Slack (2006-01-02), "never",
	// or empty when unknown; DaysUnused the whole days since, when known.
	LastUsed   string
	DaysUnused string
	SeatType   string
	// Fields holds every column of the query row, as text, for templates.
	Fields map[string]string
	// Reason is why the target was chosen.
	Reason string
}

// key is how the target was named: its user ID, else its email.
func (t Target) key() string {
	if t.UserID != "" {
		return t.UserID
	}
	return t.Email
}

// Step is one action on one target.
type Step struct {
	N         int // position in the plan, from 1
	Action    Action
	UserID    string
	Email     string
	Name      string
	Workspace string // team (T…) or enterprise (E…) the action applies to
	Object    string // user group, channel, or an invitation's channels
	Reason    string
	State     State
	// Detail says why a step was skipped or what happened.
	Detail string
	// SlackError is Slack's error code (or the SCIM HTTP status) when Slack
	// refused the step.
	SlackError string
	// Message is the notification text, for notify steps and --notify-first.
	Message string
	// Notified is the outcome of the notification sent before the action
	// (--notify-first); nil when none was sent.
	Notified *Step

	target  Target
	member  *member
	person  Person
	unknown bool // failed, but Slack may have made the change (slackapi.ErrOutcomeUnknown)
}

// Plan is what an act or notify run will do.
type Plan struct {
	Action Action
	// Actor is the token's user and workspace (auth.test).
	ActorUserID, ActorName, ActorTeamID string
	// Where the plan applies: the workspace or organisation and its name.
	Where, WhereName string
	// SlackPlan is the Slack plan there (team.billing.info), or
	// slackapi.PlanUnknown when it could not be read.
	SlackPlan slackapi.Plan
	OrgToken  bool
	Group     *Group   // user group actions
	Channels  []string // invitations
	Source    string   // how targets were chosen
	Steps     []*Step
	// Unknown lists targets that match no account.
	Unknown []string
	// Refusal, when set, is why nothing in the plan may be carried out: a
	// plan gate, an unknown target, group or workspace, or --max.
	Refusal error
	DryRun  bool
}

// Changes counts the steps that would change something.
func (p *Plan) Changes() int {
	n := 0
	for _, s := range p.Steps {
		if s.State == Planned {
			n++
		}
	}
	return n
}

// Count counts the steps in state s.
func (p *Plan) Count(s State) int {
	n := 0
	for _, st := range p.Steps {
		if st.State == s {
			n++
		}
	}
	return n
}

// Permission is what a connection may do: read (the default) or act.
type Permission string

// The permission modes.
const (
	PermissionRead Permission = "read"
	PermissionAct  Permission = "act"
)

// ParsePermission reads a permission mode; "" means read.
func ParsePermission(s string) (Permission, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "read":
		return PermissionRead, nil
	case "act":
		return PermissionAct, nil
	}
	return "", fmt.Errorf("permission %q: use read (the default: nothing in Slack is changed) or act", s)
}

// ErrReadOnly refuses changes on a read connection.
var ErrReadOnly = errors.New("this connection is read-only (permission read), so slackaudit changes nothing in Slack; " +
	"to allow changes, pass --permission act or set SLACKAUDIT_PERMISSION=act for this connection, and run again with --yes")

// Clock is the time notifications are paced by; tests supply their own.
type Clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
type RealClock struct{}

func (RealClock) Now() time.Time { return time.Now() }

func (RealClock) Sleep(ctx context.Context, d time.Duration) error { return slackapi.Sleep(ctx, d) }

// Recorder receives each step once its outcome is final (planned or skipped
// in a dry run; skipped, succeeded or failed otherwise), and each
// notification sent before an action. An error stops the run: a change
// that cannot be logged is not made.
type Recorder func(ctx context.Context, s *Step) error
