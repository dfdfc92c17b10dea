package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse/schema"
)

// OrgUsersSchema is the org_users table.
var OrgUsersSchema = schema.Declare(schema.Table{
	Name: "org_users", Kind: schema.Snapshot,
	Comment: "Every account of an Enterprise Grid organisation as admin.users.list reports it (org-level token), with Slack's last-active time.",
	Columns: []schema.Column{
		schema.String("enterprise_id", "Enterprise Grid organisation (E…): the billing account."),
		schema.String("user_id", "Slack user ID (W…), the same in every workspace of the organisation."),
		schema.String("email", "Email address; NULL for bots or when the organisation hides emails.").Optional(),
		schema.String("username", "Handle.").Optional(),
		schema.String("full_name", "Full name.").Optional(),
		schema.Bool("is_active", "False for deactivated accounts."),
		schema.Bool("is_admin", "Org or workspace Admin."),
		schema.Bool("is_owner", "Org or workspace Owner."),
		schema.Bool("is_primary_owner", "The organisation's Primary Owner."),
		schema.Bool("is_restricted", "Guest (multi- or single-channel)."),
		schema.Bool("is_ultra_restricted", "Single-channel guest."),
		schema.Bool("is_bot", "Bot account."),
		schema.Bool("has_2fa", "Two-factor authentication enabled."),
		schema.Bool("has_sso", "Signs in through SSO."),
		schema.Timestamp("last_active_at", "Slack's last_active_ts: the last time the account was active anywhere in the organisation; NULL if never.").Optional(),
		schema.Timestamp("created_at", "When the account was created.").Optional(),
		schema.Timestamp("deactivated_at", "When the account was deactivated; NULL if active.").Optional(),
		schema.Timestamp("expires_at", "When a guest account expires; NULL if it does not.").Optional(),
		schema.Strings("workspaces", "Workspaces (T…) the account belongs to. One person in five workspaces still holds one seat."),
		schema.Strings("roles", "Admin roles Slack lists for the account."),
	},
})

// OrgUsers is the Source of the org_users table: every account of an
// Enterprise Grid organisation from admin.users.list (slackapi's OrgUsers:
// org-level token, admin.users:read), each once.
type OrgUsers struct {
	Client       *slackapi.Client
	EnterpriseID string
	// MustList is a user the list must include: the token's own (auth.test
	// user_id). When set, an empty list or one without that user fails.
	MustList string
	Alloc    memory.Allocator // memory.DefaultAllocator when nil
}

func (OrgUsers) Schema() *arrow.Schema { return OrgUsersSchema }

func (s OrgUsers) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, OrgUsersSchema, emit)
	defer b.Release()
	add := orgUserAppender(b, s.EnterpriseID)
	for u, err := range s.Client.OrgUsers(ctx, slackapi.ListOrgUsers{EnterpriseID: s.EnterpriseID, MustList: s.MustList}) {
		if err != nil {
			return err
		}
		if err := add(&u); err != nil {
			return err
		}
	}
	return b.Flush()
}

// orgUserAppender looks the org_users columns up once and returns what
// appends one account of the organisation enterpriseID.
func orgUserAppender(b *schema.Builder, enterpriseID string) func(*slackapi.OrgUser) error {
	enterprise, user, email, username, fullName := b.String("enterprise_id"), b.String("user_id"), b.String("email"), b.String("username"), b.String("full_name")
	flags := b.Bools("is_active", "is_admin", "is_owner", "is_primary_owner", "is_restricted",
		"is_ultra_restricted", "is_bot", "has_2fa", "has_sso")
	lastActive, created, deactivated, expires := b.Timestamp("last_active_at"), b.Timestamp("created_at"), b.Timestamp("deactivated_at"), b.Timestamp("expires_at")
	workspaces, roles := b.Strings("workspaces"), b.Strings("roles")
	return func(u *slackapi.OrgUser) error {
		enterprise.Append(enterpriseID)
		user.Append(u.ID)
		appendString(email, u.Email)
		appendString(username, u.Username)
		appendString(fullName, u.FullName)
		for i, v := range [...]bool{u.IsActive, u.IsAdmin, u.IsOwner, u.IsPrimaryOwner, u.IsRestricted,
			u.IsUltraRestricted, u.IsBot, u.Has2FA, u.HasSSO} {
			flags[i].Append(v)
		}
		appendTime(lastActive, u.LastActive)
		appendTime(created, u.Created)
		appendTime(deactivated, u.Deactivated)
		appendTime(expires, u.Expires)
		workspaces.Append(u.Workspaces)
		roles.Append(u.Roles)
		return b.Row()
	}
}
