package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse/schema"
)

// UsersSchema is the users table.
var UsersSchema = schema.Declare(schema.Table{
	Name: "users", Kind: schema.Snapshot,
	Comment: "Every account in each workspace as users.list reports it: people, guests, bots, pending invites and deactivated accounts.",
	Columns: []schema.Column{
		schema.String("team_id", "Workspace the account was listed in (T…)."),
		schema.String("user_id", "Slack user ID (U… or W… on Enterprise Grid); USLACKBOT is Slackbot."),
		schema.String("name", "Handle (users.list name); not the display name."),
		schema.String("real_name", "Full name from the profile.").Optional(),
		schema.String("display_name", "Display name from the profile; often empty.").Optional(),
		schema.String("email", "Email address; NULL for bots, or when the token lacks users:read.email.").Optional(),
		schema.String("title", "Job title from the profile.").Optional(),
		schema.String("tz", "Time zone name, e.g. Europe/Paris.").Optional(),
		schema.Bool("is_admin", "Workspace Admin (owners are admins too)."),
		schema.Bool("is_owner", "Workspace Owner."),
		schema.Bool("is_primary_owner", "The Primary Owner: exactly one per workspace; cannot be removed or deactivated."),
		schema.Bool("is_restricted", "Guest: true for multi-channel guests and for single-channel guests."),
		schema.Bool("is_ultra_restricted", "Single-channel guest (free seats on paid plans, up to 5 per paid member)."),
		schema.Bool("is_bot", "Bot account. Slackbot is listed with is_bot false; see user_id USLACKBOT."),
		schema.Bool("is_app_user", "Account that belongs to an app or workflow rather than a person."),
		schema.Bool("is_invited_user", "Invitation sent but not yet accepted; not billed until accepted."),
		schema.Bool("deleted", "Deactivated account (Slack's users.list deleted flag); deactivated accounts are not billed."),
		schema.Bool("has_2fa", "Two-factor authentication enabled; NULL when Slack did not say.").Optional(),
		schema.Timestamp("profile_updated_at", "When the profile last changed (users.list updated). Not a sign of activity.").Optional(),
		schema.String("enterprise_id", "Enterprise Grid organisation of the account (enterprise_user.enterprise_id); NULL outside Grid.").Optional(),
	},
})

// Users is the Source of the users table: every account users.list returns
// for one workspace (slackapi's Users), each once.
type Users struct {
	Client *slackapi.Client
	TeamID string
	// MustList is a user the list must include: the token's own (auth.test
	// user_id). When set, an empty list or one without that user fails, as
	// it cannot be the workspace's whole membership.
	MustList string
	// Alloc allocates the batches; memory.DefaultAllocator when nil.
	Alloc memory.Allocator
	// PageSize overrides slackapi.UsersPageSize (tests).
	PageSize int
}

func (Users) Schema() *arrow.Schema { return UsersSchema }

func (s Users) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, UsersSchema, emit)
	defer b.Release()
	add := userAppender(b)
	for u, err := range s.Client.Users(ctx, slackapi.ListUsers{TeamID: s.TeamID, MustList: s.MustList, PageSize: s.PageSize}) {
		if err != nil {
			return err
		}
		if err := add(&u); err != nil {
			return err
		}
	}
	return b.Flush()
}

// userAppender looks the users columns up once and returns what appends
// one account.
func userAppender(b *schema.Builder) func(*slackapi.User) error {
	team, user, name := b.String("team_id"), b.String("user_id"), b.String("name")
	realName, displayName, email := b.String("real_name"), b.String("display_name"), b.String("email")
	title, tz, enterprise := b.String("title"), b.String("tz"), b.String("enterprise_id")
	flags := b.Bools("is_admin", "is_owner", "is_primary_owner", "is_restricted", "is_ultra_restricted",
		"is_bot", "is_app_user", "is_invited_user", "deleted")
	has2FA, updated := b.Bool("has_2fa"), b.Timestamp("profile_updated_at")
	return func(u *slackapi.User) error {
		team.Append(u.TeamID)
		user.Append(u.ID)
		name.Append(u.Name)
		appendString(realName, u.RealName)
		appendString(displayName, u.DisplayName)
		appendString(email, u.Email)
		appendString(title, u.Title)
		appendString(tz, u.TZ)
		for i, v := range [...]bool{u.IsAdmin, u.IsOwner, u.IsPrimaryOwner, u.IsRestricted, u.IsUltraRestricted,
			u.IsBot, u.IsAppUser, u.IsInvitedUser, u.Deleted} {
			flags[i].Append(v)
		}
		if u.Has2FAKnown {
			has2FA.Append(u.Has2FA)
		} else {
			has2FA.AppendNull()
		}
		appendTime(updated, u.Updated)
		appendString(enterprise, u.EnterpriseID)
		return b.Row()
	}
}
