package slackapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// The decoders of Slack's payloads, fuzzed: whatever the bytes, a decoder
// does not panic; on success every record has its key fields; on failure
// the error is an *Error naming the method. Seeds are the documented
// payloads in testdata/slack and the cases below; findings are kept in
// testdata/fuzz/<FuzzName>/ and run with every go test.

// seedPages adds every testdata/slack/<method>.*.json payload and extra.
func seedPages(f *testing.F, method string, extra ...string) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "slack", method+".*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no documented payload for %s in testdata/slack (%v)", method, err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
	for _, s := range []string{``, `null`, `[]`, `{}`, `{"ok":false,"error":"invalid_auth"}`, `{"ok":true}`,
		`<html><body>502 Bad Gateway</body></html>`, `{"ok":true,"response_metadata":{"next_cursor":7}}`,
		`{"ok":false,"error":"x\u001b[2J","response_metadata":{"messages":["[ERROR] \u0007"]}}`} {
		f.Add([]byte(s))
	}
}

// checkPage is the property every page decoder must hold.
func checkPage[T any](t *testing.T, method, field string, body []byte, pg page[T], err error, whole func(*T) bool) {
	t.Helper()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Method != method || !strings.Contains(err.Error(), method) {
			t.Fatalf("error does not name %s: %v", method, err)
		}
		if strings.ContainsFunc(err.Error(), unicode.IsControl) {
			t.Fatalf("control characters from the payload reach the message: %q", err.Error())
		}
		return
	}
	if !json.Valid(body) {
		t.Fatalf("invalid JSON decoded without an error: %q", body)
	}
	for i := range pg.items {
		if !whole(&pg.items[i]) {
			t.Fatalf("record %d lacks a key field: %+v", i, pg.items[i])
		}
	}
	// The records are the list's elements, as encoding/json counts them.
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) == nil && field != "" {
		var list []json.RawMessage
		if json.Unmarshal(top[field], &list) == nil && len(list) != len(pg.items) {
			t.Fatalf("%d records decoded from a list of %d", len(pg.items), len(list))
		}
	}
}

func FuzzUsersPage(f *testing.F) {
	seedPages(f, "users.list", `{"ok":true,"members":[{"id":"U1","updated":"yesterday"}]}`,
		`{"ok":true,"members":[{"id":"U1","profile":{"email":["x"]},"enterprise_user":null}],"response_metadata":{"next_cursor":"dXNlcjpVMQ=="}}`,
		`{"ok":true,"members":[{"\u0069d":"U\u00e9","has_2fa":null,"updated":1.5e3}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		pg, err := decodeUsersPage(body)
		checkPage(t, "users.list", "members", body, pg, err, func(u *User) bool { return u.ID != "" })
	})
}

func FuzzBillablePage(f *testing.F) {
	seedPages(f, "team.billableInfo", `{"ok":true,"billable_info":{"U1":{"billing_active":"yes"}}}`,
		`{"ok":true,"billable_info":{"U1":{"billing_active":true},"U1":{"billing_active":false}}}`, `{"ok":true,"billable_info":[]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		pg, err := decodeBillablePage(body)
		checkPage(t, "team.billableInfo", "", body, pg, err, func(r *Billable) bool { return r.UserID != "" })
	})
}

