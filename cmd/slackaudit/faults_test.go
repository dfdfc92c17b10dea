package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
	"slackaudit/warehouse"
)

// Every fault the synthetic org can inject runs end to end here: a first
// sync lands a snapshot, the fault is queued for one method, and a second
// sync through the CLI must either fail (exit 1) with a message that names
// the method, says what happened and what to do, and leave the first
// snapshot exactly as it was, or survive the fault (exit 0) and land the
// very snapshot the same two syncs land without it. No case may leak the
// token to stdout, stderr or the warehouse. The cases are in
// faults_cases_test.go.

// faultTimeScale shortens every wait of the CLI's client: Retry-After and
// backoff. A 429 storm of Retry-After 30 s waits 30 ms a time.
const faultTimeScale = 0.001

// faultStall is the stall deadline of cases that hang or stall: a request
// that gets no byte for this long is abandoned and retried.
const faultStall = 200 * time.Millisecond

// faultOrg is the synthetic organisation a fault case runs against.
type faultOrg int

const (
	// smallOrg is a Business+ workspace of 150 accounts: every list fits
	// on one page.
	smallOrg faultOrg = iota
	// pagedOrg is a Business+ workspace of 1,100 accounts: users.list and
	// team.billableInfo take two pages, team.accessLogs three.
	pagedOrg
	// gridFaultOrg is an Enterprise Grid organisation of 300 people in
	// three workspaces, synced with an org-level token: admin.users.list
	// takes four pages. The syncs run two days behind the org's clock, so
	// every day they ask admin.analytics.getFile for has its file; the
	// second reads three days more than the first.
	gridFaultOrg
	faultOrgs
)

func (o faultOrg) String() string { return [...]string{"small", "paged", "grid"}[o] }

// serve starts the organisation and returns its token.
func (o faultOrg) serve(t *testing.T) (*slacktest.Server, string) {
	t.Helper()
	switch o {
	case pagedOrg:
		return orgServer(t, slacktest.Config{Seed: 41, Users: 1100})
	case gridFaultOrg:
		return gridOrg(t, 300)
	}
	return orgServer(t, slacktest.Config{Seed: 41, Users: 150})
}

// cli is a command line for the organisation's token, its client's waits
// scaled, with the short stall deadline when stall is set.
func (o faultOrg) cli(t *testing.T, tok string, stall bool) *cli {
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok}) // run fails the test if tok reaches stdout or stderr
	c.tune = func(cfg *slackapi.Config) {
		cfg.TimeScale = faultTimeScale
		if stall {
			cfg.StallTimeout = faultStall
		}
	}
	if o == gridFaultOrg {
		c.now = testNow.Add(-48 * time.Hour)
	}
	return c
}

// args is the command line of sync n (1 or 2) into db.
func (o faultOrg) args(srv *slacktest.Server, db string, n int) []string {
	args := []string{"sync", "--db", db, "--api-url", srv.URL()}
	if o == gridFaultOrg {
		args = append(args, "--since", map[int]string{1: "3d", 2: "6d"}[n])
	}
	return args
}

// faultCase is one fault, injected before the second sync.
type faultCase struct {
	name  string
	org   faultOrg
	fault slacktest.Fault
	stall bool // run the client with the short stall deadline (faultStall)
	code  int  // exitOK: the sync survives the fault; exitFailure: it fails
	// want are substrings of stderr when the sync fails (the first also of
	// sync_runs.error), of stdout when it survives; not, substrings of
	// neither. {team} is the workspace, {ent} the enterprise and {owner}
	// the token's user.
	want, not []string
}

func TestSyncFaultsEndToEnd(t *testing.T) {
	t.Parallel()
	fx := &faultFixtures{dir: t.TempDir()}
	for _, tc := range faultCases {
		t.Run(tc.org.String()+"/"+tc.fault.Method+"/"+tc.name, func(t *testing.T) {
			t.Parallel()
			runFaultCase(t, tc, fx)
		})
	}
}

