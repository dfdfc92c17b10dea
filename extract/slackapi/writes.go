package slackapi

import (
	"context"
	"net/url"
	"strings"
)

// The calls actions make to change Slack, and the reads they check a change
// with. Each goes through the raw caller, so it shares the transport's
// pacing, Retry-After waits and retries; chat.postMessage and
// admin.users.assign, remove and invite are never sent twice (sendOnce).

// UserGroupMembers reads a user group's members (usergroups.users.list,
// disabled groups included). teamID is the group's workspace, for messages;
// orgTeam is the team_id an org-level token must send, "" for a workspace
// token.
func (c *Client) UserGroupMembers(ctx context.Context, teamID, groupID, orgTeam string) ([]string, error) {
	var r struct {
		Envelope
		Users []string `json:"users"`
	}
	err := c.Call(ctx, "usergroups.users.list", teamID, url.Values{"usergroup": {groupID}, "include_disabled": {"true"},
		"team_id": {orgTeam}}, &r)
	return r.Users, err
}

// SetUserGroupMembers replaces a user group's members with users:
// usergroups.users.update takes the whole list. teamID and orgTeam are as
// for UserGroupMembers.
func (c *Client) SetUserGroupMembers(ctx context.Context, teamID, groupID, orgTeam string, users []string) error {
	var r struct {
		Envelope
		Usergroup struct {
			ID string `json:"id"`
		} `json:"usergroup"`
	}
	return c.Call(ctx, "usergroups.users.update", teamID, url.Values{"usergroup": {groupID},
		"users": {strings.Join(users, ",")}, "team_id": {orgTeam}}, &r)
}

// okResponse is an answer of which only the envelope matters.
type okResponse struct{ Envelope }

// AssignUser adds an existing account to a workspace of the organisation
// (admin.users.assign, org-level token).
func (c *Client) AssignUser(ctx context.Context, teamID, userID string) error {
	return c.Call(ctx, "admin.users.assign", teamID, url.Values{"team_id": {teamID}, "user_id": {userID}}, &okResponse{})
}

// RemoveUser removes an account from a workspace of the organisation
// (admin.users.remove, org-level token).
func (c *Client) RemoveUser(ctx context.Context, teamID, userID string) error {
	return c.Call(ctx, "admin.users.remove", teamID, url.Values{"team_id": {teamID}, "user_id": {userID}}, &okResponse{})
}

// InviteUser invites email to a workspace of the organisation, into
// channels (admin.users.invite, org-level token).
func (c *Client) InviteUser(ctx context.Context, teamID, email string, channels []string) error {
	return c.Call(ctx, "admin.users.invite", teamID, url.Values{"team_id": {teamID}, "email": {email},
		"channel_ids": {strings.Join(channels, ",")}}, &okResponse{})
}

// PostMessage sends text to channel with chat.postMessage; channel may be a
// user ID (a direct message from the app). teamID labels errors.
func (c *Client) PostMessage(ctx context.Context, teamID, channel, text string) error {
	var r struct {
		Envelope
		Channel string `json:"channel"`
		TS      string `json:"ts"`
	}
	return c.Call(ctx, "chat.postMessage", teamID, url.Values{"channel": {channel}, "text": {text}}, &r)
}
