// Package slacktest is a synthetic Slack organisation served over real HTTP
// on loopback, for tests, benchmarks and the demo command.
//
// NewOrg generates a deterministic organisation from a Config (same Config,
// byte-identical responses); NewServer serves it at URL()+method with
// Slack's documented JSON, token and scope checks, plan gates, per-tier rate
// limits (optionally time-scaled) and injectable faults. The package writes
// its JSON by hand and shares no types with any Slack client, so client
// decoding mistakes are caught rather than shared.
//
//	org := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 1000})
//	srv := slacktest.NewServer(org, slacktest.WithTimeScale(0.001))
//	defer srv.Close()
//	api := slack.New(org.AdminToken().Value, slack.OptionAPIURL(srv.URL()))
//
// Methods served (methods.go has each one's tier, scope, token kinds and
// plan gate): auth.test, team.info, team.billing.info, team.billableInfo,
// team.accessLogs, team.integrationLogs, users.list, usergroups.list,
// usergroups.users.list, and on Enterprise Grid with an org token
// (Org.OrgToken): admin.teams.list, admin.users.list,
// admin.analytics.getFile, admin.apps.approved.list,
// admin.apps.restricted.list and admin.apps.requests.list.
//
// The org also changes for real. The write methods usergroups.users.update,
// admin.users.assign, admin.users.remove, admin.users.invite and
// chat.postMessage, and the SCIM 2.0 API at Server.SCIMURL() (GET /Users,
// GET, PATCH and DELETE /Users/<id>; scim.go), change the accounts, user
// groups and messages that later reads report: a SCIM deactivation shows as
// deleted in users.list, billing_active false in team.billableInfo and
// is_active false in admin.users.list. Org.User, Org.CurrentUsers,
// Org.UserByEmail, Org.UserGroups, Org.Channels and Org.Messages give tests
// the current state, safely while requests run (state.go explains the
// locking); data derived from the generated accounts, such as app
// histories, stays as generated.
//
// Usage data is consistent across methods: every account's Activity and
// LastActive drive a per-day model (Org.ActiveOn) from which the sign-in
// rows (Org.AccessLogs), the member analytics files (Org.MemberAnalyticsLine)
// and last_active_ts all derive, without storing anything per day. App
// data is consistent too: Org.IntegrationLogs, Org.Integrations and the
// admin.apps lists describe the same installs with the same app IDs, which
// are also the AppID of the org's bot users for those apps. The helpers
// give tests the exact expected answers.
package slacktest
