package pipeline

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
	"slackaudit/warehouse"
)

// orgServer serves a synthetic org without rate limits and returns its
// workspace admin token; with grid, an org-level token with every admin
// read scope instead.
func orgServer(t *testing.T, cfg slacktest.Config, grid bool) (*slacktest.Server, string) {
	t.Helper()
	srv := slacktest.NewServer(slacktest.NewOrg(cfg), slacktest.WithRateLimits(false))
	t.Cleanup(srv.Close)
	if !grid {
		return srv, srv.Org().AdminToken().Value
	}
	tok := srv.Org().OrgToken(append(slacktest.AdminScopes(), "admin.teams:read", "admin.users:read", "admin.analytics:read", "admin.apps:read")...)
	srv.AddToken(tok)
	return srv, tok.Value
}

// options are a sync's options against srv with tok, into a fresh
// warehouse, as of the org's clock.
func options(t *testing.T, srv *slacktest.Server, tok string) Options {
	t.Helper()
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: tok, NoRateLimit: true, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	return Options{Client: c, DB: openDB(t), AsOf: srv.Org().Now}
}

func openDB(t *testing.T) *warehouse.DB {
	t.Helper()
	db, err := warehouse.Open(context.Background(), filepath.Join(t.TempDir(), "audit.duckdb"), warehouse.Options{Tables: Tables()})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func queryInt(t *testing.T, db *warehouse.DB, q string, args ...any) int64 {
	t.Helper()
	var n sql.NullInt64
	require.NoError(t, db.SQL().QueryRow(q, args...).Scan(&n))
	return n.Int64
}

func queryString(t *testing.T, db *warehouse.DB, q string, args ...any) string {
	t.Helper()
	var s sql.NullString
	require.NoError(t, db.SQL().QueryRow(q, args...).Scan(&s))
	return s.String
}
