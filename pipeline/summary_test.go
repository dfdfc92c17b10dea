package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
	"slackaudit/queries/report"
)

func TestSummarySaysWhatWasSyncedAndTheFloorOnRequest(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 29, Users: 80}, false)
	o := options(t, srv, tok)
	o.Skip = map[string]bool{"access_logs": true}
	res, err := Run(context.Background(), o)
	require.NoError(t, err)
	require.Positive(t, res.Floor, "the calls a sync makes have a floor")

	var plain, verbose bytes.Buffer
	res.WriteSummary(&plain, "/tmp/audit.duckdb", false, report.WriteGaps)
	res.WriteSummary(&verbose, "/tmp/audit.duckdb", true, report.WriteGaps)
	text := plain.String()
	assert.True(t, strings.HasPrefix(text, fmt.Sprintf("Synced %s as of %s — run %d, mode %s, in ", res.Title,
		res.AsOf.Format("2006-01-02 15:04:05Z"), res.RunID, res.Mode)), text)
	assert.Regexp(t, `(?m)^  users +\d[\d,]* rows$`, text)
	assert.NotRegexp(t, `(?m)^  access_logs +\d`, text, "a skipped data set's empty table is left out")
	assert.Regexp(t, `(?m)^  access_logs \(T\w+\): skipped with --skip$`, text)
	assert.True(t, strings.HasSuffix(text, "Warehouse: /tmp/audit.duckdb\n"), text)
	assert.NotContains(t, text, "floor ")

	line := fmt.Sprintf("floor %.1f min (%s), took %.1f min\n", res.Floor.Minutes(), res.FloorMethod, res.Elapsed.Minutes())
	assert.Regexp(t, `^floor \d+\.\d min \([a-z.A-Z]+\), took \d+\.\d min\n$`, line)
	calls := regexp.MustCompile(`(?m)^API calls: .*\n`).FindString(text)
	require.NotEmpty(t, calls)
	assert.Equal(t, strings.Replace(text, calls, calls+line, 1), verbose.String(), "the floor line follows the API calls")

	res.Floor = 0
	var none bytes.Buffer
	res.WriteSummary(&none, "/tmp/audit.duckdb", true, report.WriteGaps)
	assert.Equal(t, text, none.String(), "no floor line without a floor")
}

func TestThousands(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -45678: "-45,678"} {
		assert.Equal(t, want, Thousands(n))
	}
}
