package slackapi

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// Identity is what auth.test says about a token; is_enterprise_install
// tells an org-level token apart.
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
	Plan           Plan // as team.billing.info says
}

// TeamInfo reads a workspace with team.info, enterprise_id and
// enterprise_name included.
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

// BillingPlan reads the workspace's plan with team.billing.info.
func (c *Client) BillingPlan(ctx context.Context, teamID string) (Plan, error) {
	var r struct {
		Envelope
		Plan *string `json:"plan"`
	}
	if err := c.Call(ctx, "team.billing.info", teamID, url.Values{"team_id": {teamID}}, &r); err != nil {
		return PlanUnknown, err
	}
	if r.Plan == nil {
		return PlanUnknown, errorf("team.billing.info", teamID, KindMalformed, "malformed response: field plan is missing")
	}
	return ParsePlan(*r.Plan), nil
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
	if ws.Plan, err = c.BillingPlan(ctx, teamID); err != nil {
		return Workspace{}, err
	}
	return ws, nil
}

// AdminTeamsPageSize is the page size of admin.teams.list.
const AdminTeamsPageSize = 1000

// AdminTeams lists the workspaces of an Enterprise Grid organisation with
// admin.teams.list (org-level token, admin.teams:read), each once.
func (c *Client) AdminTeams(ctx context.Context, enterpriseID, enterpriseName string) ([]Workspace, error) {
	var out []Workspace
	pg := newPager(c, adminTeamsList, enterpriseID, url.Values{"limit": {strconv.Itoa(AdminTeamsPageSize)}},
		func(d *dedup, t *adminTeam) uint64 { return d.key(t.ID) })
	err := pg.byCursor(ctx, func(t *adminTeam) error {
		out = append(out, Workspace{TeamID: t.ID, Name: t.Name, Domain: domainOf(t.URL),
			EnterpriseID: enterpriseID, EnterpriseName: enterpriseName, Plan: PlanEnterprise})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// adminTeam is one workspace of admin.teams.list.
type adminTeam struct{ ID, Name, URL string }

// adminTeamsList decodes admin.teams.list pages.
var adminTeamsList = listSpec[adminTeam]{method: "admin.teams.list", field: "teams", idKey: "id",
	item: func(p *flatObject, _ string, t *adminTeam) error {
		err := p.object(func(key []byte) (err error) {
			switch string(key) {
			case "id":
				t.ID, err = p.text()
			case "name":
				t.Name, err = p.text()
			case "team_url":
				t.URL, err = p.text()
			default:
				err = p.skip()
			}
			return err
		})
		if err == nil && t.ID == "" {
			return missing("id")
		}
		return err
	}}

// decodeAdminTeamsPage decodes one admin.teams.list answer.
func decodeAdminTeamsPage(body []byte) (page[adminTeam], error) { return adminTeamsList.decode(body) }

// domainOf takes "acme" from "https://acme.slack.com/".
func domainOf(teamURL string) string {
	s := teamURL
	for _, p := range []string{"https://", "http://"} {
		if len(s) > len(p) && s[:len(p)] == p {
			s = s[len(p):]
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '.' || s[i] == '/' {
			return s[:i]
		}
	}
	return s
}
