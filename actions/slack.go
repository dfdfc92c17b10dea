package actions

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
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
type slackAPI struct{ c *slackapi.Client }

// workspaceMembers lists a workspace's accounts with the users source
// (users.list, the same paging and pacing as a sync).
func (a slackAPI) workspaceMembers(ctx context.Context, teamID string, d *directory) error {
	return extract.Users{Client: a.c, TeamID: teamID}.Extract(ctx, func(rec arrow.RecordBatch) error {
		c := batchColumns{rec}
		id, handle, real, email := c.str("user_id"), c.str("name"), c.str("real_name"), c.str("email")
		po, owner, admin := c.flag("is_primary_owner"), c.flag("is_owner"), c.flag("is_admin")
		mcg, scg, bot, app := c.flag("is_restricted"), c.flag("is_ultra_restricted"), c.flag("is_bot"), c.flag("is_app_user")
		invited, deleted := c.flag("is_invited_user"), c.flag("deleted")
		for i := range int(rec.NumRows()) {
			// Everyone users.list returns is a member of the workspace
			// listed, whatever their home workspace on Grid.
			d.add(&member{ID: id(i), TeamID: teamID, Teams: []string{teamID}, Handle: handle(i), RealName: real(i), Email: email(i),
				PrimaryOwner: po(i), Owner: owner(i), Admin: admin(i), Restricted: mcg(i), UltraRestricted: scg(i),
				Bot: bot(i), AppUser: app(i), Invited: invited(i), Deleted: deleted(i)})
		}
		return nil
	})
}

// orgMembers lists an Enterprise Grid organisation's accounts, active and
// deactivated, with the org users source (admin.users.list, org-level
// token, admin.users:read).
func (a slackAPI) orgMembers(ctx context.Context, enterpriseID string, d *directory) error {
	return extract.OrgUsers{Client: a.c, EnterpriseID: enterpriseID}.Extract(ctx, func(rec arrow.RecordBatch) error {
		c := batchColumns{rec}
		id, handle, real, email := c.str("user_id"), c.str("username"), c.str("full_name"), c.str("email")
		po, owner, admin := c.flag("is_primary_owner"), c.flag("is_owner"), c.flag("is_admin")
		mcg, scg, bot, active := c.flag("is_restricted"), c.flag("is_ultra_restricted"), c.flag("is_bot"), c.flag("is_active")
		teams := rec.Column(rec.Schema().FieldIndices("workspaces")[0]).(*array.List)
		names := teams.ListValues().(*array.String)
		for i := range int(rec.NumRows()) {
			var ws []string
			from, to := teams.ValueOffsets(i)
			for j := from; j < to; j++ {
				ws = append(ws, strings.Clone(names.Value(int(j))))
			}
			d.add(&member{ID: id(i), Handle: handle(i), RealName: real(i), Email: email(i), Teams: ws,
				PrimaryOwner: po(i), Owner: owner(i), Admin: admin(i), Restricted: mcg(i), UltraRestricted: scg(i),
				Bot: bot(i), Deleted: !active(i)})
		}
		return nil
	})
}

// batchColumns reads a source's batch by column name; strings are copied,
// since a batch is valid only during emit.
type batchColumns struct{ rec arrow.RecordBatch }

func (c batchColumns) col(name string) arrow.Array {
	return c.rec.Column(c.rec.Schema().FieldIndices(name)[0])
}

func (c batchColumns) str(name string) func(int) string {
	a := c.col(name).(*array.String)
	return func(i int) string {
		if a.IsNull(i) {
			return ""
		}
		return strings.Clone(a.Value(i))
	}
}

func (c batchColumns) flag(name string) func(int) bool {
	a := c.col(name).(*array.Boolean)
	return func(i int) bool { return a.IsValid(i) && a.Value(i) }
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
		slackapi.Envelope
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
		slackapi.Envelope
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
		slackapi.Envelope
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

type okResponse struct{ slackapi.Envelope }

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
		slackapi.Envelope
		Channel string `json:"channel"`
		TS      string `json:"ts"`
	}
	return a.c.Call(ctx, "chat.postMessage", teamID, url.Values{"channel": {channel}, "text": {text}}, &r)
}