// TestFaultCasesCoverEveryKind keeps the table whole: every fault kind,
// on each paged method, both outcomes.
func TestFaultCasesCoverEveryKind(t *testing.T) {
	t.Parallel()
	kinds := map[slacktest.FaultKind]bool{}
	methods := map[string]map[int]bool{}
	for _, tc := range faultCases {
		kinds[tc.fault.Kind] = true
		if methods[tc.fault.Method] == nil {
			methods[tc.fault.Method] = map[int]bool{}
		}
		methods[tc.fault.Method][tc.code] = true
		if tc.code == exitFailure {
			assert.NotEmpty(t, tc.want, "%s: a failure names what to look for", tc.name)
		}
	}
	for k := slacktest.FaultStatus; k <= slacktest.FaultEchoToken; k++ {
		assert.True(t, kinds[k], "no case injects %s", k)
	}
	for _, m := range []string{"users.list", "team.billableInfo", "team.accessLogs", "team.integrationLogs", "admin.users.list", "admin.analytics.getFile"} {
		assert.True(t, methods[m][exitOK] && methods[m][exitFailure], "%s needs a fault the sync survives and one it does not", m)
	}
}

// runFaultCase starts from the organisation's first snapshot, injects the
// fault, syncs again and checks the outcome.
func runFaultCase(t *testing.T, tc faultCase, fx *faultFixtures) {
	base := fx.get(t, tc.org)
	srv, tok := tc.org.serve(t)
	db := tempDB(t)
	require.NoError(t, copyWarehouse(base.first, db))
	srv.Inject(tc.fault)
	r := runBounded(t, tc.org.cli(t, tok, tc.stall), tc.org.args(srv, db, 2))
	require.Equal(t, tc.code, r.code, "exit code; stderr:\n%s", r.stderr)
	assert.Positive(t, srv.Faulted(tc.fault.Method), "the fault fired")
	if tc.fault.Times >= 0 {
		assert.Empty(t, srv.PendingFaults(), "every fault injected was spent")
	}
	got, err := inspect(db, tok)
	require.NoError(t, err)
	assert.Empty(t, got.leaks, "tables holding the token")
	want := expandWant(srv, tc.want)
	out := r.stdout
	if tc.code == exitOK {
		assert.Empty(t, r.stderr)
		assert.Contains(t, r.stdout, "— run 2, mode ")
		assert.Equal(t, base.control, got.print, "the snapshot is the one the same syncs land without the fault")
	} else {
		out = r.stderr
		assert.True(t, strings.HasPrefix(r.stderr, "slackaudit sync: "), r.stderr)
		before := base.firstPrint
		before.runs++ // the failed run is recorded, and nothing else changed
		assert.Equal(t, before, got.print, "the previous snapshot is whole")
		assert.Contains(t, got.failure, want[0], "sync_runs says why")
	}
	for _, w := range want {
		assert.Contains(t, out, w)
	}
	for _, n := range tc.not {
		assert.NotContains(t, out, n)
	}
}

// runBounded runs the CLI, failing the test if it does not return within a
// minute: a fault must never hang the sync.
func runBounded(t *testing.T, c *cli, args []string) result {
	t.Helper()
	done := make(chan result, 1)
	go func() { done <- c.run(args...) }()
	select {
	case r := <-done:
		return r
	case <-time.After(time.Minute):
		t.Fatalf("slackaudit %s did not return within a minute", strings.Join(args, " "))
		return result{}
	}
}

// expandWant fills in the organisation's IDs.
func expandWant(srv *slacktest.Server, want []string) []string {
	org := srv.Org()
	rep := strings.NewReplacer("{team}", org.Teams[0].ID, "{ent}", org.EnterpriseID, "{owner}", org.AdminToken().UserID)
	out := make([]string, len(want))
	for i, w := range want {
		out[i] = rep.Replace(w)
	}
	return out
}

// faultFixtures are, per organisation, the warehouse of a first sync
// without faults and the snapshot a second sync without faults lands on
// it: made once, shared by the cases.
type faultFixtures struct {
	dir  string
	once [faultOrgs]sync.Once
	base [faultOrgs]faultBase
}

type faultBase struct {
	first      string        // the warehouse after the first sync
	firstPrint snapshotPrint // its snapshot
	control    snapshotPrint // the snapshot after a second sync without faults
	err        error
}

