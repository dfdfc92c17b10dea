package transform_test

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/transform"
)

var asOf = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func day(back int) time.Time { return asOf.Truncate(24*time.Hour).AddDate(0, 0, -back) }

var (
	tsType         = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	usersSchema    = arrow.NewSchema([]arrow.Field{{Name: "team_id", Type: arrow.BinaryTypes.String}, {Name: "user_id", Type: arrow.BinaryTypes.String}, {Name: "enterprise_id", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	orgUserSchema  = arrow.NewSchema([]arrow.Field{{Name: "enterprise_id", Type: arrow.BinaryTypes.String}, {Name: "user_id", Type: arrow.BinaryTypes.String}, {Name: "last_active_at", Type: tsType, Nullable: true}}, nil)
	logsSchema     = arrow.NewSchema([]arrow.Field{{Name: "team_id", Type: arrow.BinaryTypes.String}, {Name: "user_id", Type: arrow.BinaryTypes.String}, {Name: "count", Type: arrow.PrimitiveTypes.Int64}, {Name: "first_seen_at", Type: tsType}, {Name: "last_seen_at", Type: tsType}}, nil)
	activitySchema = arrow.NewSchema([]arrow.Field{{Name: "date", Type: arrow.FixedWidthTypes.Date32}, {Name: "enterprise_id", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "team_id", Type: arrow.BinaryTypes.String}, {Name: "user_id", Type: arrow.BinaryTypes.String}, {Name: "is_active", Type: arrow.FixedWidthTypes.Boolean}}, nil)
)

// batch builds a record from rows of Go values in schema order.
func batch(t *testing.T, schema *arrow.Schema, rows ...[]any) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, r := range rows {
		require.Len(t, r, schema.NumFields())
		for i, v := range r {
			switch fb := b.Field(i).(type) {
			case *array.StringBuilder:
				if v == nil {
					fb.AppendNull()
				} else {
					fb.Append(v.(string))
				}
			case *array.BooleanBuilder:
				fb.Append(v.(bool))
			case *array.Int64Builder:
				fb.Append(int64(v.(int)))
			case *array.TimestampBuilder:
				if v == nil {
					fb.AppendNull()
				} else {
					fb.Append(arrow.Timestamp(v.(time.Time).UnixMicro()))
				}
			case *array.Date32Builder:
				fb.Append(arrow.Date32FromTime(v.(time.Time)))
			default:
				t.Fatalf("unhandled builder %T", fb)
			}
		}
	}
	rec := b.NewRecordBatch()
	t.Cleanup(rec.Release)
	return rec
}

// activeOn builds member_activity rows for user on the given days back.
func activeOn(ent, team, user string, daysBack ...int) [][]any {
	var rows [][]any
	for _, d := range daysBack {
		rows = append(rows, []any{day(d), ent, team, user, true})
	}
	return rows
}

func span(from, to int) []int {
	var out []int
	for d := from; d <= to; d++ {
		out = append(out, d)
	}
	return out
}

func rowsByUser(u *transform.Usage) map[string]transform.UsageRow {
	out := map[string]transform.UsageRow{}
	for _, r := range u.Rows() {
		out[r.Org+"/"+r.User] = r
	}
	return out
}

func TestFrequencyFromAnalytics(t *testing.T) {
	u := transform.NewUsage(transform.UsageConfig{AsOf: asOf})
	users := [][]any{}
	for _, id := range []string{"Wdaily", "Wweekly", "Wmonthly", "Wdormant", "Wnever", "Wedge16", "Wedge15"} {
		users = append(users, []any{"T1", id, "E1"})
	}
	require.NoError(t, u.Observe("users", batch(t, usersSchema, users...)))

	var act [][]any
	act = append(act, activeOn("E1", "T1", "Wdaily", span(1, 90)...)...)
	act = append(act, activeOn("E1", "T1", "Wweekly", 2, 9, 16, 23, 30, 37)...)
	act = append(act, activeOn("E1", "T1", "Wmonthly", 20, 50)...)
	act = append(act, activeOn("E1", "T1", "Wdormant", 29, 60, 89)...)
	act = append(act, activeOn("E1", "T1", "Wedge16", span(0, 15)...)...) // 16 of the last 28 days
	act = append(act, activeOn("E1", "T1", "Wedge15", span(0, 14)...)...)
	act = append(act, []any{day(3), "E1", "T1", "Wnever", false})
	require.NoError(t, u.Observe("member_activity", batch(t, activitySchema, act...)))

	got := rowsByUser(u)
	want := map[string]transform.Frequency{"Wdaily": transform.Daily, "Wweekly": transform.Weekly, "Wmonthly": transform.Monthly,
		"Wdormant": transform.Dormant, "Wnever": transform.Never, "Wedge16": transform.Daily, "Wedge15": transform.Weekly}
	for id, freq := range want {
		r := got["E1/"+id]
		assert.Equal(t, freq, r.Frequency, id)
		assert.False(t, r.FrequencyEstimated, id)
		assert.True(t, r.HasAnalytics, id)
	}
	d := got["E1/Wdaily"]
	assert.Equal(t, [4]int32{6, 27, 29, 89}, d.ActiveDays, "days 1..90 back: 6 of the last 7 days (today has no file yet)")
	assert.Equal(t, day(1), d.LastUsed)
	assert.Equal(t, transform.SourceAnalytics, d.LastUsedSource)
	assert.EqualValues(t, 1, d.DaysSinceLastUse)
	assert.Equal(t, day(29), got["E1/Wdormant"].LastUsed)
	assert.True(t, got["E1/Wnever"].LastUsed.IsZero())
	assert.Empty(t, got["E1/Wnever"].LastUsedSource)
}

func TestLastUsedTakesTheLatestSignalAndNamesIt(t *testing.T) {
	u := transform.NewUsage(transform.UsageConfig{AsOf: asOf})
	require.NoError(t, u.Observe("org_users", batch(t, orgUserSchema,
		[]any{"E1", "Wa", asOf.Add(-2 * time.Hour)},
		[]any{"E1", "Wb", asOf.Add(-10 * 24 * time.Hour)},
		[]any{"E1", "Wc", nil},
	)))
	require.NoError(t, u.Observe("member_activity", batch(t, activitySchema, activeOn("E1", "T1", "Wb", 3, 4)...)))
	require.NoError(t, u.Observe("access_logs", batch(t, logsSchema,
		[]any{"T1", "Wc", 3, asOf.AddDate(0, 0, -40), asOf.Add(-30 * time.Hour)},
	)))
	got := rowsByUser(transform.NewUsage(transform.UsageConfig{}))
	assert.Empty(t, got)

	got = rowsByUser(u)
	assert.Equal(t, transform.SourceLastActive, got["E1/Wa"].LastUsedSource)
	assert.Equal(t, asOf.Add(-2*time.Hour), got["E1/Wa"].LastUsed)
	assert.Equal(t, transform.SourceAnalytics, got["E1/Wb"].LastUsedSource)
	assert.Equal(t, day(3), got["E1/Wb"].LastUsed)
	// Sign-ins are per workspace: without a mapping the workspace is its own
	// billing account, so Wc's sign-ins do not reach E1/Wc.
	assert.Equal(t, transform.Never, got["E1/Wc"].Frequency)

	u2 := transform.NewUsage(transform.UsageConfig{AsOf: asOf, OrgOf: map[string]string{"T1": "E1"}})
	require.NoError(t, u2.Observe("org_users", batch(t, orgUserSchema, []any{"E1", "Wc", nil})))
	require.NoError(t, u2.Observe("access_logs", batch(t, logsSchema,
		[]any{"T1", "Wc", 3, asOf.AddDate(0, 0, -40), asOf.Add(-30 * time.Hour)},
	)))
	r := rowsByUser(u2)["E1/Wc"]
	assert.Equal(t, transform.SourceSignIn, r.LastUsedSource)
	assert.Equal(t, asOf.Add(-30*time.Hour), r.LastUsed)
}

func TestFrequencyEstimatedFromSignIns(t *testing.T) {
	since := asOf.AddDate(0, 0, -90)
	u := transform.NewUsage(transform.UsageConfig{AsOf: asOf})
	require.NoError(t, u.Observe("users", batch(t, usersSchema,
		[]any{"T1", "Uheavy", nil}, []any{"T1", "Uweekly", nil}, []any{"T1", "Urare", nil},
		[]any{"T1", "Uold", nil}, []any{"T1", "Unever", nil}, []any{"T1", "Unew", nil},
	)))
	require.NoError(t, u.Observe("access_logs", batch(t, logsSchema,
		// 90 days observed: 60 sign-ins a device on two devices ≈ 9 a week.
		[]any{"T1", "Uheavy", 60, since.Add(time.Hour), asOf.Add(-time.Hour)},
		[]any{"T1", "Uheavy", 60, since.Add(2 * time.Hour), asOf.Add(-3 * time.Hour)},
		// 20 over 90 days ≈ 1.6 a week.
		[]any{"T1", "Uweekly", 20, since.AddDate(0, 0, 1), asOf.AddDate(0, 0, -2)},
		// 3 over 90 days.
		[]any{"T1", "Urare", 3, since.AddDate(0, 0, 5), asOf.AddDate(0, 0, -12)},
		// Last seen 40 days ago.
		[]any{"T1", "Uold", 50, since, asOf.AddDate(0, 0, -40)},
		// First seen 3 days ago, 3 sign-ins: counted over at least a week, so weekly, not daily.
		[]any{"T1", "Unew", 3, asOf.AddDate(0, 0, -3), asOf.Add(-time.Hour)},
	)))
	got := rowsByUser(u)
	for id, freq := range map[string]transform.Frequency{"Uheavy": transform.Daily, "Uweekly": transform.Weekly, "Urare": transform.Monthly,
		"Uold": transform.Dormant, "Unever": transform.Never, "Unew": transform.Weekly} {
		r := got["T1/"+id]
		assert.Equal(t, freq, r.Frequency, id)
		assert.Equal(t, freq != transform.Dormant && freq != transform.Never, r.FrequencyEstimated, id)
		assert.False(t, r.HasAnalytics)
	}
	assert.EqualValues(t, 120, got["T1/Uheavy"].SignIns)
	assert.Equal(t, transform.SourceSignIn, got["T1/Uheavy"].LastUsedSource)
}

func TestGridPersonInSeveralWorkspacesCountsOnce(t *testing.T) {
	u := transform.NewUsage(transform.UsageConfig{AsOf: asOf, OrgOf: map[string]string{"T1": "E1", "T2": "E1", "T3": "E1", "T9": "T9"}})
	require.NoError(t, u.Observe("users", batch(t, usersSchema,
		[]any{"T1", "W1", "E1"}, []any{"T2", "W1", "E1"}, []any{"T3", "W1", "E1"}, []any{"T9", "U9", nil},
	)))
	require.NoError(t, u.Observe("access_logs", batch(t, logsSchema,
		[]any{"T2", "W1", 2, asOf.AddDate(0, 0, -9), asOf.AddDate(0, 0, -5)},
		[]any{"T3", "W1", 1, asOf.AddDate(0, 0, -4), asOf.AddDate(0, 0, -4)},
	)))
	rows := u.Rows()
	require.Len(t, rows, 2)
	assert.Equal(t, "E1", rows[0].Org)
	assert.Equal(t, "W1", rows[0].User)
	assert.Equal(t, asOf.AddDate(0, 0, -4), rows[0].LastUsed, "the latest sign-in across workspaces")
	assert.EqualValues(t, 3, rows[0].SignIns)
	assert.Equal(t, "T9", rows[1].Org)
}

func TestEmitBatchesMatchRows(t *testing.T) {
	u := transform.NewUsage(transform.UsageConfig{AsOf: asOf})
	var users [][]any
	for i := 0; i < 25; i++ {
		users = append(users, []any{"T1", string(rune('A' + i)), nil})
	}
	require.NoError(t, u.Observe("users", batch(t, usersSchema, users...)))
	require.NoError(t, u.Observe("member_activity", batch(t, activitySchema, activeOn("", "T1", "C", 1, 2, 3)...)))
	var n, batches int
	require.NoError(t, u.Emit(10, func(rec arrow.RecordBatch) error {
		require.True(t, rec.Schema().Equal(transform.UserUsageSchema))
		n += int(rec.NumRows())
		batches++
		return nil
	}))
	assert.Equal(t, 25, n)
	assert.Equal(t, 3, batches)
}

func TestObserveRejectsWrongColumns(t *testing.T) {
	u := transform.NewUsage(transform.UsageConfig{AsOf: asOf})
	bad := arrow.NewSchema([]arrow.Field{{Name: "team_id", Type: arrow.BinaryTypes.String}}, nil)
	assert.ErrorContains(t, u.Observe("users", batch(t, bad, []any{"T1"})), `users batch has no column "user_id"`)
	assert.NoError(t, u.Observe("workspaces", batch(t, bad, []any{"T1"})), "tables it does not read are ignored")
}

func TestAnalyticsRowOrderDoesNotMatter(t *testing.T) {
	var users, act [][]any
	for i := 0; i < 30; i++ {
		id := string(rune('A'+i%26)) + string(rune('a'+i/26))
		users = append(users, []any{"T1", id, "E1"})
		for d := 0; d < 10; d++ {
			act = append(act, []any{day(d), "E1", "T1", id, (i+d)%3 == 0})
		}
	}
	compute := func(users, act [][]any) []transform.UsageRow {
		u := transform.NewUsage(transform.UsageConfig{AsOf: asOf})
		require.NoError(t, u.Observe("users", batch(t, usersSchema, users...)))
		require.NoError(t, u.Observe("member_activity", batch(t, activitySchema, act...)))
		return u.Rows()
	}
	sorted := compute(users, act)
	// Reverse both: people are first seen in the other order and rows come
	// day by day backwards, so the lookup cursor misses every time.
	rev := func(in [][]any) [][]any {
		out := make([][]any, len(in))
		for i := range in {
			out[len(in)-1-i] = in[i]
		}
		return out
	}
	assert.Equal(t, sorted, compute(rev(users), rev(act)))
	assert.Len(t, sorted, 30)
	assert.Empty(t, compute(nil, act), "unlisted people get no row")
}
