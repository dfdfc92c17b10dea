package shell

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/pipeline"
	"slackaudit/queries"
)

func TestDotHelp(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".help\n.help desc\n")
	require.NoError(t, r.err)
	for _, c := range dotCommands() {
		if !c.hidden {
			assert.Contains(t, r.stdout, "."+c.name+" ", c.name)
		}
	}
	assert.Contains(t, r.stdout, "unambiguous prefix")
	assert.Contains(t, r.stdout, ".describe TABLE\n    show a table's columns")
}

func TestDotPrefixes(t *testing.T) {
	t.Parallel()
	c, err := lookupDot("desc")
	require.NoError(t, err)
	assert.Equal(t, "describe", c.name)
	c, err = lookupDot("qui")
	require.NoError(t, err)
	assert.Equal(t, "quit", c.name)
	_, err = lookupDot("q")
	assert.ErrorContains(t, err, ".queries or .quit")
	_, err = lookupDot("frob")
	assert.ErrorContains(t, err, ".help lists them")

	r := runScript(t, testWarehouse(t), ".t\n")
	assert.ErrorContains(t, r.err, "line 1: .t could be .tables or .timer")
}

func TestDotTables(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".tables\n")
	require.NoError(t, r.err)
	assert.Contains(t, r.stdout, "| users ")
	assert.Contains(t, r.stdout, "| latest_sync ")
	assert.Contains(t, r.stdout, "Every account in each workspace")
	assert.NotContains(t, r.stdout, "_stage_", "staging tables are internal")
	assert.Regexp(t, `\| users +\| table +\| +3 \|`, r.stdout, "row estimate")

	r = runScript(t, path, ".mode csv\n.tables user*\n")
	require.NoError(t, r.err)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 5, r.stdout)
	assert.Equal(t, "name,kind,rows,description", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "user_group_members,view,,"), lines[1])
	assert.True(t, strings.HasPrefix(lines[2], "user_groups,table,0,"), lines[2])
	assert.True(t, strings.HasPrefix(lines[3], "user_usage,table,0,"), lines[3])
	assert.True(t, strings.HasPrefix(lines[4], "users,table,3,"), lines[4])

	r = runScript(t, path, ".mode csv\n.headers off\n.tables *_info\n")
	require.NoError(t, r.err)
	assert.True(t, strings.HasPrefix(r.stdout, "billable_info,table,2,"), r.stdout)

	r = runScript(t, path, ".tables nothing_like_this\n")
	assert.ErrorContains(t, r.err, `no table or view matches "nothing_like_this"`)
}

func TestDotDescribe(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".describe users\n", width(80))
	require.NoError(t, r.err)
	assert.Contains(t, r.stdout, "users (table, about 3 rows): Every account")
	assert.Contains(t, r.stdout, "│ is_ultra_restricted ", "duckbox, the default on a terminal")
	// Descriptions wrap to the terminal width rather than being cut.
	for _, l := range strings.Split(r.stdout, "\n") {
		assert.LessOrEqual(t, len([]rune(l)), 80, l)
	}
	assert.Regexp(t, `│ is_ultra_restricted │ BOOLEAN +│ Single-channel guest \(free +│\n│ +│ +│ seats on paid plans, up to +│`, r.stdout)
	assert.Contains(t, r.stdout, "5 per paid member).")

	r = runScript(t, path, ".mode json\n.desc billable_info\n")
	require.NoError(t, r.err)
	var cols []map[string]string
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &cols), r.stdout)
	require.Len(t, cols, 3)
	assert.Equal(t, "billing_active", cols[2]["column"])
	assert.Equal(t, "BOOLEAN", cols[2]["type"])
	assert.Contains(t, cols[2]["description"], "Fair Billing Policy")

	r = runScript(t, path, ".describe user\n")
	assert.ErrorContains(t, r.err, `no table or view called "user"; did you mean`)
	assert.ErrorContains(t, r.err, "users")

	r = runScript(t, path, ".describe\n")
	assert.ErrorContains(t, r.err, "usage: .describe TABLE")
}

func TestDotSchema(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".schema billable_info\n.schema latest_sync\n")
	require.NoError(t, r.err)
	assert.Contains(t, r.stdout, "-- Slack's own billing flag per account")
	assert.Contains(t, r.stdout, "CREATE TABLE billable_info (\n  team_id VARCHAR,")
	assert.Regexp(t, `billing_active BOOLEAN +-- Slack says it bills`, r.stdout)
	assert.Contains(t, r.stdout, "CREATE VIEW latest_sync AS SELECT")

	r = runScript(t, path, ".schema\n")
	require.NoError(t, r.err)
	assert.Contains(t, r.stdout, "CREATE TABLE users (")
	assert.Contains(t, r.stdout, "CREATE TABLE workspaces (")
	assert.NotContains(t, r.stdout, "_stage_")
}

