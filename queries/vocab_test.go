package queries

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/transform"
	"slackaudit/warehouse"
)

// The named queries compare stored values as text (seat_type = 'member').
// These tests hold every such literal to the typed values that write the
// warehouse, so a renamed value or a typo in a query fails here instead of
// silently matching nothing.

// vocab maps a column, and the tables it has that meaning in ("" for any
// table), to the parser of its stored text.
var vocab = map[string]map[string]func(string) error{
	"seat_type":       {"": parser(transform.ParseSeatType)},
	"billing_flag":    {"": parser(transform.ParseBillingFlag)},
	"risk_level":      {"": parser(transform.ParseRiskLevel)},
	"usage_frequency": {"": parser(transform.ParseFrequency)},
	"scope":           {"seat_history": parser(transform.ParseSeatScope), "license_summary": parser(transform.ParseSeatScope)},
	"status": {"apps": parser(transform.ParseAppStatus), "source_status": parser(warehouse.ParseSourceState),
		"sync_runs": parser(warehouse.ParseRunStatus)},
}

func parser[T any](parse func(string) (T, error)) func(string) error {
	return func(text string) error { _, err := parse(text); return err }
}

var (
	// col = 'x', col <> 'x', col != 'x'
	cmpRE = regexp.MustCompile(`(?i)\b(?:(\w+)\.)?(\w+)\s*(?:=|<>|!=)\s*'([^']*)'`)
	// col IN ('x', 'y'), col NOT IN (…)
	inRE = regexp.MustCompile(`(?i)\b(?:(\w+)\.)?(\w+)\s+(?:NOT\s+)?IN\s*\(\s*('[^)]*)\)`)
	// list_position(['x', 'y'], col)
	listRE = regexp.MustCompile(`(?i)list_position\(\s*\[([^\]]*)\]\s*,\s*(?:(\w+)\.)?(\w+)\s*\)`)
	// coalesce(col, 'x')
	coalesceRE = regexp.MustCompile(`(?i)coalesce\(\s*(?:(\w+)\.)?(\w+)\s*,\s*'([^']*)'\s*\)`)
	// name(col, …) AS (VALUES ('x', …), ('y', …)): the first column's values
	valuesRE = regexp.MustCompile(`(?i)\b\w+\s*\(\s*(\w+)\s*,[^)]*\)\s+AS\s*\(\s*VALUES\s*((?:\(\s*'[^)]*\)\s*,?\s*)+)\)`)
	tupleRE  = regexp.MustCompile(`\(\s*'([^']*)'`)
	quotedRE = regexp.MustCompile(`'([^']*)'`)
	tableRE  = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?`)
)

// keywords that can follow a table name where an alias would stand.
var notAlias = map[string]bool{"where": true, "left": true, "right": true, "inner": true, "outer": true, "full": true,
	"cross": true, "join": true, "on": true, "using": true, "group": true, "order": true, "limit": true, "union": true,
	"natural": true, "window": true, "qualify": true, "having": true}

// literalUse is one stored value a query compares a column against.
type literalUse struct{ qualifier, column, text string }

func (u literalUse) String() string {
	if u.qualifier != "" {
		return fmt.Sprintf("%s.%s '%s'", u.qualifier, u.column, u.text)
	}
	return fmt.Sprintf("%s '%s'", u.column, u.text)
}

// literalUses finds the literals sql compares a column against.
func literalUses(sql string) []literalUse {
	var out []literalUse
	for _, m := range cmpRE.FindAllStringSubmatch(sql, -1) {
		out = append(out, literalUse{m[1], m[2], m[3]})
	}
	for _, m := range coalesceRE.FindAllStringSubmatch(sql, -1) {
		if m[3] != "" { // '' shows a missing value as blank; it stands for no stored value
			out = append(out, literalUse{m[1], m[2], m[3]})
		}
	}
	for _, m := range inRE.FindAllStringSubmatch(sql, -1) {
		for _, q := range quotedRE.FindAllStringSubmatch(m[3], -1) {
			out = append(out, literalUse{m[1], m[2], q[1]})
		}
	}
	for _, m := range listRE.FindAllStringSubmatch(sql, -1) {
		for _, q := range quotedRE.FindAllStringSubmatch(m[1], -1) {
			out = append(out, literalUse{m[2], m[3], q[1]})
		}
	}
	for _, m := range valuesRE.FindAllStringSubmatch(sql, -1) {
		for _, q := range tupleRE.FindAllStringSubmatch(m[2], -1) {
			out = append(out, literalUse{"", m[1], q[1]})
		}
	}
	return out
}

// tablesOf maps each alias in sql to its table, and each table to itself.
func tablesOf(sql string) map[string]string {
	out := map[string]string{}
	for _, m := range tableRE.FindAllStringSubmatch(sql, -1) {
		table := strings.ToLower(m[1])
		out[table] = table
		if alias := strings.ToLower(m[2]); alias != "" && !notAlias[alias] {
			out[alias] = table
		}
	}
	return out
}

// checkVocab checks every literal sql compares a typed column against, and
// returns those it checked.
func checkVocab(sql string) ([]literalUse, error) {
	tables := tablesOf(sql)
	var checked []literalUse
	for _, u := range literalUses(sql) {
		byTable, ok := vocab[strings.ToLower(u.column)]
		if !ok {
			continue
		}
		parse, err := pick(byTable, u, tables)
		if err != nil {
			return checked, err
		}
		if parse == nil {
			continue // the column of a table where it holds no typed value
		}
		if err := parse(u.text); err != nil {
			return checked, fmt.Errorf("%s: %w", u, err)
		}
		checked = append(checked, u)
	}
	return checked, nil
}

// pick finds the parser for u's column in the table it belongs to.
func pick(byTable map[string]func(string) error, u literalUse, tables map[string]string) (func(string) error, error) {
	if p, ok := byTable[""]; ok {
		return p, nil
	}
	if u.qualifier != "" {
		table, ok := tables[strings.ToLower(u.qualifier)]
		if !ok {
			return nil, fmt.Errorf("%s: no table or alias %s in the query", u, u.qualifier)
		}
		return byTable[table], nil
	}
	var found []string
	for _, table := range tables {
		if _, ok := byTable[table]; ok && !containsString(found, table) {
			found = append(found, table)
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return byTable[found[0]], nil
	}
	return nil, fmt.Errorf("%s: the query reads %s; qualify the column with its table", u, strings.Join(found, " and "))
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestNamedQueries_LiteralsAreStoredValues(t *testing.T) {
	seen := map[string]int{}
	for _, n := range named {
		checked, err := checkVocab(n.SQL)
		require.NoError(t, err, "queries/%s.sql compares against a value the warehouse never stores", n.Name)
		for _, u := range checked {
			seen[strings.ToLower(u.column)]++
		}
	}
	t.Logf("literals checked per column: %v", seen)
	for column := range vocab {
		assert.Positive(t, seen[column], "no named query compares %s with a literal: is the extraction still finding them?", column)
	}
}

func TestCheckVocab(t *testing.T) {
	for _, tt := range []struct {
		name, sql string
		checked   int
		err       string
	}{
		{"equals", `SELECT * FROM licenses WHERE seat_type = 'member'`, 1, ""},
		{"drifted", `SELECT * FROM licenses l WHERE l.seat_type = 'guest'`, 0, `l.seat_type 'guest': unknown seat type "guest"`},
		{"not in", `SELECT * FROM licenses WHERE seat_type NOT IN ('bot', 'deleted')`, 1, `unknown seat type "deleted"`},
		{"list_position", `SELECT list_position(['critical', 'severe'], a.risk_level) FROM apps a`, 1, `unknown risk level "severe"`},
		{"coalesce", `SELECT coalesce(u.usage_frequency, 'rarely') FROM user_usage u`, 0, `unknown usage frequency "rarely"`},
		{"coalesce to blank", `SELECT coalesce(l.billing_flag, '') FROM licenses l`, 0, ""},
		{"values", `WITH f(usage_frequency, pos) AS (VALUES ('daily', 1), ('hourly', 2)) SELECT * FROM f`, 1, `unknown usage frequency "hourly"`},
		{"apps status", `SELECT * FROM apps WHERE status <> 'removed' AND status = 'ok'`, 1, `unknown app status "ok"`},
		{"source status", `SELECT * FROM source_status WHERE status <> 'ok'`, 1, ""},
		{"sync status by alias", `SELECT * FROM sync_runs r JOIN apps a USING (team_id) WHERE r.status = 'installed'`, 0, `unknown sync status "installed"`},
		{"ambiguous status", `SELECT * FROM sync_runs r JOIN apps a USING (team_id) WHERE status = 'ok'`, 0, "the query reads"},
		{"status of another table", `SELECT * FROM actions_log WHERE status = 'planned'`, 0, ""},
		{"scope", `SELECT * FROM license_summary s WHERE s.scope = 'account'`, 0, `unknown seat scope "account"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checked, err := checkVocab(tt.sql)
			assert.Len(t, checked, tt.checked)
			if tt.err == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
		})
	}
}
