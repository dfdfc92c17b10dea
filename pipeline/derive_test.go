package pipeline

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slacktest"
	"slackaudit/transform"
	"slackaudit/warehouse/schema"
)

func specNames(ds []deriverSpec) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.name
	}
	return out
}

// withDerivers is the default registry with other derivers.
func withDerivers(ds ...deriverSpec) registry {
	r := defaultRegistry()
	r.groups = slices.Clone(r.groups)
	for i := range r.groups {
		r.groups[i].derivers = nil
	}
	r.groups[len(r.groups)-1].derivers = ds
	return r
}

func spec(name string, inputs, outputs []string) deriverSpec {
	return deriverSpec{name: name, inputs: inputs, outputs: declared(outputs...)}
}

// declared are tables declared for a test, one column each.
func declared(tables ...string) []*arrow.Schema {
	out := make([]*arrow.Schema, len(tables))
	for i, t := range tables {
		out[i] = schema.Declare(schema.Table{Name: t, Comment: "A test table.", Columns: []schema.Column{schema.String("x", "A column.")}})
	}
	return out
}

// derivers are the default registry's derivers.
func derivers() []deriverSpec { return defaultRegistry().derivers() }

var (
	dsUsers          = name(extract.UsersSchema)
	dsMemberActivity = name(extract.MemberActivitySchema)
	tUserUsage       = name(transform.UserUsageSchema)
	tLicenses        = name(transform.LicensesSchema)
	tApps            = name(transform.AppsSchema)
)

func TestDeriversAreOrderedByTheirInputs(t *testing.T) {
	t.Parallel()
	order, err := defaultRegistry().orderDerivers()
	require.NoError(t, err)
	assert.Equal(t, []string{"usage", "apps", "licenses"}, specNames(order), "registry order where inputs allow")

	byName := map[string]deriverSpec{}
	for _, d := range derivers() {
		byName[d.name] = d
	}
	order, err = withDerivers(byName["licenses"], byName["apps"], byName["usage"]).orderDerivers()
	require.NoError(t, err)
	assert.Equal(t, []string{"apps", "usage", "licenses"}, specNames(order), "licenses read user_usage: after usage; the rest keep their places")

	order, err = withDerivers(
		spec("c", []string{"b_out", dsUsers}, []string{"c_out"}),
		spec("b", []string{"a_out"}, []string{"b_out"}),
		spec("d", []string{dsMemberActivity}, []string{"d_out"}),
		spec("a", []string{dsUsers}, []string{"a_out"}),
	).orderDerivers()
	require.NoError(t, err)
	assert.Equal(t, []string{"d", "a", "b", "c"}, specNames(order))
}

func TestDeriversThatCannotBeOrderedAreAnError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		reg  registry
		want string
	}{
		{"missing input", withDerivers(spec("usage", []string{dsUsers}, []string{tUserUsage}), spec("licenses", []string{dsUsers, "user_usages"}, []string{tLicenses})),
			"deriver licenses reads user_usages, which no data set, history or deriver produces"},
		{"cycle", withDerivers(spec("a", []string{"b_out"}, []string{"a_out"}), spec("b", []string{"a_out"}, []string{"b_out"})),
			"derivers a, b read each other's outputs in a cycle"},
		{"reads itself", withDerivers(spec("a", []string{"a_out"}, []string{"a_out"})),
			"derivers a read each other's outputs in a cycle"},
		{"two producers", withDerivers(spec("a", nil, []string{"x"}), spec("b", nil, []string{"x"})),
			"deriver b lands x, which deriver a lands too"},
		{"lands a data set", withDerivers(spec("a", nil, []string{dsUsers})),
			"deriver a lands users, which the data set users lands too"},
		{"no history", registry{groups: []group{{dataSets: []dataSet{{schema: extract.UsersSchema}}, derivers: []deriverSpec{spec("usage", []string{dsUsers, dsMemberActivity}, []string{tUserUsage})}}}},
			"deriver usage reads member_activity, which no data set, history or deriver produces"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.reg.orderDerivers()
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
	// The member_activity history alone produces member_activity.
	r := registry{groups: []group{{dataSets: []dataSet{{schema: extract.UsersSchema}},
		derivers: []deriverSpec{spec("usage", []string{dsUsers, dsMemberActivity}, []string{tUserUsage})}}}, histories: []history{{table: dsMemberActivity}}}
	_, err := r.orderDerivers()
	assert.NoError(t, err)
}

// A deriver whose input nothing produces stops the sync before it asks
// Slack anything or records a run: never an empty table.
func TestMissingDeriverInputStopsTheSyncAtStartUp(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 3, Users: 30}, false)
	o := options(t, srv, tok)
	d := derivers()
	d[2].inputs = append(slices.Clone(d[2].inputs), "user_usages")
	_, err := runRegistry(context.Background(), o, withDerivers(d...))
	require.Error(t, err)
	assert.Equal(t, "planning the derived tables: deriver licenses reads user_usages, which no data set, history or deriver produces", err.Error())
	assert.Empty(t, srv.CallCounts(), "nothing asked of Slack")
	assert.Equal(t, int64(0), queryInt(t, o.DB, "SELECT count(*) FROM sync_runs"), "no run recorded")
}