// TestDotQueriesListsTheReportGroupLast: the queries the report reads come
// after the others, under the group's title.
func TestDotQueriesListsTheReportGroupLast(t *testing.T) {
	t.Parallel()
	r := runScript(t, testWarehouse(t), ".queries\n")
	require.NoError(t, r.err)
	title := strings.Index(r.stdout, queries.GroupTitle(queries.GroupReport)+"\n\nreport_")
	require.Positive(t, title, r.stdout)
	assert.Less(t, strings.Index(r.stdout, "seats_by_type\n"), title)
	assert.Greater(t, strings.Index(r.stdout, "report_inactive_seats\n"), title)
	assert.Contains(t, r.stdout, ".run report_inactive_seats org=all top=10\n")
}

func TestDotQueriesAndRun(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".queries\n")
	require.NoError(t, r.err)
	for _, n := range queries.All() {
		assert.Contains(t, r.stdout, n.Name+"\n    ")
		assert.Contains(t, r.stdout, ".run "+n.Name)
		for _, p := range n.Params {
			assert.Contains(t, r.stdout, p.Name+" "+p.Type)
		}
	}

	r = runScript(t, path, ".mode csv\n.run seats_by_type\n")
	require.NoError(t, r.err)
	assert.Contains(t, r.stdout, "team_id,seat_type,accounts,slack_billable\n")
	assert.Contains(t, r.stdout, "T1,admin,1,1\n")
	assert.Contains(t, r.stdout, "T1,deactivated,1,0\n")

	r = runScript(t, path, ".run nope\n")
	assert.ErrorContains(t, r.err, `no named query "nope"`)
	r = runScript(t, path, ".run seats_by_type x=1\n")
	assert.ErrorContains(t, r.err, `no parameter "x"`)
	r = runScript(t, path, ".run\n")
	assert.ErrorContains(t, r.err, "seats_by_type")
}

func TestDotModes(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	q := "SELECT user_id, real_name, email FROM users ORDER BY user_id LIMIT 2;\n"
	tests := map[string]string{
		"table": "+---------+--------------------+-----------------+\n" +
			"| user_id | real_name          | email           |\n" +
			"+---------+--------------------+-----------------+\n" +
			"| U1      | Ada Lovelace       | ada@example.com |\n" +
			"| U2      | Bob, \"the builder\" | NULL            |\n" +
			"+---------+--------------------+-----------------+\n(2 rows)\n",
		"box": "┌─────────┬────────────────────┬─────────────────┐\n" +
			"│ user_id │ real_name          │ email           │\n" +
			"├─────────┼────────────────────┼─────────────────┤\n" +
			"│ U1      │ Ada Lovelace       │ ada@example.com │\n" +
			"│ U2      │ Bob, \"the builder\" │ NULL            │\n" +
			"└─────────┴────────────────────┴─────────────────┘\n(2 rows)\n",
		"csv": "user_id,real_name,email\nU1,Ada Lovelace,ada@example.com\nU2,\"Bob, \"\"the builder\"\"\",\n",
		"json": "[\n{\"user_id\":\"U1\",\"real_name\":\"Ada Lovelace\",\"email\":\"ada@example.com\"},\n" +
			"{\"user_id\":\"U2\",\"real_name\":\"Bob, \\\"the builder\\\"\",\"email\":null}\n]\n",
		"jsonl": "{\"user_id\":\"U1\",\"real_name\":\"Ada Lovelace\",\"email\":\"ada@example.com\"}\n" +
			"{\"user_id\":\"U2\",\"real_name\":\"Bob, \\\"the builder\\\"\",\"email\":null}\n",
		"markdown": "| user_id | real_name          | email           |\n" +
			"| ------- | ------------------ | --------------- |\n" +
			"| U1      | Ada Lovelace       | ada@example.com |\n" +
			"| U2      | Bob, \"the builder\" |                 |\n",
		"line": "  user_id = U1\nreal_name = Ada Lovelace\n    email = ada@example.com\n\n" +
			"  user_id = U2\nreal_name = Bob, \"the builder\"\n    email = NULL\n",
	}
	for mode, want := range tests {
		t.Run(mode, func(t *testing.T) {
			r := runScript(t, path, ".mode "+mode+"\n"+q)
			require.NoError(t, r.err)
			assert.Equal(t, want, r.stdout)
		})
	}
	r := runScript(t, path, ".mode\n.mode xml\n")
	assert.Equal(t, "mode table\n", r.stdout)
	assert.ErrorContains(t, r.err, `line 2: unknown format "xml"`)
}

