package extract

import (
	"context"
	"net/url"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Page sizes of the Enterprise Grid admin methods.
const (
	AdminTeamsPageSize = 1000
	AdminUsersPageSize = 100 // admin.users.list allows at most 100
)

// AdminTeams lists the workspaces of an Enterprise Grid organisation with
// admin.teams.list (org-level token, admin.teams:read), each once.
func (c *Client) AdminTeams(ctx context.Context, enterpriseID, enterpriseName string) ([]Workspace, error) {
	var out []Workspace
	pg := newPager(c, adminTeamsList, enterpriseID, url.Values{"limit": {strconv.Itoa(AdminTeamsPageSize)}},
		func(d *dedup, t *adminTeam) uint64 { return d.key(t.ID) })
	err := pg.byCursor(ctx, func(t *adminTeam) error {
		out = append(out, Workspace{TeamID: t.ID, Name: t.Name, Domain: domainOf(t.URL),
			EnterpriseID: enterpriseID, EnterpriseName: enterpriseName, PlanCode: "enterprise"})
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

// OrgUsersSchema is the schema of the org_users table.
var OrgUsersSchema = arrow.NewSchema([]arrow.Field{
	{Name: "enterprise_id", Type: arrow.BinaryTypes.String},
	{Name: "user_id", Type: arrow.BinaryTypes.String},
	{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "username", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "full_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "is_active", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_admin", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_owner", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_primary_owner", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_restricted", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_ultra_restricted", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "is_bot", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "has_2fa", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "has_sso", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "last_active_at", Type: Timestamp, Nullable: true},
	{Name: "created_at", Type: Timestamp, Nullable: true},
	{Name: "deactivated_at", Type: Timestamp, Nullable: true},
	{Name: "expires_at", Type: Timestamp, Nullable: true},
	{Name: "workspaces", Type: arrow.ListOf(arrow.BinaryTypes.String)},
	{Name: "roles", Type: arrow.ListOf(arrow.BinaryTypes.String)},
}, nil)

// OrgUsers is the Source of the org_users table: every account of an
// Enterprise Grid organisation from admin.users.list (org-level token,
// admin.users:read), active ones first, then deactivated ones, 100 a page,
// each once. With an org token and no team_id Slack includes last_active_ts.
type OrgUsers struct {
	Client       *Client
	EnterpriseID string
	// MustList is a user the list must include: the token's own (auth.test
	// user_id). When set, an empty list or one without that user fails.
	MustList string
	Alloc    memory.Allocator // memory.DefaultAllocator when nil
}

func (OrgUsers) Name() string          { return "org_users" }
func (OrgUsers) Table() string         { return "org_users" }
func (OrgUsers) Schema() *arrow.Schema { return OrgUsersSchema }

func (s OrgUsers) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	ctx = withTeam(ctx, s.EnterpriseID)
	b := newBatcher(s.Alloc, OrgUsersSchema, emit)
	defer b.Release()
	listed, own := 0, false
	// An account deactivated while the lists are read is in both: it is
	// kept once, from the active list, and counted as a repeat. Each list
	// pages on its own, so such an account cannot stall the second.
	across, repeats := newDedup(), int64(0)
	for _, active := range []bool{true, false} {
		params := url.Values{"limit": {strconv.Itoa(AdminUsersPageSize)}, "is_active": {strconv.FormatBool(active)}}
		if !active {
			params.Set("include_deactivated_user_workspaces", "true")
		}
		pg := newPager(s.Client, adminUsersList, s.EnterpriseID, params, func(d *dedup, u *orgUser) uint64 { return d.key(u.ID) })
		err := pg.byCursor(ctx, func(u *orgUser) error {
			if !across.add(across.key(u.ID)) {
				repeats++
				return nil
			}
			listed++
			own = own || u.ID == s.MustList
			return appendOrgUser(b, s.EnterpriseID, u)
		})
		if err != nil {
			return err
		}
	}
	countDuplicates(ctx, repeats)
	if err := s.plausible(listed, own); err != nil {
		return err
	}
	return b.Flush()
}

// plausible fails a list that cannot be the organisation's people.
func (s OrgUsers) plausible(listed int, own bool) error {
	return mustList{method: "admin.users.list", team: s.EnterpriseID, of: "organisation", noun: "account", user: s.MustList}.check(listed, own)
}
