package slacktest

// This file is the one place that says, for every method the server knows,
// its rate-limit tier, required scope, accepted token kinds and plan gate.
// A method added later is one more row in methods.

// tier is a Slack rate-limit tier.
type tier uint8

const (
	tier1       tier = iota + 1 // 1+ per minute
	tier2                       // 20+ per minute
	tier3                       // 50+ per minute
	tier4                       // 100+ per minute
	tierSpecial                 // method-specific; modelled as tier 4
)

// perMinute is the number of calls a tier allows per minute, per method and workspace.
func (t tier) perMinute() int {
	switch t {
	case tier1:
		return 1
	case tier2:
		return 20
	case tier3:
		return 50
	default:
		return 100
	}
}

// tokenKinds is a set of token kinds a method accepts.
type tokenKinds uint8

const (
	allowUser tokenKinds = 1 << iota
	allowBot
	allowOrg
	allowAny = allowUser | allowBot | allowOrg
)

func (k tokenKinds) allows(kind TokenKind) bool {
	switch kind {
	case TokenUser:
		return k&allowUser != 0
	case TokenBot:
		return k&allowBot != 0
	case TokenOrg:
		return k&allowOrg != 0
	}
	return false
}

// gate is the plan requirement of a method and the error Slack gives on
// plans that do not meet it (see slack-api.md §1).
type gate uint8

const (
	gateNone          gate = iota
	gatePaid               // Free → paid_only (team.accessLogs)
	gatePlanUpgrade        // Free → plan_upgrade_required (usergroups.*)
	gateBusinessPlus       // Free, Pro → feature_not_available (admin.analytics.getFile)
	gateEnterprise         // all but Enterprise Grid → feature_not_enabled (admin.*)
	gateGridAnalytics      // all but Enterprise Grid → feature_not_available (admin.analytics.getFile)
)

// check returns the Slack error for calling a method with this gate on
// plan, or "" when the plan allows it.
func (g gate) check(plan string) string {
	switch g {
	case gatePaid:
		if plan == PlanFree {
			return "paid_only"
		}
	case gatePlanUpgrade:
		if plan == PlanFree {
			return "plan_upgrade_required"
		}
	case gateBusinessPlus:
		if plan == PlanFree || plan == PlanPro {
			return "feature_not_available"
		}
	case gateEnterprise:
		if plan != PlanEnterprise {
			return "feature_not_enabled"
		}
	case gateGridAnalytics:
		if plan != PlanEnterprise {
			return "feature_not_available"
		}
	}
	return ""
}

// methodSpec describes one Web API method.
type methodSpec struct {
	tier   tier
	scope  string // required scope; "" accepts any token
	tokens tokenKinds
	gate   gate
	write  bool // changes the org: served under the org's exclusive lock
	serve  func(*Server, *call)
}

// methods is every method the server answers; anything else is unknown_method.
//
// The admin.* read methods take org-level tokens only (an org-wide install
// is the only way to hold admin.* scopes): any other token kind gets
// not_allowed_token_type. The admin.users.* write methods also take the
// user token of an org admin. Because the token kind and scope are checked
// before the plan, an org token on a plan other than Enterprise Grid gets
// feature_not_enabled (admin.analytics.getFile: feature_not_available).
//
// The write methods (write: true) change the org for later reads:
// usergroups.users.update, admin.users.assign/remove/invite and
// chat.postMessage. SCIM (scim.go) is served beside them, outside this
// table.
var methods = map[string]methodSpec{
	"auth.test":            {tier: tierSpecial, tokens: allowAny, serve: (*Server).authTest},
	"team.info":            {tier: tier3, scope: "team:read", tokens: allowAny, serve: (*Server).teamInfo},
	"team.billing.info":    {tier: tier3, scope: "team.billing:read", tokens: allowAny, serve: (*Server).teamBillingInfo},
	"team.billableInfo":    {tier: tier2, scope: "admin", tokens: allowUser | allowOrg, serve: (*Server).teamBillableInfo},
	"team.accessLogs":      {tier: tier2, scope: "admin", tokens: allowUser | allowOrg, gate: gatePaid, serve: (*Server).teamAccessLogs},
	"team.integrationLogs": {tier: tier2, scope: "admin", tokens: allowUser | allowOrg, serve: (*Server).teamIntegrationLogs},
	"users.list":           {tier: tier2, scope: "users:read", tokens: allowAny, serve: (*Server).usersList},

	"admin.teams.list":           {tier: tier3, scope: "admin.teams:read", tokens: allowOrg, gate: gateEnterprise, serve: (*Server).adminTeamsList},
	"admin.users.list":           {tier: tier4, scope: "admin.users:read", tokens: allowOrg, gate: gateEnterprise, serve: (*Server).adminUsersList},
	"admin.analytics.getFile":    {tier: tier2, scope: "admin.analytics:read", tokens: allowOrg, gate: gateGridAnalytics, serve: (*Server).adminAnalyticsGetFile},
	"admin.apps.approved.list":   {tier: tier2, scope: "admin.apps:read", tokens: allowOrg, gate: gateEnterprise, serve: (*Server).adminAppsApprovedList},
	"admin.apps.restricted.list": {tier: tier2, scope: "admin.apps:read", tokens: allowOrg, gate: gateEnterprise, serve: (*Server).adminAppsRestrictedList},
	"admin.apps.requests.list":   {tier: tier2, scope: "admin.apps:read", tokens: allowOrg, gate: gateEnterprise, serve: (*Server).adminAppsRequestsList},

	"usergroups.list":         {tier: tier2, scope: "usergroups:read", tokens: allowAny, gate: gatePlanUpgrade, serve: (*Server).usergroupsList},
	"usergroups.users.list":   {tier: tier2, scope: "usergroups:read", tokens: allowAny, gate: gatePlanUpgrade, serve: (*Server).usergroupsUsersList},
	"usergroups.users.update": {tier: tier2, scope: "usergroups:write", tokens: allowAny, gate: gatePlanUpgrade, write: true, serve: (*Server).usergroupsUsersUpdate},

	"admin.users.assign": {tier: tier2, scope: "admin.users:write", tokens: allowUser | allowOrg, gate: gateEnterprise, write: true, serve: (*Server).adminUsersAssign},
	"admin.users.remove": {tier: tier2, scope: "admin.users:write", tokens: allowUser | allowOrg, gate: gateEnterprise, write: true, serve: (*Server).adminUsersRemove},
	"admin.users.invite": {tier: tier2, scope: "admin.users:write", tokens: allowUser | allowOrg, gate: gateEnterprise, write: true, serve: (*Server).adminUsersInvite},

	// chat.postMessage: besides the workspace-wide special tier, at most one
	// message per second per channel (methods_chat.go).
	"chat.postMessage": {tier: tierSpecial, scope: "chat:write", tokens: allowUser | allowBot, write: true, serve: (*Server).chatPostMessage},
}
