package queries

import (
	"database/sql"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEmbeddedQueriesParse(t *testing.T) {
	require.NotEmpty(t, All())
	for _, n := range All() {
		assert.NotEmpty(t, n.Description, n.Name)
		assert.NotEmpty(t, n.SQL, n.Name)
	}
}

func TestParseHeader(t *testing.T) {
	n, err := parse(`-- name: inactive
-- description: Seats without use
-- description: in the window.
-- param: days INTEGER 90 Days without use.
-- param: team VARCHAR - Workspace to look at.
-- a comment that is not a header
SELECT 1 WHERE $days > 0 AND $team <> ''`)
	require.NoError(t, err)
	assert.Equal(t, "inactive", n.Name)
	assert.Equal(t, "Seats without use in the window.", n.Description)
	assert.Equal(t, []Param{{"days", "INTEGER", "90", "Days without use."}, {"team", "VARCHAR", "", "Workspace to look at."}}, n.Params)
	assert.Equal(t, "SELECT 1 WHERE $days > 0 AND $team <> ''", n.SQL)

	for _, bad := range []string{
		"SELECT 1",
		"-- name: x\nSELECT 1",
		"-- name: x\n-- description: y\n",
		"-- name: x\n-- description: y\n-- param: d FLOATY 1 z\nSELECT 1",
		"-- name: x\n-- description: y\n-- param: d INTEGER ten z\nSELECT 1",
	} {
		_, err := parse(bad)
		assert.Error(t, err, bad)
	}
	_, err = load(fstest.MapFS{"a.sql": {Data: []byte("-- name: b\n-- description: y\nSELECT 1")}})
	assert.ErrorContains(t, err, "must be called b.sql")
}

func TestArgsBindAndValidate(t *testing.T) {
	n := Named{Name: "q", Params: []Param{{"days", "INTEGER", "90", ""}, {"since", "DATE", "-", ""}, {"who", "VARCHAR", "", "a person"}}}
	n.Params[1].Default = "2026-01-01"

	args, err := n.Args(map[string]string{"who": "x'); DROP TABLE users; --"})
	require.NoError(t, err)
	assert.Equal(t, []any{sql.Named("days", int64(90)), sql.Named("since", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
		sql.Named("who", "x'); DROP TABLE users; --")}, args, "values are bound as they are, never spliced")

	_, err = n.Args(map[string]string{})
	assert.ErrorContains(t, err, "needs --param who=")
	_, err = n.Args(map[string]string{"who": "a", "dayz": "3"})
	assert.ErrorContains(t, err, `no parameter "dayz"`)
	assert.ErrorContains(t, err, "days (INTEGER)")
	_, err = n.Args(map[string]string{"who": "a", "days": "ninety"})
	assert.ErrorContains(t, err, `"ninety" is not a valid INTEGER`)

	_, err = Lookup("nope")
	assert.ErrorContains(t, err, "seats_by_type")
	p, err := ParseParams([]string{"a=1", "b=x=y"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"a": "1", "b": "x=y"}, p)
	_, err = ParseParams([]string{"novalue"})
	assert.Error(t, err)
}
