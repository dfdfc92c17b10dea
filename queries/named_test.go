package queries

import (
	"database/sql"
	"strings"
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

func TestParseRefusesBadNamesAndRepeatedParams(t *testing.T) {
	for bad, want := range map[string]string{
		"-- name: two words\n-- description: y\nSELECT 1":                                            `name "two words"`,
		"-- name: ../etc/passwd\n-- description: y\nSELECT 1":                                        `name "../etc/passwd"`,
		"-- name: 9lives\n-- description: y\nSELECT 1":                                               `name "9lives"`,
		"-- name: a\n-- name: b\n-- description: y\nSELECT 1":                                        `two '-- name:' headers ("a" and "b")`,
		"-- name: a\n-- description: y\n-- param: d INTEGER 1 x\n-- param: d INTEGER 2 y\nSELECT $d": "param d is declared twice",
		"-- name: a\n-- description: y\n-- param: d-x INTEGER 1 x\nSELECT 1":                         `param "d-x"`,
		"-- name: a\n-- description: y\n-- param: $d INTEGER 1 x\nSELECT 1":                          `param "$d"`,
	} {
		_, err := parse(bad)
		assert.ErrorContains(t, err, want, bad)
	}
}

func FuzzParseNamed(f *testing.F) {
	for _, n := range All() {
		b, err := sqlFiles.ReadFile(n.Name + ".sql")
		require.NoError(f, err)
		f.Add(string(b))
	}
	for _, s := range []string{
		"-- name: a\n-- description: y\n-- param: d DATE 2026-01-01 x\nSELECT 1",
		"-- name: a\n-- name: a\n-- description: y\nSELECT 1",
		"-- param: d INTEGER\n-- name: a\n-- description:\nSELECT 1",
		"--name:a\n--description:b\n--param:x BOOLEAN true\nSELECT 1",
		"-- name: é\n-- description: y\nSELECT 1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		n, err := parse(text)
		if err != nil {
			return
		}
		if !identRE.MatchString(n.Name) {
			t.Fatalf("parse(%q) accepted the name %q", text, n.Name)
		}
		if n.Description == "" || n.SQL == "" {
			t.Fatalf("parse(%q) accepted a query without a description or SQL: %+v", text, n)
		}
		seen := map[string]bool{}
		for _, p := range n.Params {
			if !identRE.MatchString(p.Name) || seen[p.Name] {
				t.Fatalf("parse(%q) accepted the parameter %q (names so far %v)", text, p.Name, seen)
			}
			seen[p.Name] = true
			switch p.Type {
			case "INTEGER", "DOUBLE", "VARCHAR", "BOOLEAN", "DATE":
			default:
				t.Fatalf("parse(%q) accepted the type %q", text, p.Type)
			}
			if p.Default != "" {
				if _, err := p.convert("", true); err != nil {
					t.Fatalf("parse(%q) accepted the default %q of %s: %v", text, p.Default, p.Type, err)
				}
			}
		}
	})
}

func TestGroupHeader(t *testing.T) {
	n, err := parse("-- name: a\n-- group: report\n-- description: y\nSELECT 1")
	require.NoError(t, err)
	assert.Equal(t, GroupReport, n.Group)
	assert.NotEmpty(t, GroupTitle(n.Group))

	_, err = parse("-- name: a\n-- group: misc\n-- description: y\nSELECT 1")
	assert.ErrorContains(t, err, `group "misc": the only group is report`)
	_, err = parse("-- name: a\n-- group: report\n-- group: report\n-- description: y\nSELECT 1")
	assert.ErrorContains(t, err, "two '-- group:' headers")

	out, err := load(fstest.MapFS{
		"b.sql": {Data: []byte("-- name: b\n-- group: report\n-- description: y\nSELECT 1")},
		"c.sql": {Data: []byte("-- name: c\n-- description: y\nSELECT 1")},
		"a.sql": {Data: []byte("-- name: a\n-- group: report\n-- description: y\nSELECT 1")},
		"d.sql": {Data: []byte("-- name: d\n-- description: y\nSELECT 1")},
	})
	require.NoError(t, err)
	var names []string
	for _, n := range out {
		names = append(names, n.Name)
	}
	assert.Equal(t, []string{"c", "d", "a", "b"}, names, "ungrouped first, then each group, by name within each")
}

// TestReportQueriesAreGrouped: every query the report reads is in the
// report group, listed after the others.
func TestReportQueriesAreGrouped(t *testing.T) {
	all := All()
	seenGroup := false
	for _, n := range all {
		assert.Equal(t, strings.HasPrefix(n.Name, "report_"), n.Group == GroupReport, n.Name)
		if n.Group != "" {
			seenGroup = true
		} else {
			assert.False(t, seenGroup, "%s is listed after a group", n.Name)
		}
	}
	for _, name := range []string{"report_sync", "report_accounts", "report_inactive_seats", "report_gaps",
		"report_apps_by_workspace", "report_riskiest_apps"} {
		n, err := Lookup(name)
		require.NoError(t, err)
		_, err = n.Args(nil)
		assert.NoError(t, err, "%s runs with its defaults", name)
	}
}
