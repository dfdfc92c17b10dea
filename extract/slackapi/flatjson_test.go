package slackapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestActivityLineParse(t *testing.T) {
	var l ActivityLine
	hasActive, err := l.parse([]byte(`{"enterprise_id":"E1","team_id":"T1","date":"2026-11-01","user_id":"W1",
		"email_address":"zo\u00eb@x.com","enterprise_employee_number":"","is_guest":false,"is_billable_seat":true,
		"is_active":true,"is_active_ios":null,"future":{"a":[1,"}",{"b":"]"}]},"messages_posted_count":12,"search_count":-0,
		"files_added_count":null,"note":"say \"hi\"","ratio":1.5e3}`))
	require.NoError(t, err)
	assert.Equal(t, "zoë@x.com", l.Email)
	assert.Equal(t, "W1", l.UserID)
	assert.True(t, hasActive)
	assert.Equal(t, [9]bool{false, true, true}, [9]bool{l.IsGuest, l.IsBillableSeat, l.IsActive, l.IsActiveIOS, l.IsActiveAndroid,
		l.IsActiveDesktop, l.IsActiveApps, l.IsActiveWorkflows, l.IsActiveSlackConnect})
	assert.Equal(t, int64(12), l.MessagesPosted)

	for in, want := range map[string]string{
		`{"is_active":"yes"}`:               `is_active: got string "yes", want true or false`,
		`{"messages_posted_count":1.5}`:     "want a whole number",
		`{"user_id":"W1"`:                   "cut off",
		`{"user_id":W1}`:                    "field user_id",
		`{"user_id":"W1"} trailing`:         "unexpected text",
		`[1,2]`:                             "want a JSON object",
		`{"user_id":"W1","x":{"y":[1,2}`:    "cut off",
		"{\"user_id\":\"W\n1\"}":            "control character",
		`{"is_active":true,"user_id":"\x"}`: "field user_id",
	} {
		_, err := l.parse([]byte(in))
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
	}
	hasActive, err = l.parse([]byte(` {} `))
	require.NoError(t, err)
	assert.False(t, hasActive)
}
