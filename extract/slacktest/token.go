package slacktest

import (
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
)

// TokenKind is the kind of OAuth token a client presents.
type TokenKind string

// Token kinds.
const (
	TokenUser TokenKind = "user" // xoxp-
	TokenBot  TokenKind = "bot"  // xoxb-
	TokenOrg  TokenKind = "org"  // org-level user token from an org-wide install (Enterprise only)
)

// Token is a credential the server accepts once registered (AdminToken
// always is; others through WithToken or AddToken).
type Token struct {
	Value  string // e.g. "xoxp-slacktest-…"; tests pass it to clients
	Kind   TokenKind
	TeamID string // workspace of a user/bot token; empty for org tokens
	UserID string // the user the token acts as
	Scopes []string
}

// HasScope reports whether t holds scope.
func (t Token) HasScope(scope string) bool {
	return slices.Contains(t.Scopes, scope)
}

// AdminScopes are the read scopes of AdminToken.
func AdminScopes() []string {
	return []string{"admin", "users:read", "users:read.email", "team:read", "team.billing:read", "usergroups:read"}
}

// AdminToken is the workspace user token of the primary owner on Teams[0],
// with every read scope (see AdminScopes).
func (o *Org) AdminToken() Token {
	return o.token(TokenUser, o.Teams[0].ID, o.primaryOwner().ID, AdminScopes())
}

// UserToken is a workspace user token acting as userID on its home workspace
// with the given scopes. It must be registered with the server to be accepted.
func (o *Org) UserToken(userID string, scopes ...string) Token {
	team := o.Teams[0].ID
	if u := o.User(userID); u != nil {
		team = u.TeamID
	}
	return o.token(TokenUser, team, userID, scopes)
}

// BotToken is a bot token on Teams[0] acting as the first bot user there
// (every org with 20 or more accounts has one; otherwise UserID is empty).
// It must be registered with the server to be accepted.
func (o *Org) BotToken(scopes ...string) Token {
	team := o.Teams[0].ID
	userID := ""
	o.mu.RLock()
	defer o.mu.RUnlock()
	for _, u := range o.Users {
		if u.IsBot && u.InTeam(team) {
			userID = u.ID
			break
		}
	}
	return o.token(TokenBot, team, userID, scopes)
}

// OrgToken is an org-level user token of the primary owner, as an org-wide
// install on Enterprise Grid grants. Calls to team.*, users.* and
// usergroups.* methods with it need team_id. It must be registered with
// the server to be accepted.
//
// Write scopes are passed the same way as read scopes, e.g.
// OrgToken("admin.users:write") for admin.users.assign/remove/invite,
// UserToken(id, "usergroups:write") for usergroups.users.update,
// BotToken("chat:write") for chat.postMessage; SCIM takes any user or org
// token with the admin scope whose user is an owner or admin (AdminToken).
func (o *Org) OrgToken(scopes ...string) Token {
	return o.token(TokenOrg, "", o.primaryOwner().ID, scopes)
}

// OrgTokenAs is an org-level user token acting as userID, for tests of
// callers who are not org admins (not_an_admin). It must be registered
// with the server to be accepted.
func (o *Org) OrgTokenAs(userID string, scopes ...string) Token {
	return o.token(TokenOrg, "", userID, scopes)
}

// token builds a deterministic token value from the seed and every field.
func (o *Org) token(kind TokenKind, teamID, userID string, scopes []string) Token {
	h := fnv.New64a()
	h.Write([]byte(strconv.FormatInt(o.Seed, 10)))
	for _, s := range []string{string(kind), teamID, userID, strings.Join(scopes, ",")} {
		h.Write([]byte{0})
		h.Write([]byte(s))
	}
	prefix := "xoxp-slacktest-"
	if kind == TokenBot {
		prefix = "xoxb-slacktest-"
	}
	where := teamID
	if kind == TokenOrg {
		where = o.EnterpriseID
		if where == "" {
			where = "org"
		}
	}
	return Token{
		Value:  prefix + where + "-" + userID + "-" + strconv.FormatUint(h.Sum64(), 16),
		Kind:   kind,
		TeamID: teamID,
		UserID: userID,
		Scopes: slices.Clone(scopes),
	}
}

// primaryOwner returns the org's primary owner.
func (o *Org) primaryOwner() *User {
	if o.owner != nil {
		return o.owner
	}
	for _, u := range o.Users { // an Org built by hand
		if u.IsPrimaryOwner {
			return u
		}
	}
	return o.Users[0]
}
