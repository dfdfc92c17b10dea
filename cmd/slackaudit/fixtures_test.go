package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
	"slackaudit/warehouse"
)

// A test that needs a synced warehouse, but does not test that sync,
// starts from a copy of a template: the warehouse one sync of the same
// organisation lands, made once per test binary. The organisations are
// seeded, so a server started from the same configuration serves the same
// org, and the test's own server carries on from the copy as it would from
// its own first sync. Copying a closed warehouse takes milliseconds; a
// sync takes most of a second of CPU. Tests of the sync itself, of a
// failure, an interruption or a fault still run their own.

// orgFixture is a synthetic organisation a template is synced from.
type orgFixture struct {
	name  string                                         // unique among fixtures
	serve func(t *testing.T) (*slacktest.Server, string) // starts the org, returns its token
	args  []string                                       // the sync's flags besides --db and --api-url
}

// templateSet holds the templates of one test binary, in a folder TestMain
// removes.
type templateSet struct {
	mu    sync.Mutex
	dir   string
	made  map[string]*template
	dirEr error
}

type template struct {
	once sync.Once
	path string
	err  error
}

// templates are the test binary's templates (see TestMain).
var templates = &templateSet{made: map[string]*template{}}

// folder returns the templates' folder, creating it on first use.
func (s *templateSet) folder() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" && s.dirEr == nil {
		s.dir, s.dirEr = os.MkdirTemp("", "slackaudit-templates-")
	}
	return s.dir, s.dirEr
}

func (s *templateSet) entry(name string) *template {
	s.mu.Lock()
	defer s.mu.Unlock()
	tp := s.made[name]
	if tp == nil {
		tp = &template{}
		s.made[name] = tp
	}
	return tp
}

// remove deletes the templates' folder.
func (s *templateSet) remove() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// get returns the template of f, syncing it on first use.
func (s *templateSet) get(t *testing.T, f orgFixture) string {
	t.Helper()
	tp := s.entry(f.name)
	tp.once.Do(func() {
		// A test that stops inside the sync (t.FailNow) leaves this error
		// for the others.
		tp.err = errors.New("the first test to need it stopped before its sync finished")
		tp.path, tp.err = s.make(t, f)
	})
	require.NoError(t, tp.err, "the template warehouse of %s", f.name)
	return tp.path
}

func (s *templateSet) make(t *testing.T, f orgFixture) (string, error) {
	dir, err := s.folder()
	if err != nil {
		return "", err
	}
	srv, tok := f.serve(t)
	defer srv.Close()
	path := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(f.name)+".duckdb")
	r := newCLI(t, map[string]string{"SLACK_TOKEN": tok}).run(append([]string{"sync", "--db", path, "--api-url", srv.URL()}, f.args...)...)
	if r.code != exitOK {
		return "", fmt.Errorf("sync: exit %d: %s", r.code, r.stderr)
	}
	return path, nil
}

// syncedInto copies the template of f to path: the warehouse as f's first
// sync leaves it.
func syncedInto(t *testing.T, path string, f orgFixture) {
	t.Helper()
	require.NoError(t, copyWarehouse(templates.get(t, f), path))
}

// syncedCopy is a private copy of f's template in the test's temporary
// folder.
func syncedCopy(t *testing.T, f orgFixture) string {
	t.Helper()
	db := tempDB(t)
	syncedInto(t, db, f)
	return db
}

// workspaceFixture is a Business+ workspace of seed and users, synced with
// the admin token.
func workspaceFixture(seed int64, users int) orgFixture {
	cfg := slacktest.Config{Seed: seed, Users: users}
	return orgFixture{name: fmt.Sprintf("business+ seed %d users %d", seed, users),
		serve: func(t *testing.T) (*slacktest.Server, string) { return orgServer(t, cfg) }}
}

// actFixture is a workspace org of cfg, synced with the primary owner's
// token with the read and write scopes (actOrg).
func actFixture(cfg slacktest.Config) orgFixture {
	return orgFixture{name: fmt.Sprintf("act seed %d users %d", cfg.Seed, cfg.Users),
		serve: func(t *testing.T) (*slacktest.Server, string) { return actOrg(t, cfg) }}
}

// gridFixture is the three-workspace Grid org of gridOrg, synced with the
// org-level token and args.
func gridFixture(users int, args ...string) orgFixture {
	return orgFixture{name: fmt.Sprintf("grid users %d %s", users, strings.Join(args, " ")), args: args,
		serve: func(t *testing.T) (*slacktest.Server, string) { return gridOrg(t, users) }}
}

// snapshot is one read-only open of a warehouse for several checks: each
// open of a DuckDB file costs tens of milliseconds of CPU. Close it before
// the next command that writes the file.
type snapshot struct {
	t      *testing.T
	db     *warehouse.DB
	closed bool
}

func readSnapshot(t *testing.T, path string) *snapshot {
	t.Helper()
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	s := &snapshot{t: t, db: db}
	t.Cleanup(func() {
		if !s.closed {
			db.Close()
		}
	})
	return s
}

// Int is the first column of q's first row (0 for NULL).
func (s *snapshot) Int(q string, args ...any) int {
	s.t.Helper()
	var n sql.NullInt64
	require.NoError(s.t, s.db.SQL().QueryRow(q, args...).Scan(&n), q)
	return int(n.Int64)
}

// String is the first column of q's first row ("" for NULL).
func (s *snapshot) String(q string, args ...any) string {
	s.t.Helper()
	var v sql.NullString
	require.NoError(s.t, s.db.SQL().QueryRow(q, args...).Scan(&v), q)
	return v.String
}

// Close closes the warehouse.
func (s *snapshot) Close() {
	s.closed = true
	require.NoError(s.t, s.db.Close())
}