// get returns org's fixtures, syncing them on first use.
func (fx *faultFixtures) get(t *testing.T, org faultOrg) faultBase {
	t.Helper()
	fx.once[org].Do(func() { fx.base[org] = fx.make(t, org) })
	b := fx.base[org]
	require.NoError(t, b.err, "the syncs without faults of the %s organisation", org)
	return b
}

func (fx *faultFixtures) make(t *testing.T, org faultOrg) (b faultBase) {
	srv, tok := org.serve(t)
	defer srv.Close()
	c := org.cli(t, tok, false)
	b.first = filepath.Join(fx.dir, org.String()+"-first.duckdb")
	control := filepath.Join(fx.dir, org.String()+"-control.duckdb")
	syncInto := func(db string, n int) error {
		if r := c.run(org.args(srv, db, n)...); r.code != exitOK {
			return fmt.Errorf("sync %d: exit %d: %s", n, r.code, r.stderr)
		}
		return nil
	}
	if b.err = syncInto(b.first, 1); b.err != nil {
		return b
	}
	if b.err = copyWarehouse(b.first, control); b.err != nil {
		return b
	}
	if b.err = syncInto(control, 2); b.err != nil {
		return b
	}
	var first, second inspection
	if first, b.err = inspect(b.first, tok); b.err != nil {
		return b
	}
	second, b.err = inspect(control, tok)
	b.firstPrint, b.control = first.print, second.print
	return b
}

// copyWarehouse copies a closed warehouse file (and its write-ahead log,
// if it has one).
func copyWarehouse(from, to string) error {
	for _, suffix := range []string{"", ".wal"} {
		src, err := os.Open(from + suffix)
		if suffix != "" && os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		dst, err := os.Create(to + suffix)
		if err == nil {
			_, err = io.Copy(dst, src)
			err = errors.Join(err, dst.Close())
		}
		src.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// snapshotPrint is what the syncs landed: the latest successful run, the
// number of runs, and every snapshot and history table's row count and
// the sum of its rows' hashes.
type snapshotPrint struct {
	latest, runs int
	tables       map[string]string // table → "rows hash-sum"
}

// inspection is a warehouse after a sync: its snapshot, the error the
// latest run recorded (if it failed), and the tables holding the token.
type inspection struct {
	print   snapshotPrint
	failure string
	leaks   []string
}

// inspect reads path's inspection, looking for tok in every table.
func inspect(path, tok string) (inspection, error) {
	ctx := context.Background()
	var in inspection
	db, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true})
	if err != nil {
		return in, err
	}
	defer db.Close()
	in.print.tables = map[string]string{}
	err = db.SQL().QueryRowContext(ctx, `SELECT (SELECT run_id FROM latest_sync), (SELECT count(*) FROM sync_runs),
		(SELECT coalesce(max(error), '') FROM sync_runs WHERE status = 'failed' AND run_id = (SELECT max(run_id) FROM sync_runs))`).
		Scan(&in.print.latest, &in.print.runs, &in.failure)
	if err != nil {
		return in, err
	}
	// One query for every table: each row as text, the rows' hashes
	// summed (in no order, each row counted), and the rows holding the
	// token counted.
	var parts []string
	var args []any
	for _, tab := range contract().TableNames() {
		parts = append(parts, fmt.Sprintf(`SELECT %s, count(*) || ' ' || coalesce(sum(hash(r)), 0),
			count(*) FILTER (WHERE contains(r, ?)) FROM (SELECT t::VARCHAR AS r FROM %q t)`, sqlString(tab), tab))
		args = append(args, tok)
	}
	rows, err := db.SQL().QueryContext(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return in, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, sum string
		var leaks int
		if err := rows.Scan(&name, &sum, &leaks); err != nil {
			return in, err
		}
		if leaks > 0 {
			in.leaks = append(in.leaks, name)
		}
		if !isLog(name) {
			in.print.tables[name] = sum
		}
	}
	if err := rows.Err(); err != nil {
		return in, err
	}
	return in, nil
}

// sqlString quotes s as an SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
