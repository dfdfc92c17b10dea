package extract_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
	"slackaudit/transform"
)

// replayApps extracts a workspace's integration log and replays it.
func replayApps(t *testing.T, src extract.Source, more ...func(*transform.Apps)) ([]transform.AppRow, int) {
	t.Helper()
	a := transform.NewApps(transform.AppsConfig{})
	for _, f := range more {
		f(a)
	}
	rows := 0
	err := src.Extract(context.Background(), func(rec arrow.RecordBatch) error {
		rows += int(rec.NumRows())
		return a.Observe(extract.Name(src), rec)
	})
	require.NoError(t, err)
	return a.Rows(), rows
}

func TestIntegrationLogsReplayToTheOrgsState(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 5, Users: 400, AppsPerWorkspace: 60})
	team := f.org.Teams[0].ID
	logs := f.org.IntegrationLogs(team)
	rows, n := replayApps(t, extract.IntegrationLogs{Client: f.client, TeamID: team, PageSize: 9})
	require.Equal(t, len(logs), n, "every entry once")
	require.Equal(t, (len(logs)+8)/9+boolInt(len(logs)%9 == 0), f.srv.Calls("team.integrationLogs"))

	unknownHistory := map[string]bool{} // installs whose history has undocumented change types
	for _, l := range logs {
		if !slices.Contains([]string{"added", "removed", "enabled", "disabled", "updated", "expanded"}, l.ChangeType) {
			unknownHistory[l.AppID+l.ServiceID] = true
		}
	}
	want := f.org.Integrations(team)
	require.Len(t, rows, len(want))
	statuses := map[string]int{}
	for _, w := range want {
		id, kind := w.AppID, "app"
		if id == "" {
			id, kind = w.ServiceID, "service"
		}
		i := slices.IndexFunc(rows, func(r transform.AppRow) bool { return r.ID == id && r.Kind == kind })
		require.GreaterOrEqual(t, i, 0, "%s %s", kind, id)
		r := rows[i]
		statuses[r.Status]++
		require.Equal(t, w.Status, r.Status, w.Name)
		require.Equal(t, w.Name, r.Name)
		require.Equal(t, w.InstalledBy, r.InstalledBy, w.Name)
		require.Equal(t, w.InstalledAt, r.InstalledAt, w.Name)
		require.Equal(t, w.Channel, r.Channel, w.Name)
		switch {
		case w.Status == slacktest.StatusRemoved:
			require.Empty(t, r.Scopes, "removed clears the scopes")
		case unknownHistory[id]:
			// An undocumented change (say, a scope reduction) is not
			// understood, so the scopes granted before it are kept.
			require.Subset(t, r.Scopes, w.Scopes, w.Name)
		default:
			require.ElementsMatch(t, w.Scopes, r.Scopes, w.Name)
		}
	}
	require.Positive(t, statuses[transform.AppInstalled])
	require.Positive(t, statuses[transform.AppDisabled])
	require.Positive(t, statuses[transform.AppRemoved])
	require.NotEmpty(t, unknownHistory)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// logJSON writes entries in Slack's documented shape.
func logJSON(ls []slacktest.IntegrationLog, pages int) string {
	out := make([]map[string]any, len(ls))
	for i, l := range ls {
		m := map[string]any{"user_id": l.UserID, "user_name": l.UserName, "date": strconv.FormatInt(l.Date, 10),
			"change_type": l.ChangeType, "scope": l.Scope}
		if l.AppID != "" {
			m["app_id"], m["app_type"] = l.AppID, l.AppType
		} else {
			// service_id as a number, as some answers carry it
			id, _ := strconv.ParseInt(l.ServiceID, 10, 64)
			m["service_id"], m["service_type"] = id, l.ServiceType
		}
		if l.Reason != "" {
			m["reason"] = l.Reason
		}
		if l.Channel != "" {
			m["channel"] = l.Channel
		}
		out[i] = m
	}
	b, _ := json.Marshal(map[string]any{"ok": true, "logs": out, "paging": map[string]int{"count": 3, "pages": pages}})
	return string(b)
}

