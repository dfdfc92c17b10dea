package transform

import (
	"fmt"
	"slices"
	"strings"
)

// RiskTableVersion names the scope → risk table below. It is written to
// every apps row so that a change of rating is visible across syncs: bump
// it whenever a scope moves or is added.
const RiskTableVersion = "2026-11-29"

// An app's risk level is its riskiest scope's level, raised one step when
// it acts as a person (user-token scopes) and one step when it is not
// approved in the Slack Marketplace. Scopes the table does not know are
// rated unknown and listed, never dropped.

// scopeRisks is the risk table, version RiskTableVersion. Prefix rules
// ("admin.") follow the exact names.
//
//   - critical: administers the workspace or organisation, manages users or
//     user groups, reads private channels or direct messages, or has full
//     client access.
//   - high: reads message history of public channels, files, search, email
//     addresses, or acts as a classic bot (reads every channel it is in).
//   - medium: posts messages, reads channel, user and group lists, webhooks.
//   - low: slash commands, reactions, emoji, link previews, identity.
var scopeRisks = map[string]RiskLevel{
	// critical
	"admin": RiskCritical, "client": RiskCritical, "read": RiskCritical,
	"users:write": RiskCritical, "usergroups:write": RiskCritical,
	"groups:history": RiskCritical, "im:history": RiskCritical, "mpim:history": RiskCritical,
	"conversations:history": RiskCritical, "conversations.connect:manage": RiskCritical,
	// high
	"channels:history": RiskHigh, "files:read": RiskHigh, "files:write": RiskHigh, "files:write:user": RiskHigh,
	"remote_files:read": RiskHigh, "remote_files:share": RiskHigh, "remote_files:write": RiskHigh,
	"search:read": RiskHigh, "search:read.public": RiskHigh, "users:read.email": RiskHigh, "bot": RiskHigh,
	"channels:write": RiskHigh, "groups:write": RiskHigh, "channels:manage": RiskHigh, "im:read": RiskHigh,
	"mpim:read": RiskHigh, "team.billing:read": RiskHigh, "team:write": RiskHigh,
	// medium
	"chat:write": RiskMedium, "chat:write:bot": RiskMedium, "chat:write:user": RiskMedium, "chat:write.public": RiskMedium,
	"chat:write.customize": RiskMedium, "post": RiskMedium, "channels:read": RiskMedium, "groups:read": RiskMedium,
	"users:read": RiskMedium, "users.profile:read": RiskMedium, "usergroups:read": RiskMedium, "team:read": RiskMedium,
	"email": RiskMedium, "incoming-webhook": RiskMedium, "im:write": RiskMedium, "mpim:write": RiskMedium,
	"channels:join": RiskMedium, "users.profile:write": RiskMedium, "calls:write": RiskMedium,
	"reminders:write": RiskMedium, "pins:write": RiskMedium, "links:write": RiskMedium, "bookmarks:write": RiskMedium,
	"workflow.steps:execute": RiskMedium,
	// low
	"commands": RiskLow, "reactions:read": RiskLow, "reactions:write": RiskLow, "emoji:read": RiskLow,
	"links:read": RiskLow, "identify": RiskLow, "identity.basic": RiskLow, "openid": RiskLow, "profile": RiskLow,
	"dnd:read": RiskLow, "dnd:write": RiskLow, "pins:read": RiskLow, "stars:read": RiskLow, "stars:write": RiskLow,
	"calls:read": RiskLow, "app_mentions:read": RiskLow, "reminders:read": RiskLow, "bookmarks:read": RiskLow,
	"metadata.message:read": RiskLow,
}

// scopePrefixRisks rate families of scopes by prefix.
var scopePrefixRisks = []struct {
	prefix string
	level  RiskLevel
}{
	{"admin.", RiskCritical},
	{"auditlogs:", RiskCritical},
}

// userOnlyScopes can only be granted to user tokens: an app holding one
// acts as the person who installed it. Other scopes count as user-token
// scopes when admin.apps.* says so or their name ends in ":user".
var userOnlyScopes = map[string]bool{
	"admin": true, "client": true, "identify": true, "read": true, "post": true, "search:read": true,
	"users.profile:write": true, "dnd:write": true, "stars:read": true, "stars:write": true,
	"identity.basic": true, "openid": true, "profile": true, "email": true,
}

// ScopeRisk rates one scope: its level, or RiskUnknown.
func ScopeRisk(scope string) RiskLevel {
	if l, ok := scopeRisks[scope]; ok {
		return l
	}
	for _, p := range scopePrefixRisks {
		if strings.HasPrefix(scope, p.prefix) {
			return p.level
		}
	}
	return RiskUnknown
}

// IsUserScope reports whether scope is granted to a user token by its name alone.
func IsUserScope(scope string) bool {
	return userOnlyScopes[scope] || strings.HasSuffix(scope, ":user")
}

// AppRiskInput is what an app's risk is computed from.
type AppRiskInput struct {
	Scopes     []string
	UserScopes []string // scopes admin.apps.* says are user-token scopes (besides IsUserScope)
	// DirectoryApproved is nil when unknown (no admin.apps access, or a
	// legacy service), else whether the app is approved in the Slack Marketplace.
	DirectoryApproved *bool
	Internal          bool // built by the organisation (developer_type internal)
}

// AppRisk is an app's rating.
type AppRisk struct {
	Level      RiskLevel
	Reasons    []string // why, in words, riskiest first
	UserScopes []string // scopes the app holds as a person
	Unknown    []string // scopes the table does not know
}

// RateApp rates an app's current scopes.
func RateApp(in AppRiskInput) AppRisk {
	var r AppRisk
	top, topScopes := RiskNone, []string(nil)
	for _, s := range in.Scopes {
		l := ScopeRisk(s)
		if l == RiskUnknown {
			r.Unknown = append(r.Unknown, s)
		} else if l.Compare(top) > 0 {
			top, topScopes = l, []string{s}
		} else if l == top {
			topScopes = append(topScopes, s)
		}
		if IsUserScope(s) || slices.Contains(in.UserScopes, s) {
			r.UserScopes = append(r.UserScopes, s)
		}
	}
	switch {
	case len(in.Scopes) == 0:
		r.Level = RiskNone
		r.Reasons = []string{"holds no scopes"}
		return r
	case top == RiskNone:
		r.Level = RiskUnknown
		r.Reasons = []string{fmt.Sprintf("only scopes the risk table (version %s) does not know: %s", RiskTableVersion, strings.Join(r.Unknown, ", "))}
		return r
	}
	r.Level = top
	r.Reasons = append(r.Reasons, fmt.Sprintf("%s scope%s %s", top, plural(len(topScopes)), strings.Join(topScopes, ", ")))
	raise := func(why string) {
		if up := r.Level.raised(); up != r.Level {
			r.Level = up
			why += ": raised to " + up.String()
		}
		r.Reasons = append(r.Reasons, why)
	}
	if len(r.UserScopes) > 0 {
		raise("acts as a person with user-token scope" + plural(len(r.UserScopes)) + " " + strings.Join(r.UserScopes, ", "))
	}
	if in.DirectoryApproved != nil && !*in.DirectoryApproved {
		why := "not approved in the Slack Marketplace"
		if in.Internal {
			why += " (built in-house)"
		}
		raise(why)
	}
	if len(r.Unknown) > 0 {
		r.Reasons = append(r.Reasons, fmt.Sprintf("scope%s not in the risk table, rated unknown: %s", plural(len(r.Unknown)), strings.Join(r.Unknown, ", ")))
	}
	return r
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