// licensesDigest sums up the licences a sync landed.
const licensesDigest = `SELECT count(*) FILTER (WHERE active_in_window)::VARCHAR || '/' || count(*)::VARCHAR || ' ' ||
	string_agg(user_id || ':' || billing_flag, ',' ORDER BY org_id, user_id) FROM licenses`

// Derivers listed out of order in the registry still see what they read:
// licences after usage, so seats used in the window are active.
func TestDeriversListedOutOfOrderSeeTheirInputs(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 9, Users: 120}, false)
	want := options(t, srv, tok)
	_, err := Run(context.Background(), want)
	require.NoError(t, err)
	require.Positive(t, queryInt(t, want.DB, "SELECT count(*) FROM licenses WHERE active_in_window"), "some seats are active")

	got := options(t, srv, tok)
	d := derivers()
	slices.Reverse(d)
	_, err = runRegistry(context.Background(), got, withDerivers(d...))
	require.NoError(t, err)
	assert.Equal(t, queryString(t, want.DB, licensesDigest), queryString(t, got.DB, licensesDigest))
}

// recorder is a deriver that counts the rows of each table it is shown.
type recorder struct {
	mu   sync.Mutex
	rows map[string]int64
	land string // a table to land an empty batch in, on Emit
}

func (r *recorder) Observe(table string, rec arrow.RecordBatch) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rows[table] += rec.NumRows()
	return nil
}

func (r *recorder) Emit(load func(string, arrow.RecordBatch) error) error {
	if r.land == "" {
		return nil
	}
	rec := array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, 0)
	defer rec.Release()
	return load(r.land, rec)
}

// watch is the default registry with r watching inputs, landing nothing.
func watch(r *recorder, inputs ...string) registry {
	return withDerivers(append(derivers(), deriverSpec{name: "recorder", inputs: inputs,
		new: func(*plan) deriver { return r }})...)
}

// A deriver is shown its inputs and nothing else, a later deriver's output
// included; with an org-level token the daily analytics earlier syncs
// fetched come from the warehouse, not from Slack again.
func TestDeriversSeeTheirInputsAndTheActivityHistory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, tok := orgServer(t, slacktest.Config{Seed: 5, Users: 60, Plan: slacktest.PlanEnterprise, Workspaces: 2}, true)
	o := options(t, srv, tok)
	o.Window = 5 * 24 * time.Hour
	first := &recorder{rows: map[string]int64{}}
	_, err := runRegistry(ctx, o, watch(first, dsMemberActivity, tUserUsage))
	require.NoError(t, err)
	activity := queryInt(t, o.DB, "SELECT count(*) FROM member_activity")
	require.Positive(t, activity)
	assert.Equal(t, map[string]int64{dsMemberActivity: activity, tUserUsage: queryInt(t, o.DB, "SELECT count(*) FROM user_usage")}, first.rows)
	usage := queryString(t, o.DB, "SELECT string_agg(user_id || ':' || coalesce(last_used_at::VARCHAR, '') || ':' || active_days_7, ',' ORDER BY org_id, user_id) FROM user_usage")

	downloads := srv.Calls("admin.analytics.getFile")
	second := &recorder{rows: map[string]int64{}}
	_, err = runRegistry(ctx, o, watch(second, dsMemberActivity))
	require.NoError(t, err)
	missing := 5 - queryInt(t, o.DB, "SELECT count(DISTINCT date) FROM member_activity")
	require.Less(t, missing, int64(5))
	assert.Equal(t, int(missing), srv.Calls("admin.analytics.getFile")-downloads, "only the days Slack had not ready yet are asked again")
	assert.Equal(t, map[string]int64{dsMemberActivity: activity}, second.rows, "the window's days, from the warehouse")
	assert.Equal(t, usage, queryString(t, o.DB, "SELECT string_agg(user_id || ':' || coalesce(last_used_at::VARCHAR, '') || ':' || active_days_7, ',' ORDER BY org_id, user_id) FROM user_usage"))
}

// A deriver that lands a table it does not declare fails the sync, and
// the previous snapshot stays.
func TestUndeclaredDerivedTableFailsTheSync(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 3, Users: 30}, false)
	o := options(t, srv, tok)
	_, err := Run(context.Background(), o)
	require.NoError(t, err)
	users := queryInt(t, o.DB, "SELECT count(*) FROM users")
	_, err = runRegistry(context.Background(), o, watch(&recorder{rows: map[string]int64{}, land: tApps}, dsUsers))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "computing derived tables: deriver recorder landed apps, which it does not declare among its outputs")
	assert.Equal(t, "failed", queryString(t, o.DB, "SELECT status FROM sync_runs ORDER BY run_id DESC LIMIT 1"))
	assert.Equal(t, users, queryInt(t, o.DB, "SELECT count(*) FROM users"))
}
