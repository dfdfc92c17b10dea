package warehouse_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
)

func TestExportSummaryCountsInWords(t *testing.T) {
	t.Parallel()
	cases := []struct {
		tables []warehouse.ManifestTable
		want   string
	}{
		{[]warehouse.ManifestTable{{Name: "sync_runs", Rows: 1, Path: "sync_runs.csv"}},
			"Exported 1 table (1 row) from sync 7 as csv to out\n" +
				"  sync_runs                       1 row   sync_runs.csv\n"},
		{[]warehouse.ManifestTable{{Name: "users", Rows: 1233, Path: "users"}, {Name: "sync_runs", Rows: 1, Path: "sync_runs.csv"}},
			"Exported 2 tables (1,234 rows) from sync 7 as csv to out\n" +
				"  users                       1,233 rows  users\n" +
				"  sync_runs                       1 row   sync_runs.csv\n"},
		{[]warehouse.ManifestTable{{Name: "member_activity", Rows: 0, Path: "member_activity"}},
			"Exported 1 table (0 rows) from sync 7 as csv to out\n" +
				"  member_activity                 0 rows  member_activity\n"},
	}
	for _, tc := range cases {
		m := warehouse.Manifest{RunID: 7, Format: warehouse.ExportCSV, Tables: tc.tables}
		var b bytes.Buffer
		require.NoError(t, m.WriteSummary(&b, "out"))
		assert.Equal(t, tc.want, b.String())
	}
}
