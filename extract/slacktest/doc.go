// Package slacktest is a synthetic Slack organisation served over real HTTP
// on loopback, for tests, benchmarks and the demo command.
//
// NewOrg generates a deterministic organisation from a Config (same Config,
// byte-identical responses); NewServer serves it at URL()+method with
// Slack's documented JSON, token and scope checks, plan gates, per-tier rate
// limits (optionally time-scaled) and injectable faults (see Faults
// below). The package writes its JSON by hand and shares no types with any
// Slack client, so client decoding mistakes are caught rather than shared.
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
//
// # Faults
//
// Server.Inject queues a Fault for one method (a Web API method or a SCIM
// operation such as SCIMPatchUser): a Kind and its parameters, fired after
// After good calls for Times calls (Forever: until ClearFaults). Each kind
// is what a real Slack, or a proxy in front of it, does wrong:
//
//   - FaultStatus: an HTTP status with an HTML error page, a JSON error or
//     a given body; 5xx bursts ({Status: 503, Times: 10}) and 429 storms
//     ({Status: 429, RetryAfter: 30, Times: 20}; Retry-After in virtual
//     seconds, which a client scales as WithTimeScale says).
//   - FaultReset: the connection is reset without an answer.
//   - FaultResetHeaders, FaultResetBody: the connection is reset after part
//     of the headers, or after the headers and part of the body (CutAt).
//   - FaultHang: no answer until the client gives up or Server.Close; with
//     Delay, the answer comes late.
//   - FaultStallBody: the headers and part of the body, then nothing (or,
//     with Delay, the rest later).
//   - FaultMalformed: the answer with a wrong last byte (invalid JSON, or a
//     gzip file failing its check), or Body.
//   - FaultTruncate: the answer cut at CutAt bytes with a true
//     Content-Length, or with a lying one and the connection closed.
//   - FaultHTML200: a captive-portal page with HTTP 200 and text/html.
//   - FaultRepeatCursor: next_cursor repeats the request's cursor
//     (RepeatSame) or the listing's first cursor (RepeatFirst).
//   - FaultEndlessPages: a paging object (or SCIM totalResults) that always
//     claims one more page.
//   - FaultEmptyPage: the list [] ({}), null or missing (List), with or
//     without the next cursor (NoCursor).
//   - FaultDuplicatePage: the previous page's items again, with this page's
//     cursor; FaultDuplicateItems: the page's items twice in one list.
//   - FaultEchoToken: the request's token echoed verbatim in warning and
//     response_metadata.messages, on an error (Error) or on a success.
//
// Kinds that replace the answer (FaultStatus, FaultReset, FaultHang
// without Delay, FaultHTML200, FaultMalformed with Body, FaultEchoToken
// with Error or on SCIM) leave the org unchanged; the others run the method, so a write whose answer is lost
// still happened. A page kind a call cannot show (the first page has no
// cursor to repeat, an empty list has nothing to duplicate) leaves that
// call alone and waits for the next. Inject panics for a fault that can
// never fire. Server.Calls counts every request of a method,
// Server.Faulted those a fault answered, and Server.PendingFaults lists
// what is left, so a test can require that every fault it injected fired.
// Server.Close ends held calls and returns once they are gone.
package slacktest