func TestIntegrationLogsDropEntriesRepeatedAcrossPages(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 5, Users: 400, AppsPerWorkspace: 30})
	team := f.org.Teams[0].ID
	logs := f.org.IntegrationLogs(team)
	pages := (len(logs) + 2) / 3
	// A new entry arrived while page 1 was read: page 2 starts with the
	// last entry of page 1 again. (The body carries four entries so that
	// nothing is lost; Slack's shifted page would push one to page 3.)
	f.srv.Inject(slacktest.Fault{Method: "team.integrationLogs", After: 1, Body: logJSON(logs[2:6], pages)})
	tb, err := extractAll(t, extract.IntegrationLogs{Client: f.client, TeamID: team, PageSize: 3})
	require.NoError(t, err)
	require.Equal(t, len(logs), tb.rows)
	seen := map[string]bool{}
	for i := range tb.rows {
		k := fmt.Sprint(tb.cols["integration_id"][i], tb.cols["changed_at"][i], tb.cols["change_type"][i])
		require.False(t, seen[k], "entry %s twice", k)
		seen[k] = true
	}
	// The service in the fault page came as a number and lands as text.
	for i := 2; i < 6; i++ {
		if logs[i].ServiceID != "" {
			require.Contains(t, tb.strings("service_id"), logs[i].ServiceID)
		}
	}
}

func TestIntegrationLogsBadInput(t *testing.T) {
	f := newFixture(t, slacktest.Config{Seed: 5, Users: 200})
	team := f.org.Teams[0].ID
	f.srv.Inject(slacktest.Fault{Method: "team.integrationLogs", Body: `{"ok":true,"logs":[{"app_id":"A1","app_type":"X","date":"1700000000","scope":""}]}`})
	_, err := extractAll(t, extract.IntegrationLogs{Client: f.client, TeamID: team})
	require.ErrorContains(t, err, "team.integrationLogs")
	require.ErrorContains(t, err, "malformed response: logs[0] (app_id A1).change_type is missing")

	f.srv.Inject(slacktest.Fault{Method: "team.integrationLogs", Body: `{"ok":true,"logs":[{"app_id":"A1","date":"yesterday","change_type":"added"}]}`})
	_, err = extractAll(t, extract.IntegrationLogs{Client: f.client, TeamID: team})
	require.ErrorContains(t, err, `logs[0] (app_id A1).date: got string "yesterday", want a Unix time`)

	// A token without the admin scope: the data set is unavailable, and the
	// error names the scope.
	tok := f.org.UserToken(f.org.AdminToken().UserID, "users:read", "team:read")
	f.srv.AddToken(tok)
	_, err = extractAll(t, extract.IntegrationLogs{Client: newClient(t, f.srv, tok.Value), TeamID: team})
	e, ok := slackapi.AsError(err)
	require.True(t, ok, "%v", err)
	require.True(t, e.Unavailable())
	require.Equal(t, "admin", e.Needed)
	require.Contains(t, e.Hint(), "needs the admin scope")
	require.NotContains(t, err.Error(), tok.Value)
}

func TestAppManagementLists(t *testing.T) {
	f, _ := gridFixture(t, 600)
	tok := f.org.OrgToken("admin", "admin.apps:read")
	f.srv.AddToken(tok)
	c := newClient(t, f.srv, tok.Value)
	teams := []string{}
	for _, w := range f.org.Teams {
		teams = append(teams, w.ID)
	}
	dir, err := extractAll(t, extract.AppDirectory{Client: c, EnterpriseID: f.org.EnterpriseID, TeamIDs: teams, PageSize: 5})
	require.NoError(t, err)
	// Every workspace's installed and disabled apps are approved there;
	// removed ones may be restricted.
	for _, team := range teams {
		for _, in := range f.org.Integrations(team) {
			if in.AppID == "" {
				continue
			}
			found := -1
			for i := range dir.rows {
				if dir.cols["team_id"][i] == team && dir.cols["app_id"][i] == in.AppID {
					found = i
				}
			}
			switch {
			case in.Status != slacktest.StatusRemoved:
				require.GreaterOrEqual(t, found, 0, "%s approved in %s", in.Name, team)
				require.Equal(t, "approved", dir.cols["list"][found])
				require.Equal(t, in.DirectoryApproved, dir.cols["is_app_directory_approved"][found])
			case in.Restricted:
				require.GreaterOrEqual(t, found, 0, "%s restricted in %s", in.Name, team)
				require.Equal(t, "restricted", dir.cols["list"][found])
			}
		}
	}
	reqs, err := extractAll(t, extract.AppRequests{Client: c, EnterpriseID: f.org.EnterpriseID, PageSize: 2})
	require.NoError(t, err)
	require.Positive(t, reqs.rows)
	require.NotContains(t, reqs.strings("team_id"), "")

	// Without admin.apps:read: unavailable, naming the scope.
	_, err = extractAll(t, extract.AppRequests{Client: newClient(t, f.srv, f.org.AdminToken().Value), EnterpriseID: f.org.EnterpriseID})
	e, ok := slackapi.AsError(err)
	require.True(t, ok, "%v", err)
	require.True(t, e.Unavailable(), "%v", err)
	require.True(t, strings.Contains(err.Error(), "admin.apps:read") || e.Kind == slackapi.KindTokenType, "%v", err)
}
