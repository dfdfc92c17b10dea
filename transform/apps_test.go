package transform

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse/schema"
)

// ev is one integration-log entry for the tests.
type ev struct {
	team, kind, id, name, user, change, scope, reason, channel string
	date, pos                                                  int64
}

// appEventsSchema mirrors extract.AppEventsSchema (transform does not import extract).
var appEventsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "position", Type: arrow.PrimitiveTypes.Int64},
	{Name: "kind", Type: arrow.BinaryTypes.String},
	{Name: "integration_id", Type: arrow.BinaryTypes.String},
	{Name: "app_type", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "service_type", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "user_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "user_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "channel", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "changed_at", Type: schema.TimestampType},
	{Name: "change_type", Type: arrow.BinaryTypes.String},
	{Name: "scope", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "reason", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

func eventsBatch(events []ev) arrow.RecordBatch {
	b := schema.NewBuilder(nil, appEventsSchema, 0, nil)
	defer b.Release()
	team, kind, id, appType, svcType := b.String("team_id"), b.String("kind"), b.String("integration_id"), b.String("app_type"), b.String("service_type")
	user, userName, channel, change := b.String("user_id"), b.String("user_name"), b.String("channel"), b.String("change_type")
	pos, changed, scope, reason := b.Int64("position"), b.Timestamp("changed_at"), b.String("scope"), b.String("reason")
	for _, e := range events {
		team.Append(e.team)
		pos.Append(e.pos)
		kind.Append(e.kind)
		id.Append(e.id)
		if e.kind == "app" {
			appType.Append(e.name)
			svcType.AppendNull()
		} else {
			appType.AppendNull()
			svcType.Append(e.name)
		}
		optString(user, e.user)
		optString(userName, e.user+"-name")
		optString(channel, e.channel)
		changed.Append(arrow.Timestamp(e.date * 1e6))
		change.Append(e.change)
		optString(scope, e.scope)
		optString(reason, e.reason)
	}
	return b.NewRecordBatch()
}

func usersBatch(deleted map[string]bool) arrow.RecordBatch {
	s := arrow.NewSchema([]arrow.Field{
		{Name: "team_id", Type: arrow.BinaryTypes.String},
		{Name: "user_id", Type: arrow.BinaryTypes.String},
		{Name: "deleted", Type: arrow.FixedWidthTypes.Boolean},
	}, nil)
	b := schema.NewBuilder(nil, s, 0, nil)
	defer b.Release()
	team, user, del := b.String("team_id"), b.String("user_id"), b.Bool("deleted")
	for id, d := range deleted {
		team.Append("T1")
		user.Append(id)
		del.Append(d)
	}
	return b.NewRecordBatch()
}

// replay feeds the events in batches of n and returns the rows by ID.
func replay(t *testing.T, events []ev, n int, extra ...func(*Apps)) map[string]AppRow {
	t.Helper()
	a := NewApps(AppsConfig{})
	for _, f := range extra {
		f(a)
	}
	for i := 0; i < len(events); i += n {
		rec := eventsBatch(events[i:min(i+n, len(events))])
		require.NoError(t, a.Observe("app_events", rec))
		rec.Release()
	}
	out := map[string]AppRow{}
	for _, r := range a.Rows() {
		out[r.Kind+":"+r.ID] = r
	}
	return out
}

// lifecycle is install → expand → disable → re-enable → remove → reinstall,
// listed newest first as Slack does.
func lifecycle() []ev {
	app := func(date int64, user, change, scope, reason string) ev {
		return ev{team: "T1", kind: "app", id: "A1", name: "Polly", user: user, change: change, scope: scope, reason: reason, date: date}
	}
	evs := []ev{
		app(1000, "U1", "added", "commands,chat:write", ""),
		app(2000, "U1", "expanded", "commands,chat:write,channels:history", ""),
		app(3000, "U2", "disabled", "commands,chat:write,channels:history", "rate_limits"),
		app(4000, "U2", "enabled", "commands,chat:write,channels:history", ""),
		app(5000, "U2", "removed", "commands,chat:write,channels:history", ""),
		app(6000, "U3", "added", "commands,reactions:write", ""),
	}
	out := make([]ev, len(evs))
	for i, e := range evs {
		e.pos = int64(len(evs) - 1 - i)
		out[len(evs)-1-i] = e
	}
	return out
}

func TestReplayLifecycle(t *testing.T) {
	rows := replay(t, lifecycle(), 100)
	r := rows["app:A1"]
	require.Equal(t, AppInstalled, r.Status)
	require.Equal(t, []string{"commands", "reactions:write"}, r.Scopes, "a reinstall starts from its own scopes")
	require.Equal(t, "U3", r.InstalledBy)
	require.EqualValues(t, 6000, r.InstalledAt)
	require.EqualValues(t, 6000, r.LastChangeAt)
	require.Equal(t, "added", r.LastChangeType)
	require.EqualValues(t, 6, r.Changes)
	require.Equal(t, RiskLow, r.Risk.Level)

	// Each prefix of the history ends in the state of its newest step.
	want := []struct {
		status string
		scopes []string
		reason string
	}{
		{AppInstalled, []string{"chat:write", "commands"}, ""},
		{AppInstalled, []string{"channels:history", "chat:write", "commands"}, ""},
		{AppDisabled, []string{"channels:history", "chat:write", "commands"}, "rate_limits"},
		{AppInstalled, []string{"channels:history", "chat:write", "commands"}, ""},
		{AppRemoved, nil, ""},
	}
	all := lifecycle()
	for i, w := range want {
		// the oldest i+1 entries are the last i+1 of the newest-first list
		r := replay(t, all[len(all)-1-i:], 100)["app:A1"]
		require.Equal(t, w.status, r.Status, "after step %d", i+1)
		require.Equal(t, w.scopes, r.Scopes, "after step %d", i+1)
		require.Equal(t, w.reason, r.DisabledReason, "after step %d", i+1)
		require.Equal(t, "U1", r.InstalledBy, "after step %d", i+1)
	}
	removed := replay(t, all[1:], 100)["app:A1"]
	require.Equal(t, RiskNone, removed.Risk.Level)
	require.Equal(t, "removed: holds no access", removed.Risk.Reasons[0])
}

func TestReplayOutOfOrderAndDuplicated(t *testing.T) {
	want := replay(t, lifecycle(), 100)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		evs := append(lifecycle(), lifecycle()...) // every entry twice, as pages shifted by new entries give
		evs = append(evs, lifecycle()[2])
		rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
		got := replay(t, evs, 1+rng.IntN(4))
		r, w := got["app:A1"], want["app:A1"]
		r.Changes, w.Changes = 0, 0
		require.Equal(t, w, r)
	}
}

