package slackapi

// Plan is a workspace's Slack plan, held as team.billing.info's code. The
// zero value is PlanUnknown: the plan could not be read. A code Slack adds
// later is kept as it came, and named as it came.
type Plan string

// Slack's plans, by their team.billing.info codes.
const (
	PlanUnknown      Plan = ""
	PlanFree         Plan = "free"
	PlanPro          Plan = "std"
	PlanBusinessPlus Plan = "plus"
	PlanEnterprise   Plan = "enterprise" // Enterprise Grid
	PlanCompliance   Plan = "compliance" // Enterprise Select
)

// ParsePlan reads team.billing.info's plan code.
func ParsePlan(code string) Plan { return Plan(code) }

// ParsePlanName reads the warehouse's name for a plan (what String gives):
// free, pro, business_plus, enterprise, compliance, or unknown. ok is false
// for any other name, which is kept as a code so that String gives it back.
func ParsePlanName(name string) (p Plan, ok bool) {
	switch name {
	case "pro":
		return PlanPro, true
	case "business_plus":
		return PlanBusinessPlus, true
	case "unknown":
		return PlanUnknown, true
	case string(PlanFree), string(PlanEnterprise), string(PlanCompliance):
		return Plan(name), true
	}
	return Plan(name), false
}

// Code is the plan as team.billing.info says it: free, std, plus,
// enterprise or compliance.
func (p Plan) Code() string { return string(p) }

// String names the plan as the warehouse does (workspaces.plan): free, pro,
// business_plus, enterprise or compliance; unknown when it could not be read.
func (p Plan) String() string {
	switch p {
	case PlanPro:
		return "pro"
	case PlanBusinessPlus:
		return "business_plus"
	case PlanUnknown:
		return "unknown"
	}
	return string(p)
}

// Title is the plan's name as Slack's pricing page writes it.
func (p Plan) Title() string {
	switch p {
	case PlanFree:
		return "Slack Free"
	case PlanPro:
		return "Slack Pro"
	case PlanBusinessPlus:
		return "Slack Business+"
	case PlanEnterprise:
		return "Enterprise Grid"
	case PlanCompliance:
		return "Enterprise Select"
	}
	return "an unknown plan (" + string(p) + ")"
}

// Paid reports whether the plan is one Slack charges for: Pro, Business+,
// Enterprise Grid or Enterprise Select.
func (p Plan) Paid() bool {
	switch p {
	case PlanPro, PlanBusinessPlus, PlanEnterprise, PlanCompliance:
		return true
	}
	return false
}

// HasSCIM reports whether the plan offers Slack's SCIM API (deactivating
// and reactivating accounts): Business+ and the Enterprise plans.
func (p Plan) HasSCIM() bool {
	switch p {
	case PlanBusinessPlus, PlanEnterprise, PlanCompliance:
		return true
	}
	return false
}

// HasAccessLogs reports whether the plan offers team.accessLogs (sign-ins):
// every paid plan; Free answers paid_only.
func (p Plan) HasAccessLogs() bool { return p.Paid() }

// HasUserGroups reports whether the plan offers user groups: every paid
// plan; Free answers plan_upgrade_required.
func (p Plan) HasUserGroups() bool { return p.Paid() }

// IsGrid reports whether the plan is Enterprise Grid, whose organisation
// has an Admin API (admin.teams.*, admin.users.*, admin.analytics.*).
func (p Plan) IsGrid() bool { return p == PlanEnterprise }

// IsEnterprise reports whether the plan is one of Slack's Enterprise plans,
// Grid or Select: priced by contract, and synced as a workspace of an
// enterprise.
func (p Plan) IsEnterprise() bool { return p == PlanEnterprise || p == PlanCompliance }

// FairBilling reports whether Slack bills only the members it counts as
// active, and says which in team.billableInfo (its Fair Billing Policy as
// slackaudit relies on it): Pro and Business+.
func (p Plan) FairBilling() bool { return p == PlanPro || p == PlanBusinessPlus }
