package actions_test

import (
	"errors"
	"iter"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/actions"
)

// rowsOf yields rows as a query result would, then err if not nil.
func rowsOf(err error, rows ...[]any) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
		if err != nil {
			yield(nil, err)
		}
	}
}

func TestTargetsFromRows(t *testing.T) {
	t.Parallel()
	last := time.Date(2026, 8, 30, 23, 0, 0, 0, time.FixedZone("", -2*3600))
	cols := []string{"User_ID", "email", "real_name", "name", "team_id", "seat_type", "last_used_at", "days_since_last_use",
		"monthly_cost", "currency", "billing_flag", "workspaces", "ip", "user_id"}
	got, err := actions.TargetsFromRows(cols, rowsOf(nil,
		[]any{"U1", "ann@example.com", "Ann", "ann", "T1", "member", last, int64(90), 12.5, "EUR", "billed_but_inactive",
			[]any{"T1", "T2"}, netip.MustParseAddr("10.0.0.1"), "U9"},
		[]any{"U2", nil, "", "bob", nil, "admin", nil, nil, float64(0), "USD", nil, nil, nil, nil},
	))
	require.NoError(t, err)
	require.Len(t, got, 2)
	ann := got[0]
	assert.Equal(t, "U1", ann.UserID, "the first of equal names wins, whatever its case")
	assert.Equal(t, "ann@example.com", ann.Email)
	assert.Equal(t, "T1", ann.TeamID)
	assert.Equal(t, "Ann", ann.Name, "real_name first")
	assert.Equal(t, "2026-08-31", ann.LastUsed, "a time is the UTC day")
	assert.Equal(t, "90", ann.DaysUnused)
	assert.Equal(t, "member", ann.SeatType)
	assert.Equal(t, "unused for 90 days, member seat, 12.5 EUR/month, billed_but_inactive", ann.Reason)
	assert.Equal(t, "T1,T2", ann.Fields["workspaces"], "lists are joined")
	assert.Equal(t, "10.0.0.1", ann.Fields["ip"], "other values as their text")
	assert.Equal(t, "2026-08-31T01:00:00Z", ann.Fields["last_used_at"])

	bob := got[1]
	assert.Equal(t, "bob", bob.Name, "then name")
	assert.Equal(t, "never", bob.LastUsed, "an empty last_used_at means never")
	assert.Equal(t, "never used, admin seat", bob.Reason, "no cost when it is 0")
}

func TestTargetsFromRowsReasons(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cols []string
		row  []any
		want string
	}{
		{[]string{"user_id"}, []any{"U1"}, "selected by the query"},
		{[]string{"email", "last_used_at"}, []any{"a@example.com", "yesterday"}, "last used yesterday"},
		{[]string{"user_id", "days_since_last_use"}, []any{"U1", int64(1)}, "unused for 1 day"},
		{[]string{"user_id", "monthly_cost"}, []any{"U1", 8.75}, "8.75/month"},
		{[]string{"user_id", "full_name", "username"}, []any{"U1", "", "cy"}, "selected by the query"},
	} {
		got, err := actions.TargetsFromRows(tc.cols, rowsOf(nil, tc.row))
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, tc.want, got[0].Reason, tc.cols)
	}
	got, err := actions.TargetsFromRows([]string{"user_id", "full_name", "username"}, rowsOf(nil, []any{"U1", "", "cy"}))
	require.NoError(t, err)
	assert.Equal(t, "cy", got[0].Name)
}

func TestTargetsFromRowsNeedsAPersonColumn(t *testing.T) {
	t.Parallel()
	read := false
	rows := func(yield func([]any, error) bool) { read = true }
	_, err := actions.TargetsFromRows([]string{"name", "Email_Address"}, rows)
	var missing *actions.MissingColumnError
	require.ErrorAs(t, err, &missing)
	assert.EqualError(t, err, "returns no user_id (or email) column; its columns: name, Email_Address")
	assert.False(t, read, "refused before any row is read")

	got, err := actions.TargetsFromRows([]string{"EMAIL"}, rowsOf(nil))
	require.NoError(t, err)
	assert.Empty(t, got, "no rows, no targets")
}

func TestTargetsFromRowsStopsAtAnError(t *testing.T) {
	t.Parallel()
	boom := errors.New("interrupted")
	_, err := actions.TargetsFromRows([]string{"user_id"}, rowsOf(boom, []any{"U1"}))
	assert.ErrorIs(t, err, boom)
	_, err = actions.TargetsFromRows([]string{"user_id", "email"}, rowsOf(nil, []any{"U1"}))
	assert.EqualError(t, err, "a row of 1 values for 2 columns")
}