func TestReplaySameSecondUsesPosition(t *testing.T) {
	// Removed and re-added within one second: the listing order decides.
	evs := []ev{
		{team: "T1", kind: "app", id: "A1", name: "X", user: "U1", change: "added", scope: "commands", date: 100, pos: 0},
		{team: "T1", kind: "app", id: "A1", name: "X", user: "U1", change: "removed", scope: "commands", date: 100, pos: 1},
		{team: "T1", kind: "app", id: "A1", name: "X", user: "U1", change: "added", scope: "commands", date: 50, pos: 2},
	}
	require.Equal(t, AppInstalled, replay(t, evs, 1)["app:A1"].Status)
	evs[0].pos, evs[1].pos = 1, 0
	require.Equal(t, AppRemoved, replay(t, evs, 1)["app:A1"].Status)
}

func TestReplayServicesBesideApps(t *testing.T) {
	evs := []ev{
		{team: "T1", kind: "service", id: "1234567890", name: "Incoming WebHooks", user: "U1", change: "disabled", reason: "user", scope: "incoming-webhook", channel: "C1", date: 300, pos: 0},
		{team: "T1", kind: "app", id: "1234567890", name: "Same ID App", user: "U1", change: "added", scope: "commands", date: 250, pos: 1},
		{team: "T2", kind: "service", id: "1234567890", name: "Incoming WebHooks", user: "U9", change: "added", scope: "incoming-webhook", channel: "C2", date: 200, pos: 0},
		{team: "T1", kind: "service", id: "1234567890", name: "Incoming WebHooks", user: "U1", change: "added", scope: "incoming-webhook", channel: "C1", date: 100, pos: 2},
		{team: "T1", kind: "service", id: "555", name: "Outgoing WebHooks", user: "U2", change: "added", date: 90, pos: 3},
	}
	a := NewApps(AppsConfig{})
	rec := eventsBatch(evs)
	require.NoError(t, a.Observe("app_events", rec))
	rec.Release()
	rows := a.Rows()
	require.Len(t, rows, 4, "an app and a service sharing an ID, and one service in two workspaces, are separate")
	byKey := map[string]AppRow{}
	for _, r := range rows {
		byKey[r.TeamID+"/"+r.Kind+":"+r.ID] = r
	}
	hook := byKey["T1/service:1234567890"]
	require.Equal(t, AppDisabled, hook.Status)
	require.Equal(t, "user", hook.DisabledReason)
	require.Equal(t, "C1", hook.Channel)
	require.Equal(t, []string{"incoming-webhook"}, hook.Scopes)
	require.Equal(t, RiskMedium, hook.Risk.Level)
	require.Nil(t, hook.DirectoryApproved, "services have no Marketplace status")
	require.Equal(t, AppInstalled, byKey["T1/app:1234567890"].Status)
	require.Equal(t, AppInstalled, byKey["T2/service:1234567890"].Status)
	out := byKey["T1/service:555"]
	require.Empty(t, out.Scopes)
	require.Equal(t, RiskNone, out.Risk.Level)
}