func TestDotHeadersNullValueMaxRows(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".mode csv\n.headers off\n.nullvalue (none)\nSELECT email FROM users ORDER BY user_id;\n")
	require.NoError(t, r.err)
	assert.Equal(t, "ada@example.com\n(none)\n(none)\n", r.stdout)

	r = runScript(t, path, ".headers maybe\n")
	assert.ErrorContains(t, r.err, "usage: .headers on|off")

	r = runScript(t, path, ".maxrows 2\nSELECT * FROM range(10);\n")
	require.NoError(t, r.err)
	assert.Contains(t, r.stdout, "(2 rows)\n(8 more rows not shown: the row limit is 2; .maxrows N changes it, .maxrows 0 shows all)\n")

	r = runScript(t, path, ".maxrows 3\n.mode csv\nSELECT * FROM range(1000000);\n")
	require.NoError(t, r.err)
	assert.Equal(t, "range\n0\n1\n2\n", r.stdout, "csv stays clean")
	assert.Contains(t, r.stderr, "(999,997 more rows not shown")

	r = runScript(t, path, ".maxrows 0\n.mode csv\nSELECT count(*) AS n FROM (SELECT * FROM range(5000));\n")
	require.NoError(t, r.err)
	assert.Equal(t, "n\n5000\n", r.stdout)

	r = runScript(t, path, ".maxrows lots\n")
	assert.ErrorContains(t, r.err, "give a number of rows")
}

func TestDotTimer(t *testing.T) {
	t.Parallel()
	r := runScript(t, testWarehouse(t), ".timer on\nSELECT 1;\n.timer off\nSELECT 2;\n")
	require.NoError(t, r.err)
	assert.Equal(t, 1, strings.Count(r.stderr, "Run time: "), r.stderr)
	assert.Regexp(t, `Run time: \d+\.\d{3} s \(query \d+\.\d{3} s, output \d+\.\d{3} s\)`, r.stderr)
}

func TestDotOutputAndOnce(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	dir := t.TempDir()
	out, once := filepath.Join(dir, "out.csv"), filepath.Join(dir, "once.txt")
	script := fmt.Sprintf(".mode csv\n.output %s\nSELECT 1 AS a;\n.once '%s'\nSELECT 2 AS b;\nSELECT 3 AS c;\n.output\nSELECT 4 AS d;\n", out, once)
	r := runScript(t, path, script, func(c *Config) { c.AllowFiles = []string{dir} })
	require.NoError(t, r.err)
	assert.Equal(t, "d\n4\n", r.stdout)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "a\n1\nc\n3\n", string(b))
	b, err = os.ReadFile(once)
	require.NoError(t, err)
	assert.Equal(t, "b\n2\n", string(b))

	r = runScript(t, path, ".output "+filepath.Join(dir, "no", "such", "dir.csv")+"\n", writable)
	assert.ErrorContains(t, r.err, "opening output file")
}

func TestDotRead(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	dir := t.TempDir()
	inner := filepath.Join(dir, "inner.sql")
	require.NoError(t, os.WriteFile(inner, []byte(".mode csv\nSELECT 'inner' AS x;\n\nSELECT nope\nFROM users;\n"), 0o600))
	outer := filepath.Join(dir, "outer.sql")
	require.NoError(t, os.WriteFile(outer, []byte("SELECT 'outer' AS x;\n.read "+inner+"\n"), 0o600))
	r := runScript(t, path, ".read "+outer+"\nSELECT 'never';\n")
	var l *located
	require.True(t, errors.As(r.err, &l), "%v", r.err)
	assert.Equal(t, inner, l.file, "the error names the file it is in")
	assert.Equal(t, 4, l.line)
	assert.ErrorContains(t, r.err, "inner.sql:4: Binder Error")
	assert.Contains(t, r.stdout, "outer")
	assert.Contains(t, r.stdout, "x\ninner\n")
	assert.NotContains(t, r.stdout, "never")

	self := filepath.Join(dir, "self.sql")
	require.NoError(t, os.WriteFile(self, []byte(".read "+self+"\n"), 0o600))
	r = runScript(t, path, ".read "+self+"\n")
	assert.ErrorContains(t, r.err, "does "+self+" read itself?")

	r = runScript(t, path, ".read "+filepath.Join(dir, "missing.sql")+"\n")
	assert.ErrorContains(t, r.err, "no such file")
}

