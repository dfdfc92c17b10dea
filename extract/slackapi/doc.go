// Package slackapi is slackaudit's Slack client: everything that speaks to
// Slack, and nothing about where the answers land.
//
// Every call goes through one raw caller and one HTTP transport, so every
// request shares one per-method and per-workspace rate limiter, one retry
// policy (Retry-After honoured, 5xx and network errors retried with
// backoff), one stall deadline and one error type (*Error, classified by
// Kind, with what to do in its hint). Writes that must not be sent twice
// (chat.postMessage, admin.users.assign, remove and invite) are resent only
// when Slack cannot have acted on them. The redactor keeps the token, and
// any other secret it is given, out of every message, log line and stored
// value.
//
// Every list the sync reads is a typed iterator (iter.Seq2[Record, error])
// over exported records: Users, OrgUsers, BillableInfo, AccessLogs,
// IntegrationLogs, UserGroups, Apps, AppRequests and the lines of the
// member analytics files (MemberAnalytics). One pager reads every paged
// list: it keeps each record once (repeats are dropped and counted in the
// context's Stats), and ends with an error naming the method when Slack's
// paging stops making progress (a cursor that comes back, a page of nothing
// new, empty pages that keep giving cursors). Each page is decoded record by
// record, so a malformed answer names the method, the record and the field.
// An iterator holds one page at a time; stopping the range early ends it and
// releases what it holds.
//
// The data sets themselves, their Arrow schemas and builders, live in the
// parent package extract, which ranges over these iterators; actions uses
// the same iterators and the write methods. The package imports neither
// Arrow nor DuckDB.
package slackapi