func TestReplayUnknownChangeTypesAndOrphans(t *testing.T) {
	evs := []ev{
		{team: "T1", kind: "app", id: "A1", name: "Bot", user: "U2", change: "token_rotated", scope: "commands,huddles.transcripts:read", date: 300, pos: 0},
		{team: "T1", kind: "app", id: "A1", name: "Bot", user: "U1", change: "added", scope: "commands", date: 100, pos: 1},
		{team: "T1", kind: "app", id: "A2", name: "Left", user: "U1", change: "disabled", reason: "some_new_reason", scope: "chat:write", date: 90, pos: 2},
		{team: "T1", kind: "app", id: "A2", name: "Left", user: "U1", change: "added", scope: "chat:write", date: 80, pos: 3},
		{team: "T1", kind: "app", id: "A3", name: "Ghost", user: "U7", change: "added", scope: "chat:write", date: 70, pos: 4},
	}
	rows := replay(t, evs, 2, func(a *Apps) {
		rec := usersBatch(map[string]bool{"U1": true, "U2": false})
		require.NoError(t, a.Observe("users", rec))
		rec.Release()
	})
	r := rows["app:A1"]
	require.Equal(t, AppInstalled, r.Status, "an unknown change type does not change the status")
	require.Equal(t, "token_rotated", r.LastChangeType, "kept as it came")
	require.EqualValues(t, 1, r.UnknownChanges)
	require.Equal(t, "U1", r.InstalledBy)
	require.Equal(t, []string{"commands", "huddles.transcripts:read"}, r.Scopes)
	require.Equal(t, []string{"huddles.transcripts:read"}, r.Risk.Unknown)
	require.Equal(t, RiskLow, r.Risk.Level)
	require.Contains(t, r.Risk.Reasons, `log has change types slackaudit does not know (kept in app_events): newest is "token_rotated"`)
	require.True(t, *r.InstallerDeactivated, "U1 is deactivated: an orphaned install")
	require.Contains(t, r.Risk.Reasons[len(r.Risk.Reasons)-1], "orphaned")

	left := rows["app:A2"]
	require.Equal(t, AppDisabled, left.Status)
	require.Equal(t, "some_new_reason", left.DisabledReason)
	require.Nil(t, rows["app:A3"].InstallerDeactivated, "an installer in no member list is unknown, not active")
}

