package slackapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A day's file repeats the organisation, workspace and date on every
// line: decoding the next line keeps those strings instead of copying
// them again, so a line costs only its own person's strings, and a line
// with another workspace still reads as that workspace.
// (Not parallel: testing.AllocsPerRun counts the whole process.)
func TestActivityLinesReuseRepeatedStrings(t *testing.T) {
	line := func(team, user string) []byte {
		return []byte(`{"enterprise_id":"E1","team_id":"` + team + `","date":"2026-11-01","user_id":"` + user +
			`","email_address":"a@example.com","is_active":true,"messages_posted_count":3}`)
	}
	var l ActivityLine
	require.NoError(t, l.decode(line("T1", "W1"), "2026-11-01", 1))
	next := line("T1", "W2")
	allocs := testing.AllocsPerRun(100, func() {
		if err := l.decode(next, "2026-11-01", 2); err != nil {
			t.Fatal(err)
		}
	})
	// user_id, email_address and the parser's callback; without reuse, 6
	assert.LessOrEqual(t, allocs, 3.0, "allocations to decode a line")
	require.NoError(t, l.decode(line("T2", "W3"), "2026-11-01", 3))
	assert.Equal(t, ActivityLine{EnterpriseID: "E1", TeamID: "T2", Date: "2026-11-01", UserID: "W3",
		Email: "a@example.com", IsActive: true, MessagesPosted: 3}, l)
}
