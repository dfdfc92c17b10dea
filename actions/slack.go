package actions

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"slackaudit/extract"
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
func (m *member) seatType() string {
	switch {
	case m.Deleted:
		return "deactivated"
	case m.Bot || m.AppUser || m.ID == slackbotID:
		return "bot"
	case m.Invited:
		return "invited"
	case m.Owner || m.PrimaryOwner:
		return "owner"
	case m.Admin:
		return "admin"
	case m.UltraRestricted:
		return "single_channel_guest"
	case m.Restricted:
		return "multi_channel_guest"
	}
	return "member"
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

// slackAPI makes the Web API calls actions need through extract's raw caller.
type slackAPI struct{ c *extract.Client }

// workspaceMembers lists a workspace's accounts with users.list.
func (a slackAPI) workspaceMembers(ctx context.Context, teamID string, d *directory) error {
	cursor := ""
	for {
		var r struct {
			extract.Envelope
			Members []struct {
				ID                string `json:"id"`
				TeamID            string `json:"team_id"`
				Name              string `json:"name"`
				RealName          string `json:"real_name"`
				Deleted           bool   `json:"deleted"`
				IsAdmin           bool   `json:"is_admin"`
				IsOwner           bool   `json:"is_owner"`
				IsPrimaryOwner    bool   `json:"is_primary_owner"`
				IsRestricted      bool   `json:"is_restricted"`
				IsUltraRestricted bool   `json:"is_ultra_restricted"`
				IsBot             bool   `json:"is_bot"`
				IsAppUser         bool   `json:"is_app_user"`
				IsInvitedUser     bool   `json:"is_invited_user"`
				Profile           struct {
					RealName string `json:"real_name"`
					Email    string `json:"email"`
				} `json:"profile"`
			} `json:"members"`
		}
		err := a.c.Call(ctx, "users.list", teamID, url.Values{"limit": {strconv.Itoa(extract.UsersPageSize)},
			"cursor": {cursor}, "team_id": {teamID}}, &r)
		if err != nil {
			return err
		}
		for _, u := range r.Members {
			if u.ID == "" {
				continue
			}
			rn := u.RealName
			if rn == "" {
				rn = u.Profile.RealName
			}
			// Everyone users.list returns is a member of the workspace
			// listed, whatever their home workspace (team_id) on Grid.
			d.add(&member{ID: u.ID, TeamID: orString(u.TeamID, teamID), Teams: []string{teamID}, Handle: u.Name, RealName: rn, Email: u.Profile.Email,
				PrimaryOwner: u.IsPrimaryOwner, Owner: u.IsOwner, Admin: u.IsAdmin, Restricted: u.IsRestricted,
				UltraRestricted: u.IsUltraRestricted, Bot: u.IsBot, AppUser: u.IsAppUser, Invited: u.IsInvitedUser, Deleted: u.Deleted})
		}
		next := r.ResponseMetadata.NextCursor
		if next == "" || next == cursor {
			return nil
		}
		cursor = next
	}
}

// orgMembers lists an Enterprise Grid organisation's accounts, active and
// deactivated, with admin.users.list (org-level token, admin.users:read).
func (a slackAPI) orgMembers(ctx context.Context, enterpriseID string, d *directory) error {
	for _, active := range []bool{true, false} {
		cursor := ""
		for {
			var r struct {
				extract.Envelope
				Users []struct {
					ID                string   `json:"id"`
					Email             string   `json:"email"`
					IsAdmin           bool     `json:"is_admin"`
					IsOwner           bool     `json:"is_owner"`
					IsPrimaryOwner    bool     `json:"is_primary_owner"`
					IsRestricted      bool     `json:"is_restricted"`
					IsUltraRestricted bool     `json:"is_ultra_restricted"`
					IsBot             bool     `json:"is_bot"`
					Username          string   `json:"username"`
					FullName          string   `json:"full_name"`
					IsActive          bool     `json:"is_active"`
					Workspaces        []string `json:"workspaces"`
				} `json:"users"`
			}
			err := a.c.Call(ctx, "admin.users.list", enterpriseID, url.Values{"limit": {strconv.Itoa(extract.AdminUsersPageSize)},
				"cursor": {cursor}, "is_active": {strconv.FormatBool(active)},
				"include_deactivated_user_workspaces": {strconv.FormatBool(!active)}}, &r)
			if err != nil {
				return err
			}
			for _, u := range r.Users {
				if u.ID == "" {
					continue
				}
				d.add(&member{ID: u.ID, Handle: u.Username, RealName: u.FullName, Email: u.Email, Teams: u.Workspaces,
					PrimaryOwner: u.IsPrimaryOwner, Owner: u.IsOwner, Admin: u.IsAdmin, Restricted: u.IsRestricted,
					UltraRestricted: u.IsUltraRestricted, Bot: u.IsBot, Deleted: !u.IsActive})
			}
			next := r.ResponseMetadata.NextCursor
			if next == "" || next == cursor {
				break
			}
			cursor = next
		}
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

// groups lists a workspace's user groups, disabled ones included. It is a
// raw call: slack-go cannot decode Slack's documented "user_count":"2"
// (slack-go issue #1604).
func (a slackAPI) groups(ctx context.Context, teamID string) ([]Group, error) {
	var r struct {
		extract.Envelope
		Usergroups []struct {
			ID         string `json:"id"`
			TeamID     string `json:"team_id"`
			Name       string `json:"name"`
			Handle     string `json:"handle"`
			DateDelete int64  `json:"date_delete"`
		} `json:"usergroups"`
	}
	if err := a.c.Call(ctx, "usergroups.list", teamID, url.Values{"include_disabled": {"true"}, "team_id": {teamID}}, &r); err != nil {
		return nil, err
	}
	out := make([]Group, 0, len(r.Usergroups))
	for _, g := range r.Usergroups {
		out = append(out, Group{ID: g.ID, TeamID: g.TeamID, Handle: g.Handle, Name: g.Name, Disabled: g.DateDelete != 0})
	}
	return out, nil
}

// groupMembers reads a user group's members.
func (a slackAPI) groupMembers(ctx context.Context, g *Group) ([]string, error) {
	var r struct {
		extract.Envelope
		Users []string `json:"users"`
	}
	err := a.c.Call(ctx, "usergroups.users.list", g.TeamID, url.Values{"usergroup": {g.ID}, "include_disabled": {"true"},
		"team_id": {g.teamParam()}}, &r)
	return r.Users, err
}

// setGroupMembers replaces a user group's members: usergroups.users.update
// takes the whole list.
func (a slackAPI) setGroupMembers(ctx context.Context, g *Group, users []string) error {
	var r struct {
		extract.Envelope
		Usergroup struct {
			ID string `json:"id"`
		} `json:"usergroup"`
	}
	return a.c.Call(ctx, "usergroups.users.update", g.TeamID, url.Values{"usergroup": {g.ID},
		"users": {strings.Join(users, ",")}, "team_id": {g.teamParam()}}, &r)
}

// teamParam is the team_id to send: only org-level tokens need it, and the
// session sets orgTeam when it has one.
func (g *Group) teamParam() string { return g.orgTeam }

type okResponse struct{ extract.Envelope }

func (a slackAPI) assign(ctx context.Context, teamID, userID string) error {
	return a.c.Call(ctx, "admin.users.assign", teamID, url.Values{"team_id": {teamID}, "user_id": {userID}}, &okResponse{})
}

func (a slackAPI) remove(ctx context.Context, teamID, userID string) error {
	return a.c.Call(ctx, "admin.users.remove", teamID, url.Values{"team_id": {teamID}, "user_id": {userID}}, &okResponse{})
}

func (a slackAPI) invite(ctx context.Context, teamID, email string, channels []string) error {
	return a.c.Call(ctx, "admin.users.invite", teamID, url.Values{"team_id": {teamID}, "email": {email},
		"channel_ids": {strings.Join(channels, ",")}}, &okResponse{})
}

// post sends a message with chat.postMessage; channel may be a user ID (a DM
// from the app).
func (a slackAPI) post(ctx context.Context, teamID, channel, text string) error {
	var r struct {
		extract.Envelope
		Channel string `json:"channel"`
		TS      string `json:"ts"`
	}
	return a.c.Call(ctx, "chat.postMessage", teamID, url.Values{"channel": {channel}, "text": {text}}, &r)
}
