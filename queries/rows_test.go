package queries

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// warehouseFile is a new, empty warehouse file.
func warehouseFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	require.NoError(t, db.Close())
	return path
}

func TestRowsReadsReadOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := warehouseFile(t)
	db, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()

	res, err := Rows(ctx, db, "SELECT * FROM (VALUES ('U1', 3::BIGINT), ('U2', NULL)) t(user_id, days) WHERE user_id <> $skip",
		sql.Named("skip", "U0"))
	require.NoError(t, err)
	assert.Equal(t, []string{"user_id", "days"}, res.Columns())
	var got [][]any
	for row, err := range res.All() {
		require.NoError(t, err)
		got = append(got, row)
	}
	assert.Equal(t, [][]any{{"U1", int64(3)}, {"U2", nil}}, got)
	require.NoError(t, res.Close())

	res, err = Rows(ctx, db, "SELECT range AS n FROM range(100000)")
	require.NoError(t, err)
	for row := range res.All() {
		assert.Equal(t, int64(0), row[0])
		break
	}
	require.NoError(t, res.Close(), "a result left half read closes")

	_, err = Rows(ctx, db, "COPY (SELECT 1) TO '"+filepath.Join(t.TempDir(), "x.csv")+"'")
	_, refused := warehouse.AsRefused(err)
	assert.True(t, refused, "the session is locked down: %v", err)
	_, err = Rows(ctx, db, "DELETE FROM users")
	assert.Error(t, err)

	_, err = Rows(ctx, db, "SELECT 1; SELECT 2")
	assert.ErrorIs(t, err, warehouse.ErrMultipleStatements)
}

func TestRowsNeedsAReadOnlyWarehouse(t *testing.T) {
	t.Parallel()
	db, err := warehouse.Open(context.Background(), warehouseFile(t), warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	defer db.Close()
	_, err = Rows(context.Background(), db, "SELECT 1")
	assert.EqualError(t, err, "queries.Rows runs statements on a warehouse opened read-only")
}
