package main

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

// A panic in a source's goroutine is the sync's error, reported as an
// internal error with its stack (exit 1), not a crash of the process
// (which the Go runtime would end with exit code 2, a usage error).
func TestPanicInASourceIsAnInternalError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, tempDB(t), warehouse.Options{})
	require.NoError(t, err)
	defer db.Close()
	run, err := db.BeginRun(ctx, warehouse.RunInfo{AsOf: time.Now()})
	require.NoError(t, err)
	_, err = runSources(ctx, run, []plannedSource{{src: panicSource{}, teamID: "T1", required: true}}, nil, syncOptions{})
	require.Error(t, err)
	var ie *internalError
	require.True(t, errors.As(err, &ie), "got %v", err)
	assert.Contains(t, err.Error(), "internal error: a bug in a reader")
	assert.Contains(t, string(ie.stack), "panicSource")
	require.Error(t, run.Fail(ctx, err))
}

func TestActRefusesASCIMURLThatCannotBeRight(t *testing.T) {
	t.Parallel()
	c := newCLI(t, map[string]string{"SLACK_TOKEN": "xoxp-never-sent-0000"})
	for _, u := range []string{"https://api.slack.com/scim/v2/?x=1", "ftp://scim.example/", "https://scim.example/v2/#frag"} {
		r := c.run("act", "deactivate", "--db", tempDB(t), "--users", "U1", "--scim-url", u)
		assert.Equal(t, exitUsage, r.code, u)
		assert.Contains(t, r.stderr, "--scim-url", u)
	}
}
