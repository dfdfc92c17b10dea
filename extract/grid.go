package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/slack-go/slack"
)

// Page sizes of the Enterprise Grid admin methods.
const (
	AdminTeamsPageSize = 1000
	AdminUsersPageSize = 100 // admin.users.list allows at most 100
)

// AdminTeams lists the workspaces of an Enterprise Grid organisation with
// admin.teams.list (org-level token, admin.teams:read).
func (c *Client) AdminTeams(ctx context.Context, enterpriseID, enterpriseName string) ([]Workspace, error) {
	var out []Workspace
	cursor := ""
	for {
		resp, err := c.api.AdminTeamsList(ctx, slack.AdminTeamsListOptionLimit(AdminTeamsPageSize), slack.AdminTeamsListOptionCursor(cursor))
		if err != nil {
			return nil, classify("admin.teams.list", enterpriseID, err)
		}
		for i, t := range resp.Teams {
			if t.ID == "" {
				return nil, errorf("admin.teams.list", enterpriseID, KindMalformed, "malformed response: field teams[%d].id is missing", i)
			}
			out = append(out, Workspace{TeamID: t.ID, Name: t.Name, Domain: domainOf(t.TeamURL),
				EnterpriseID: enterpriseID, EnterpriseName: enterpriseName, PlanCode: "enterprise"})
		}
		next := resp.ResponseMetadata.Cursor
		if next == "" {
			return out, nil
		}
		if next == cursor {
			return nil, errorf("admin.teams.list", enterpriseID, KindMalformed, "paging stopped making progress: Slack returned the same next_cursor twice")
		}
		cursor = next
	}
}

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
// admin.users:read), active ones first, then deactivated ones, 100 a page.
// With an org token and no team_id Slack includes last_active_ts.
type OrgUsers struct {
	Client       *Client
	EnterpriseID string
}

func (OrgUsers) Name() string          { return "org_users" }
func (OrgUsers) Table() string         { return "org_users" }
func (OrgUsers) Schema() *arrow.Schema { return OrgUsersSchema }

func (s OrgUsers) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	const method = "admin.users.list"
	b := newBatcher(OrgUsersSchema, emit)
	defer b.Release()
	var (
		ent, user, email, username, fullName = b.Field(0).(*array.StringBuilder), b.Field(1).(*array.StringBuilder),
			b.Field(2).(*array.StringBuilder), b.Field(3).(*array.StringBuilder), b.Field(4).(*array.StringBuilder)
		flags                 [9]*array.BooleanBuilder
		times                 [4]*array.TimestampBuilder
		workspaces, roles     = b.Field(18).(*array.ListBuilder), b.Field(19).(*array.ListBuilder)
		workspaceIDs, roleIDs = workspaces.ValueBuilder().(*array.StringBuilder), roles.ValueBuilder().(*array.StringBuilder)
	)
	for i := range flags {
		flags[i] = b.Field(5 + i).(*array.BooleanBuilder)
	}
	for i := range times {
		times[i] = b.Field(14 + i).(*array.TimestampBuilder)
	}
	for _, active := range []bool{true, false} {
		cursor := ""
		for {
			resp, err := s.Client.api.AdminUsersList(ctx, slack.AdminUsersListOptionLimit(AdminUsersPageSize),
				slack.AdminUsersListOptionCursor(cursor), slack.AdminUsersListOptionIsActive(active),
				slack.AdminUsersListOptionIncludeDeactivatedUserWorkspaces(!active))
			if err != nil {
				return classify(method, s.EnterpriseID, err)
			}
			for i, u := range resp.Users {
				if u.ID == "" {
					return errorf(method, s.EnterpriseID, KindMalformed, "malformed response: field users[%d].id is missing", i)
				}
				ent.Append(s.EnterpriseID)
				user.Append(u.ID)
				appendString(email, u.Email)
				appendString(username, u.Username)
				appendString(fullName, u.FullName)
				for j, v := range [...]bool{u.IsActive, u.IsAdmin, u.IsOwner, u.IsPrimaryOwner, u.IsRestricted,
					u.IsUltraRestricted, u.IsBot, u.Has2FA, u.HasSSO} {
					flags[j].Append(v)
				}
				for j, ts := range [...]int64{u.LastActiveTimestamp, u.DateCreated, u.DeactivatedTimestamp, u.ExpirationTimestamp} {
					appendTime(times[j], ts)
				}
				workspaces.Append(true)
				for _, w := range u.Workspaces {
					workspaceIDs.Append(w)
				}
				roles.Append(true)
				for _, r := range u.Roles {
					roleIDs.Append(r)
				}
				if err := b.Row(); err != nil {
					return err
				}
			}
			next := resp.ResponseMetadata.Cursor
			if next == "" {
				break
			}
			if next == cursor {
				return errorf(method, s.EnterpriseID, KindMalformed, "paging stopped making progress: Slack returned the same next_cursor twice")
			}
			cursor = next
		}
	}
	return b.Flush()
}