func TestDotOpen(t *testing.T) {
	t.Parallel()
	a, b := testWarehouse(t), testWarehouse(t)
	r := runScript(t, a, ".open\n.open "+b+"\n.open\n.open /nonexistent/x.duckdb\n.open\n", func(c *Config) { c.Bail = false })
	assert.Equal(t, a+" (read-only)\n"+b+" (read-only)\n"+b+" (read-only)\n", r.stdout)
	assert.Contains(t, r.stderr, "Error: line 4: no warehouse at /nonexistent/x.duckdb")
	assert.Contains(t, r.stderr, "still on "+b)
	assert.EqualError(t, r.err, "1 statement failed (line 4); see the errors above")
}

func TestDotSync(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".sync\n")
	assert.ErrorContains(t, r.err, ".sync is not available")

	var calledWith string
	sync := func(ctx context.Context, dbPath string, progress io.Writer) (string, error) {
		calledWith = dbPath
		// The shell has closed the warehouse: a writer can take the lock.
		s := New(Config{Write: true, Tables: pipeline.Tables()})
		if err := s.open(ctx, dbPath); err != nil {
			return "", err
		}
		defer s.Close()
		if _, err := s.conn.ExecContext(ctx, "INSERT INTO users (team_id, user_id) VALUES ('T1', 'U9')"); err != nil {
			return "", err
		}
		return "Synced Acme: 1 new account", nil
	}
	r = runScript(t, path, ".sync\n.mode csv\nSELECT count(*) AS n FROM users;\n", func(c *Config) { c.Sync = sync })
	require.NoError(t, r.err)
	assert.Equal(t, path, calledWith)
	assert.Equal(t, "Synced Acme: 1 new account\nn\n4\n", r.stdout, "the shell reopened the warehouse and sees the sync")

	failing := func(context.Context, string, io.Writer) (string, error) {
		return "", errors.New("no Slack token: set SLACK_TOKEN")
	}
	r = runScript(t, path, ".sync\n", func(c *Config) { c.Sync = failing })
	assert.ErrorContains(t, r.err, "line 1: sync: no Slack token")
}

func TestDotShowAndQuit(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, ".mode box\n.nullvalue ∅\n.maxrows 7\n.show\n.quit\nSELECT 'after quit';\n")
	require.NoError(t, r.err)
	assert.Contains(t, r.stdout, "warehouse: "+path+" (read-only)")
	assert.Contains(t, r.stdout, "     mode: box\n")
	assert.Contains(t, r.stdout, "nullvalue: \"∅\"\n")
	assert.Contains(t, r.stdout, "  maxrows: 7\n")
	assert.NotContains(t, r.stdout, "after quit")

	r = runScript(t, path, ".tables;\n.exit\n")
	require.NoError(t, r.err, "a trailing ; on a dot-command is forgiven")
}

func TestReadOnlyAndWrite(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	r := runScript(t, path, "DELETE FROM users;\n")
	assert.ErrorContains(t, r.err, "read-only mode")
	assert.ErrorContains(t, r.err, "restart the shell with --write")

	r = runScript(t, path, "CREATE TEMP TABLE scratch AS SELECT 1 AS x;\nSELECT * FROM scratch;\n")
	require.NoError(t, r.err, "temporary tables work read-only")

	r = runScript(t, path, "CREATE TABLE notes (user_id VARCHAR, note VARCHAR);\nINSERT INTO notes VALUES ('U1', 'keep');\n.mode csv\nSELECT * FROM notes;\n", writable)
	require.NoError(t, r.err)
	assert.Equal(t, "user_id,note\nU1,keep\n", r.stdout, "DDL and INSERT print no result in scripts")
}

func TestTerminalOutputIsCutToWidthAndRowsCapped(t *testing.T) {
	t.Parallel()
	path := testWarehouse(t)
	q := "SELECT 'U1' AS id, repeat('wide ', 40) AS text;\n"
	r := runScript(t, path, q, width(40))
	require.NoError(t, r.err)
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		assert.LessOrEqual(t, len([]rune(l)), 40, l)
	}
	assert.Contains(t, r.stdout, "…", "the wide value is cut with an ellipsis")

	r = runScript(t, path, ".mode csv\n"+q, width(40))
	require.NoError(t, r.err)
	assert.Contains(t, r.stdout, strings.Repeat("wide ", 40), "csv is never cut")

	s := New(Config{Interactive: true, Width: func() int { return 80 }})
	o := s.writeOptions(true)
	assert.Equal(t, defaultTerminalRows, o.MaxRows, "a terminal shows a screenful by default")
	assert.Equal(t, 80, o.MaxWidth)
	o = s.writeOptions(false)
	assert.Zero(t, o.MaxRows, ".output files get every row")
	assert.Zero(t, o.MaxWidth)
	require.NoError(t, s.dotMaxRows(t.Context(), []string{"0"}))
	assert.Zero(t, s.writeOptions(true).MaxRows, ".maxrows 0 shows all, on the terminal too")
}