func FuzzAccessLogsPage(f *testing.F) {
	seedPages(f, "team.accessLogs", `{"ok":true,"logins":[{"user_id":"U1","date_first":"x","date_last":1}]}`,
		`{"ok":true,"logins":[{"user_id":"U1","date_first":1,"date_last":2,"count":1e2}],"paging":{"pages":-4}}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		pg, err := decodeAccessLogsPage(body)
		checkPage(t, "team.accessLogs", "logins", body, pg, err, func(l *Login) bool { return l.UserID != "" })
		if err == nil && pg.pages < 0 {
			t.Fatalf("paging.pages %d", pg.pages)
		}
	})
}

func FuzzIntegrationLogsPage(f *testing.F) {
	seedPages(f, "team.integrationLogs", `{"ok":true,"logs":[{"app_id":12345,"date":1392163201,"change_type":"added"}]}`,
		`{"ok":true,"logs":[{"service_id":"1","date":"-","change_type":"removed"}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		pg, err := decodeIntegrationLogsPage(body)
		checkPage(t, "team.integrationLogs", "logs", body, pg, err, func(l *IntegrationLog) bool {
			return (l.AppID != "" || l.ServiceID != "") && l.Date != "" && l.ChangeType != ""
		})
	})
}

func FuzzAdminUsersPage(f *testing.F) {
	seedPages(f, "admin.users.list", `{"ok":true,"users":[{"id":"W1","workspaces":"T1"}]}`,
		`{"ok":true,"users":[{"id":"W1","roles":[null],"last_active_ts":"1700000000"}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		pg, err := decodeAdminUsersPage(body)
		checkPage(t, "admin.users.list", "users", body, pg, err, func(u *OrgUser) bool { return u.ID != "" })
	})
}

func FuzzAdminTeamsPage(f *testing.F) {
	seedPages(f, "admin.teams.list", `{"ok":true,"teams":[{"id":"T1","team_url":5}]}`, `{"ok":true,"teams":[{"name":"no id"}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		pg, err := decodeAdminTeamsPage(body)
		checkPage(t, "admin.teams.list", "teams", body, pg, err, func(t *adminTeam) bool { return t.ID != "" })
	})
}

func FuzzAppsApprovedPage(f *testing.F) {
	seedPages(f, "admin.apps.approved.list", `{"ok":true,"approved_apps":[{"app":{"id":"A1"},"scopes":[{"name":""}]}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		pg, err := decodeAppsApprovedPage(body)
		checkPage(t, "admin.apps.approved.list", "approved_apps", body, pg, err, wholeAppItem)
	})
}

func FuzzAppsRestrictedPage(f *testing.F) {
	seedPages(f, "admin.apps.restricted.list", `{"ok":true,"restricted_apps":[{"app":null}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		pg, err := decodeAppsRestrictedPage(body)
		checkPage(t, "admin.apps.restricted.list", "restricted_apps", body, pg, err, wholeAppItem)
	})
}

func wholeAppItem(it *AppEntry) bool {
	for _, sc := range it.Scopes {
		if sc.Name == "" {
			return false
		}
	}
	return it.App.ID != ""
}

func FuzzAppRequestsPage(f *testing.F) {
	seedPages(f, "admin.apps.requests.list", `{"ok":true,"app_requests":[{"id":"R1","app":{"id":"A1"},"team":{"id":""}}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		pg, err := decodeAppRequestsPage(body)
		checkPage(t, "admin.apps.requests.list", "app_requests", body, pg, err, func(rq *AppRequest) bool {
			return rq.ID != "" && rq.App.ID != "" && rq.TeamID != ""
		})
	})
}

func FuzzUserGroupsPage(f *testing.F) {
	seedPages(f, "usergroups.list", `{"ok":true,"usergroups":[{"id":"S1","user_count":"two"}]}`,
		`{"ok":true,"usergroups":[{"id":"S1","user_count":2,"users":null,"auto_type":null}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		pg, err := decodeUserGroupsPage(body)
		checkPage(t, "usergroups.list", "usergroups", body, pg, err, func(g *UserGroup) bool { return g.ID != "" })
	})
}

func FuzzActivityLine(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "slack", "admin.analytics.getFile.member.documented.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		f.Add(line)
	}
	for _, s := range []string{`{"user_id":"W1","is_active":true}`, `{"user_id":"W1","is_active":"yes"}`,
		`{"user_id":"W1","is_active":true,"date":"2020-09-14"}`, `{"user_id":"W\u0031","is_active":true,"x":[1,{"y":"]"}]}`,
		`{"user_id":"W1","is_active":tru`, `{"messages_posted_count":99999999999999999999,"user_id":"W1","is_active":false}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		l, err := decodeActivityLine(line, "2020-09-13", 7)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Method != analyticsMethod || !strings.Contains(err.Error(), "line 7") {
				t.Fatalf("error does not name the method and line: %v", err)
			}
			if strings.ContainsFunc(err.Error(), unicode.IsControl) {
				t.Fatalf("control characters from the line reach the message: %q", err.Error())
			}
			return
		}
		var again ActivityLine
		hasActive, _ := again.parse(line)
		if l.UserID == "" || !hasActive || (l.Date != "" && l.Date != "2020-09-13") {
			t.Fatalf("line decoded without its key fields: %+v", l)
		}
	})
}