func TestRiskTable(t *testing.T) {
	yes, no := true, false
	cases := []struct {
		name       string
		in         AppRiskInput
		level      string
		unknown    []string
		userScopes []string
		reasons    int
	}{
		{"no scopes", AppRiskInput{}, RiskNone, nil, nil, 1},
		{"commands only", AppRiskInput{Scopes: []string{"commands", "reactions:write", "emoji:read"}}, RiskLow, nil, nil, 1},
		{"posting", AppRiskInput{Scopes: []string{"commands", "chat:write"}}, RiskMedium, nil, nil, 1},
		{"webhook", AppRiskInput{Scopes: []string{"incoming-webhook"}}, RiskMedium, nil, nil, 1},
		{"history", AppRiskInput{Scopes: []string{"channels:history", "chat:write"}}, RiskHigh, nil, nil, 1},
		{"emails", AppRiskInput{Scopes: []string{"users:read.email"}}, RiskHigh, nil, nil, 1},
		{"direct messages", AppRiskInput{Scopes: []string{"im:history"}}, RiskCritical, nil, nil, 1},
		{"admin family", AppRiskInput{Scopes: []string{"admin.users:write"}}, RiskCritical, nil, nil, 1},
		{"full client", AppRiskInput{Scopes: []string{"client"}}, RiskCritical, nil, []string{"client"}, 2},
		{"user groups", AppRiskInput{Scopes: []string{"usergroups:write"}}, RiskCritical, nil, nil, 1},
		{"user token raises", AppRiskInput{Scopes: []string{"commands", "chat:write:user"}}, RiskHigh, nil, []string{"chat:write:user"}, 2},
		{"directory says user scope", AppRiskInput{Scopes: []string{"files:read"}, UserScopes: []string{"files:read"}}, RiskCritical, nil, []string{"files:read"}, 2},
		{"not in the Marketplace raises", AppRiskInput{Scopes: []string{"commands"}, DirectoryApproved: &no}, RiskMedium, nil, nil, 2},
		{"Marketplace approved", AppRiskInput{Scopes: []string{"commands"}, DirectoryApproved: &yes}, RiskLow, nil, nil, 1},
		{"both raises", AppRiskInput{Scopes: []string{"reactions:write", "identify"}, DirectoryApproved: &no}, RiskHigh, nil, []string{"identify"}, 3},
		{"raise stops at critical", AppRiskInput{Scopes: []string{"groups:history", "search:read"}, DirectoryApproved: &no}, RiskCritical, nil, []string{"search:read"}, 3},
		{"unknown beside known", AppRiskInput{Scopes: []string{"chat:write", "lists:write.private"}}, RiskMedium, []string{"lists:write.private"}, nil, 2},
		{"only unknown", AppRiskInput{Scopes: []string{"ai.summaries:read"}}, RiskUnknown, []string{"ai.summaries:read"}, nil, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := RateApp(c.in)
			require.Equal(t, c.level, r.Level)
			require.Equal(t, c.unknown, r.Unknown)
			require.Equal(t, c.userScopes, r.UserScopes)
			require.Len(t, r.Reasons, c.reasons, "%q", r.Reasons)
		})
	}
}

func TestDirectoryEnrichment(t *testing.T) {
	s := arrow.NewSchema([]arrow.Field{
		{Name: "team_id", Type: arrow.BinaryTypes.String},
		{Name: "list", Type: arrow.BinaryTypes.String},
		{Name: "app_id", Type: arrow.BinaryTypes.String},
		{Name: "name", Type: arrow.BinaryTypes.String},
		{Name: "developer_type", Type: arrow.BinaryTypes.String},
		{Name: "is_app_directory_approved", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "is_internal", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "sensitive_scopes", Type: schema.StringsType},
		{Name: "user_scopes", Type: schema.StringsType},
	}, nil)
	b := schema.NewBuilder(nil, s, 0, nil)
	defer b.Release()
	b.String("team_id").Append("T9") // another workspace: approval is the app's, not the workspace's
	b.String("list").Append("approved")
	b.String("app_id").Append("A1")
	b.String("name").Append("Polly Surveys")
	b.String("developer_type").Append("internal")
	b.Bool("is_app_directory_approved").Append(false)
	b.Bool("is_internal").Append(true)
	b.Strings("sensitive_scopes").Append([]string{"chat:write"})
	b.Strings("user_scopes").Append([]string{"commands"})
	rec := b.NewRecordBatch()
	defer rec.Release()
	r := replay(t, lifecycle(), 3, func(a *Apps) { require.NoError(t, a.Observe("app_directory", rec)) })["app:A1"]
	require.Equal(t, "Polly Surveys", r.Name)
	require.Equal(t, "internal", r.DeveloperType)
	require.False(t, *r.DirectoryApproved)
	require.Empty(t, r.AdminStatus, "listed for another workspace only")
	require.Equal(t, []string{}, r.Sensitive)
	require.Equal(t, []string{"commands"}, r.Risk.UserScopes)
	require.Equal(t, RiskHigh, r.Risk.Level, "low, raised for a user scope and for not being in the Marketplace")
	require.Contains(t, r.Risk.Reasons, "not approved in the Slack Marketplace (built in-house): raised to high")
}

func TestAppsObserveRejectsMissingColumns(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "team_id", Type: arrow.BinaryTypes.String}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	rec := b.NewRecordBatch()
	defer rec.Release()
	require.ErrorContains(t, NewApps(AppsConfig{}).Observe("app_events", rec), `app_events batch has no column "kind"`)
}
