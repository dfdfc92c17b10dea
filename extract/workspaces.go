package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse/schema"
)

// WorkspacesSchema is the workspaces table.
var WorkspacesSchema = schema.Declare(schema.Table{
	Name: "workspaces", Kind: schema.Snapshot,
	Comment: "Each Slack workspace synced, with its enterprise and plan (team.info, team.billing.info).",
	Columns: []schema.Column{
		schema.String("team_id", "Workspace ID (T…)."),
		schema.String("name", "Workspace name."),
		schema.String("domain", "Workspace subdomain: <domain>.slack.com."),
		schema.String("email_domain", "Email domain(s) allowed to sign up, comma separated; may be empty.").Optional(),
		schema.String("enterprise_id", "Enterprise Grid organisation ID (E…); NULL outside Grid.").Optional(),
		schema.String("enterprise_name", "Enterprise Grid organisation name; NULL outside Grid.").Optional(),
		schema.String("plan", "free, pro, business_plus, enterprise or compliance."),
		schema.String("plan_code", "The plan code Slack's team.billing.info returned (free, std, plus, enterprise, compliance)."),
	},
})

// Workspaces is the Source of the workspaces table: the workspaces Discover
// or AdminTeams already read, so it makes no calls.
type Workspaces struct {
	List  []slackapi.Workspace
	Alloc memory.Allocator // memory.DefaultAllocator when nil
}

func (Workspaces) Schema() *arrow.Schema { return WorkspacesSchema }

func (ws Workspaces) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(ws.Alloc, WorkspacesSchema, emit)
	defer b.Release()
	team, name, domain, emailDomain := b.String("team_id"), b.String("name"), b.String("domain"), b.String("email_domain")
	enterprise, enterpriseName := b.String("enterprise_id"), b.String("enterprise_name")
	plan, planCode := b.String("plan"), b.String("plan_code")
	for _, w := range ws.List {
		team.Append(w.TeamID)
		name.Append(w.Name)
		domain.Append(w.Domain)
		appendString(emailDomain, w.EmailDomain)
		appendString(enterprise, w.EnterpriseID)
		appendString(enterpriseName, w.EnterpriseName)
		plan.Append(w.Plan.String())
		planCode.Append(w.Plan.Code())
		if err := b.Row(); err != nil {
			return err
		}
	}
	return b.Flush()
}
