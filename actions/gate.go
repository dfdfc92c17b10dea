package actions

import (
	"fmt"

	"slackaudit/extract/slackapi"
)

// GateError says the plan or token cannot do an action: which plan it found,
// which plan it needs and which scope.
type GateError struct {
	Action Action
	What   string        // what the action does, as a gerund: "sending notifications"
	Where  string        // the workspace or organisation, e.g. "Acme (T123)"
	Found  slackapi.Plan // the plan found (team.billing.info)
	Needed string        // the plans that allow it
	Scope  string        // the scope(s) the token needs
	Token  string        // what else the token must be, when that is the problem
}

func (e *GateError) Error() string {
	msg := fmt.Sprintf("%s needs %s: %s is on %s", e.What, e.Needed, e.Where, e.Found.Title())
	if e.Token != "" {
		msg += ", " + e.Token
	}
	return msg + fmt.Sprintf("; the token needs the %s scope", e.Scope)
}

// gateFor is the plan requirement of each action.
type gateFor struct {
	what    string
	needed  string
	allowed func(slackapi.Plan) bool // the plans that allow it
	scope   string
	org     bool // needs an org-level token
}

var gates = map[Action]gateFor{
	Notify:          {"sending notifications", "Pro, Business+ or Enterprise Grid", slackapi.Plan.Paid, "chat:write", false},
	UsergroupAdd:    {"changing user groups", "Pro, Business+ or Enterprise Grid", slackapi.Plan.HasUserGroups, "usergroups:write", false},
	UsergroupRemove: {"changing user groups", "Pro, Business+ or Enterprise Grid", slackapi.Plan.HasUserGroups, "usergroups:write", false},
	Deactivate:      {"deactivating accounts (Slack's SCIM API)", "Business+ or Enterprise Grid", slackapi.Plan.HasSCIM, "admin", false},
	Reactivate:      {"reactivating accounts (Slack's SCIM API)", "Business+ or Enterprise Grid", slackapi.Plan.HasSCIM, "admin", false},
	WorkspaceAdd:    {"adding people to workspaces", "Enterprise Grid and an org-level token", slackapi.Plan.IsGrid, "admin.users:write", true},
	WorkspaceRemove: {"removing people from workspaces", "Enterprise Grid and an org-level token", slackapi.Plan.IsGrid, "admin.users:write", true},
	WorkspaceInvite: {"inviting people to workspaces", "Enterprise Grid and an org-level token", slackapi.Plan.IsGrid, "admin.users:write", true},
}

// checkGate returns a *GateError when plan or the token rules action out,
// and nil when they allow it or the plan is unknown (Slack then decides, and
// its error says why).
func checkGate(action Action, plan slackapi.Plan, where string, orgToken bool) error {
	g, ok := gates[action]
	if !ok || plan == slackapi.PlanUnknown {
		return nil
	}
	e := &GateError{Action: action, What: g.what, Where: where, Found: plan, Needed: g.needed, Scope: g.scope}
	if !g.allowed(plan) {
		return e
	}
	if g.org && !orgToken {
		e.Token = "but this is a workspace token: an Org Owner or Org Admin must install the app on the whole organisation and use its org-level token"
		return e
	}
	return nil
}
