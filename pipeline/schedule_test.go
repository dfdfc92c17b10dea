package pipeline

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/warehouse"
)

// panicSource stands for a data set whose reader has a bug.
type panicSource struct{ extract.Users }

func (panicSource) Extract(context.Context, func(arrow.RecordBatch) error) error {
	panic("a bug in a reader")
}

// A panic in a source's goroutine is the sync's error, a *PanicError with
// its stack that the command line reports as an internal error (exit 1),
// not a crash of the process (which the Go runtime would end with exit
// code 2, a usage error).
func TestPanicInASourceIsAnInternalError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	run, err := db.BeginRun(ctx, warehouse.RunInfo{AsOf: time.Now()})
	require.NoError(t, err)
	o := Options{}.withDefaults(time.Now())
	_, err = runSources(ctx, run, []plannedSource{{src: panicSource{}, teamID: "T1", required: true}}, &derivation{}, o)
	require.Error(t, err)
	var pe *PanicError
	require.True(t, errors.As(err, &pe), "got %v", err)
	assert.Contains(t, err.Error(), "internal error: a bug in a reader")
	assert.Contains(t, string(pe.Stack), "panicSource")
	require.Error(t, run.Fail(ctx, err))
}
