package extract_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

// testScale runs rate-limit windows, Retry-After and backoff 1000 times
// faster than real time, on both ends.
const testScale = 0.001

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixture is a synthetic org on loopback and a client for it.
type fixture struct {
	org    *slacktest.Org
	srv    *slacktest.Server
	client *slackapi.Client
}

func newFixture(t testing.TB, cfg slacktest.Config, opts ...slacktest.Option) *fixture {
	t.Helper()
	org := slacktest.NewOrg(cfg)
	srv := slacktest.NewServer(org, append([]slacktest.Option{slacktest.WithTimeScale(testScale)}, opts...)...)
	t.Cleanup(srv.Close)
	return &fixture{org: org, srv: srv, client: newClient(t, srv, org.AdminToken().Value)}
}

func newClient(t testing.TB, srv *slacktest.Server, token string) *slackapi.Client {
	t.Helper()
	c, err := slackapi.New(slackapi.Config{APIURL: srv.URL(), Token: token, TimeScale: testScale, Logger: quiet})
	require.NoError(t, err)
	return c
}

// table is a data set read into memory: column name → values.
type table struct {
	rows    int
	batches int
	cols    map[string][]any
}

func extractAll(t testing.TB, src extract.Source) (*table, error) {
	t.Helper()
	return extractAllCtx(t, context.Background(), src)
}

func extractAllCtx(t testing.TB, ctx context.Context, src extract.Source) (*table, error) {
	t.Helper()
	out := &table{cols: map[string][]any{}}
	err := src.Extract(ctx, func(rec arrow.RecordBatch) error {
		require.True(t, rec.Schema().Equal(src.Schema()), "batch schema differs from the source's")
		require.LessOrEqual(t, rec.NumRows(), int64(extract.MaxBatchRows))
		out.batches++
		out.rows += int(rec.NumRows())
		for i, f := range rec.Schema().Fields() {
			col := rec.Column(i)
			for r := 0; r < col.Len(); r++ {
				var v any
				if !col.IsNull(r) {
					switch c := col.(type) {
					case *array.String:
						v = c.Value(r)
					case *array.Boolean:
						v = c.Value(r)
					case *array.Int64:
						v = c.Value(r)
					case *array.Timestamp:
						v = c.Value(r).ToTime(arrow.Microsecond)
					default:
						v = c.ValueStr(r)
					}
				}
				out.cols[f.Name] = append(out.cols[f.Name], v)
			}
		}
		return nil
	})
	return out, err
}

func (tb *table) strings(col string) []string {
	out := make([]string, len(tb.cols[col]))
	for i, v := range tb.cols[col] {
		if s, ok := v.(string); ok {
			out[i] = s
		}
	}
	return out
}

// index returns the row of the first value of col equal to v.
func (tb *table) index(col string, v any) int {
	for i, x := range tb.cols[col] {
		if x == v {
			return i
		}
	}
	return -1
}
