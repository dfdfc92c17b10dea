package actions

import (
	"context"
	"slices"
	"strings"

	"slackaudit/extract/slackapi"
	"slackaudit/transform"
)

// member is an account as Slack reports it now.
type member struct {
	ID, TeamID, Handle, RealName, Email string
	Teams                               []string // workspaces (admin.users.list); nil from users.list
	PrimaryOwner, Owner, Admin          bool
	Restricted, UltraRestricted         bool
	Bot, AppUser, Invited, Deleted      bool
}

// name is how a plan names the account.
func (m *member) name() string {
	switch {
	case m.RealName != "":
		return m.RealName
	case m.Handle != "":
		return m.Handle
	}
	return m.Email
}

// seatType is the licences table's seat type for the account.
func (m *member) seatType() transform.SeatType {
	switch {
	case m.Deleted:
		return transform.SeatDeactivated
	case m.Bot || m.AppUser || m.ID == slackbotID:
		return transform.SeatBot
	case m.Invited:
		return transform.SeatInvited
	case m.Owner || m.PrimaryOwner:
		return transform.SeatOwner
	case m.Admin:
		return transform.SeatAdmin
	case m.UltraRestricted:
		return transform.SeatSingleChannelGuest
	case m.Restricted:
		return transform.SeatMultiChannelGuest
	}
	return transform.SeatMember
}

func (m *member) inTeam(teamID string) bool {
	return m.TeamID == teamID || slices.Contains(m.Teams, teamID)
}

const slackbotID = "USLACKBOT"

// directory is every account the plan may name, by ID and by email.
type directory struct {
	byID    map[string]*member
	byEmail map[string]*member
	emails  int // accounts with an email: none means the token cannot read them
}

func newDirectory() *directory {
	return &directory{byID: map[string]*member{}, byEmail: map[string]*member{}}
}

func (d *directory) add(m *member) {
	if prev, ok := d.byID[m.ID]; ok {
		// users.list of several workspaces: one account, several teams.
		if m.TeamID != "" && !prev.inTeam(m.TeamID) {
			prev.Teams = append(prev.Teams, m.TeamID)
		}
		return
	}
	d.byID[m.ID] = m
	if m.Email != "" {
		d.emails++
		e := strings.ToLower(m.Email)
		// An active account wins over a deactivated one with the same email.
		if prev, ok := d.byEmail[e]; !ok || (prev.Deleted && !m.Deleted) {
			d.byEmail[e] = m
		}
	}
}

func (d *directory) find(t Target) *member {
	if t.UserID != "" {
		return d.byID[t.UserID]
	}
	return d.byEmail[strings.ToLower(t.Email)]
}

// workspaceMembers lists a workspace's accounts (users.list, through the
// same iterator, paging and pacing as a sync).
func workspaceMembers(ctx context.Context, c *slackapi.Client, teamID string, d *directory) error {
	for u, err := range c.Users(ctx, slackapi.ListUsers{TeamID: teamID}) {
		if err != nil {
			return err
		}
		// Everyone users.list returns is a member of the workspace
		// listed, whatever their home workspace on Grid.
		d.add(&member{ID: u.ID, TeamID: teamID, Teams: []string{teamID}, Handle: u.Name, RealName: u.RealName, Email: u.Email,
			PrimaryOwner: u.IsPrimaryOwner, Owner: u.IsOwner, Admin: u.IsAdmin, Restricted: u.IsRestricted,
			UltraRestricted: u.IsUltraRestricted, Bot: u.IsBot, AppUser: u.IsAppUser, Invited: u.IsInvitedUser, Deleted: u.Deleted})
	}
	return nil
}

// orgMembers lists an Enterprise Grid organisation's accounts, active and
// deactivated (admin.users.list, org-level token, admin.users:read).
func orgMembers(ctx context.Context, c *slackapi.Client, enterpriseID string, d *directory) error {
	for u, err := range c.OrgUsers(ctx, slackapi.ListOrgUsers{EnterpriseID: enterpriseID}) {
		if err != nil {
			return err
		}
		d.add(&member{ID: u.ID, Handle: u.Username, RealName: u.FullName, Email: u.Email, Teams: u.Workspaces,
			PrimaryOwner: u.IsPrimaryOwner, Owner: u.IsOwner, Admin: u.IsAdmin, Restricted: u.IsRestricted,
			UltraRestricted: u.IsUltraRestricted, Bot: u.IsBot, Deleted: !u.IsActive})
	}
	return nil
}

// Group is a user group.
type Group struct {
	ID, TeamID, Handle, Name string
	Disabled                 bool
	Members                  []string // at planning time

	orgTeam string // team_id to send with an org-level token
}

// Label is how plans name the group: @handle (S…).
func (g *Group) Label() string {
	if g.Handle != "" {
		return "@" + g.Handle + " (" + g.ID + ")"
	}
	return g.ID
}

// groups lists a workspace's user groups, disabled ones included (the
// user groups iterator of a sync).
func groups(ctx context.Context, c *slackapi.Client, teamID string) ([]Group, error) {
	var out []Group
	for g, err := range c.UserGroups(ctx, slackapi.ListUserGroups{TeamID: teamID}) {
		if err != nil {
			return nil, err
		}
		out = append(out, Group{ID: g.ID, TeamID: g.TeamID, Handle: g.Handle, Name: g.Name, Disabled: g.DateDelete != 0})
	}
	return out, nil
}

// members reads the group's members now.
func (g *Group) members(ctx context.Context, c *slackapi.Client) ([]string, error) {
	return c.UserGroupMembers(ctx, g.TeamID, g.ID, g.orgTeam)
}

// setMembers replaces the group's members with users.
func (g *Group) setMembers(ctx context.Context, c *slackapi.Client, users []string) error {
	return c.SetUserGroupMembers(ctx, g.TeamID, g.ID, g.orgTeam, users)
}
