package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

func TestSyncApps(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 8, Users: 300, AppsPerWorkspace: 50})
	org := srv.Org()
	team := org.Teams[0].ID
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	r := c.run("sync", "--db", db, "--api-url", srv.URL())
	require.Equal(t, exitOK, r.code, r.stderr)

	want := org.Integrations(team)
	w := readSnapshot(t, db)
	assert.Equal(t, len(org.IntegrationLogs(team)), w.Int("SELECT count(*) FROM app_events"))
	assert.Equal(t, len(want), w.Int("SELECT count(*) FROM apps"))
	byStatus, orphaned := map[string]int{}, 0
	for _, in := range want {
		byStatus[in.Status]++
		if in.Status != slacktest.StatusRemoved && in.InstalledBy != "" && org.User(in.InstalledBy).Deleted {
			orphaned++
		}
	}
	for status, n := range byStatus {
		assert.Equal(t, n, w.Int("SELECT count(*) FROM apps WHERE status = ?", status), status)
	}
	assert.Positive(t, orphaned)
	assert.Equal(t, orphaned, w.Int("SELECT count(*) FROM apps WHERE installer_deactivated AND status <> 'removed'"))
	assert.Equal(t, 0, w.Int("SELECT count(*) FROM apps WHERE status = 'removed' AND len(scopes) > 0"))
	assert.Equal(t, 0, w.Int("SELECT count(*) FROM apps WHERE risk_level IS NULL OR len(risk_reasons) = 0"))
	assert.Positive(t, w.Int("SELECT count(*) FROM apps WHERE len(unknown_scopes) > 0"), "newer scope names are kept")
	assert.Positive(t, w.Int("SELECT count(*) FROM app_events WHERE change_type NOT IN ('added','removed','enabled','disabled','updated','expanded')"))
	assert.Equal(t, 0, w.Int("SELECT count(*) FROM apps WHERE directory_approved IS NOT NULL"), "no app management on Business+")
	assert.Equal(t, "unavailable", w.String("SELECT status FROM source_status WHERE source = 'app_directory'"))
	assert.Equal(t, "ok", w.String("SELECT status FROM source_status WHERE source = 'app_events'"))
	w.Close()

	// The named queries and the report's section.
	for _, q := range []struct {
		name string
		args []string
		rows string
	}{
		{"apps", nil, "SELECT count(*) FROM apps WHERE status = 'installed'"},
		{"risky_apps", []string{"--param", "level=critical"}, "SELECT count(*) FROM apps WHERE status <> 'removed' AND risk_level = 'critical'"},
		{"orphaned_apps", nil, "SELECT count(*) FROM apps WHERE status <> 'removed' AND installer_deactivated"},
		{"app_changes", []string{"--param", "days=3650"}, "SELECT count(*) FROM app_events"},
	} {
		r := c.run(append([]string{"query", "--db", db, "--named", q.name, "--format", "csv"}, q.args...)...)
		require.Equal(t, exitOK, r.code, r.stderr)
		n := queryInt(t, db, q.rows)
		assert.Positive(t, n, q.name)
		assert.Equal(t, n+1, strings.Count(r.stdout, "\n"), q.name)
	}
	r = c.run("report", "--db", db)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Installed apps by risk")
	assert.Contains(t, r.stdout, "Riskiest installed apps")
}

func TestGridOrgAppsWithAndWithoutAccess(t *testing.T) {
	t.Parallel()
	srv, tok := gridOrg(t, 300)
	org := srv.Org()
	db := tempDB(t)
	r := newCLI(t, map[string]string{"SLACK_TOKEN": tok}).run("sync", "--db", db, "--api-url", srv.URL(), "--since", "7d")
	require.Equal(t, exitOK, r.code, r.stderr)
	apps := 0
	for _, w := range org.Teams {
		apps += len(org.Integrations(w.ID))
	}
	w := readSnapshot(t, db)
	assert.Equal(t, apps, w.Int("SELECT count(*) FROM apps"))
	assert.Positive(t, w.Int("SELECT count(*) FROM app_directory"))
	assert.Positive(t, w.Int("SELECT count(*) FROM app_requests"))
	assert.Equal(t, 0, w.Int("SELECT count(*) FROM apps WHERE kind = 'app' AND status <> 'removed' AND directory_approved IS NULL"),
		"app management describes every app a workspace has")
	assert.Positive(t, w.Int("SELECT count(*) FROM apps WHERE NOT directory_approved AND array_to_string(risk_reasons, ' ') LIKE '%Marketplace%'"))

	// An org token that cannot read the workspaces' integration logs (no
	// admin scope) nor app management: apps are unavailable, and
	// source_status says why, naming the scopes.
	orgOnly := org.OrgToken("admin.teams:read", "admin.users:read", "admin.analytics:read", "users:read", "users:read.email", "team:read", "team.billing:read")
	srv.AddToken(orgOnly)
	db = tempDB(t)
	r = newCLI(t, map[string]string{"SLACK_TOKEN": orgOnly.Value}).run("sync", "--db", db, "--api-url", srv.URL(), "--since", "7d")
	require.Equal(t, exitOK, r.code, r.stderr)
	w = readSnapshot(t, db)
	assert.Equal(t, 0, w.Int("SELECT count(*) FROM apps"))
	assert.Equal(t, 3, w.Int("SELECT count(*) FROM source_status WHERE source = 'app_events' AND status = 'unavailable' AND unlock LIKE '%admin scope%'"))
	assert.Equal(t, 1, w.Int("SELECT count(*) FROM source_status WHERE source = 'app_directory' AND status = 'unavailable' AND unlock LIKE '%admin.apps:read%'"))
	assert.Contains(t, r.stdout, "app_events")
}
