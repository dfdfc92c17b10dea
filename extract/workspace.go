package extract

import (
	"context"
	"fmt"
	"net/url"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Identity is what auth.test says about a token. slack-go's AuthTest lacks
// is_enterprise_install, which tells an org-level token apart, so this is a
// raw call.
type Identity struct {
	URL                 string `json:"url"`
	Team                string `json:"team"`
	User                string `json:"user"`
	TeamID              string `json:"team_id"`
	UserID              string `json:"user_id"`
	BotID               string `json:"bot_id"`
	EnterpriseID        string `json:"enterprise_id"`
	IsEnterpriseInstall bool   `json:"is_enterprise_install"`
}

// AuthTest checks the token and says whose it is.
func (c *Client) AuthTest(ctx context.Context) (Identity, error) {
	var r struct {
		Envelope
		Identity
	}
	if err := c.Call(ctx, "auth.test", "", nil, &r); err != nil {
		return Identity{}, err
	}
	if r.UserID == "" || r.TeamID == "" {
		return Identity{}, errorf("auth.test", "", KindMalformed, "malformed response: field user_id or team_id is missing")
	}
	return r.Identity, nil
}

// Workspace is one Slack workspace and its plan.
type Workspace struct {
	TeamID         string
	Name           string
	Domain         string
	EmailDomain    string
	EnterpriseID   string
	EnterpriseName string
	PlanCode       string // as team.billing.info says: free, std, plus, enterprise, compliance
}

// Plan names the plan as the warehouse does: free, pro, business_plus,
// enterprise or compliance.
func (w Workspace) Plan() string { return PlanName(w.PlanCode) }

// PlanName maps team.billing.info's plan code to the warehouse's plan name.
func PlanName(code string) string {
	switch code {
	case "std":
		return "pro"
	case "plus":
		return "business_plus"
	case "":
		return "unknown"
	}
	return code
}

// PlanTitle is the plan's name as Slack's pricing page writes it.
func PlanTitle(code string) string {
	switch code {
	case "free":
		return "Slack Free"
	case "std":
		return "Slack Pro"
	case "plus":
		return "Slack Business+"
	case "enterprise":
		return "Enterprise Grid"
	case "compliance":
		return "Enterprise Select"
	}
	return "an unknown plan (" + code + ")"
}

// TeamInfo reads a workspace with team.info. slack-go's TeamInfo lacks
// enterprise_id and enterprise_name, so this is a raw call.
func (c *Client) TeamInfo(ctx context.Context, teamID string) (Workspace, error) {
	var r struct {
		Envelope
		Team struct {
			ID             string `json:"id"`
			Name           string `json:"name"`
			Domain         string `json:"domain"`
			EmailDomain    string `json:"email_domain"`
			EnterpriseID   string `json:"enterprise_id"`
			EnterpriseName string `json:"enterprise_name"`
		} `json:"team"`
	}
	if err := c.Call(ctx, "team.info", teamID, url.Values{"team": {teamID}}, &r); err != nil {
		return Workspace{}, err
	}
	if r.Team.ID == "" {
		return Workspace{}, errorf("team.info", teamID, KindMalformed, "malformed response: field team.id is missing")
	}
	t := r.Team
	return Workspace{TeamID: t.ID, Name: t.Name, Domain: t.Domain, EmailDomain: t.EmailDomain,
		EnterpriseID: t.EnterpriseID, EnterpriseName: t.EnterpriseName}, nil
}

// BillingPlan reads the workspace's plan code with team.billing.info, which
// slack-go lacks.
func (c *Client) BillingPlan(ctx context.Context, teamID string) (string, error) {
	var r struct {
		Envelope
		Plan *string `json:"plan"`
	}
	if err := c.Call(ctx, "team.billing.info", teamID, url.Values{"team_id": {teamID}}, &r); err != nil {
		return "", err
	}
	if r.Plan == nil {
		return "", errorf("team.billing.info", teamID, KindMalformed, "malformed response: field plan is missing")
	}
	return *r.Plan, nil
}

// Discover reads the workspace teamID (the token's own when empty): its
// details and plan.
func (c *Client) Discover(ctx context.Context, id Identity, teamID string) (Workspace, error) {
	if teamID == "" {
		teamID = id.TeamID
	}
	if teamID != id.TeamID && !id.IsEnterpriseInstall {
		return Workspace{}, fmt.Errorf("the token belongs to workspace %s (%s), not %s: use a token from that workspace, or drop --team", id.TeamID, id.Team, teamID)
	}
	ws, err := c.TeamInfo(ctx, teamID)
	if err != nil {
		return Workspace{}, err
	}
	if ws.PlanCode, err = c.BillingPlan(ctx, teamID); err != nil {
		return Workspace{}, err
	}
	return ws, nil
}

// WorkspacesSchema is the schema of the workspaces table.
var WorkspacesSchema = arrow.NewSchema([]arrow.Field{
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "name", Type: arrow.BinaryTypes.String},
	{Name: "domain", Type: arrow.BinaryTypes.String},
	{Name: "email_domain", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "enterprise_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "enterprise_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "plan", Type: arrow.BinaryTypes.String},
	{Name: "plan_code", Type: arrow.BinaryTypes.String},
}, nil)

// Workspaces is the Source of the workspaces table: the workspaces Discover
// or AdminTeams already read, so it makes no calls.
type Workspaces struct {
	List  []Workspace
	Alloc memory.Allocator // memory.DefaultAllocator when nil
}

func (Workspaces) Name() string          { return "workspaces" }
func (Workspaces) Table() string         { return "workspaces" }
func (Workspaces) Schema() *arrow.Schema { return WorkspacesSchema }

func (ws Workspaces) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(ws.Alloc, WorkspacesSchema, emit)
	defer b.Release()
	for _, w := range ws.List {
		b.Field(0).(*array.StringBuilder).Append(w.TeamID)
		b.Field(1).(*array.StringBuilder).Append(w.Name)
		b.Field(2).(*array.StringBuilder).Append(w.Domain)
		appendString(b.Field(3).(*array.StringBuilder), w.EmailDomain)
		appendString(b.Field(4).(*array.StringBuilder), w.EnterpriseID)
		appendString(b.Field(5).(*array.StringBuilder), w.EnterpriseName)
		b.Field(6).(*array.StringBuilder).Append(w.Plan())
		b.Field(7).(*array.StringBuilder).Append(w.PlanCode)
		if err := b.Row(); err != nil {
			return err
		}
	}
	return b.Flush()
}
