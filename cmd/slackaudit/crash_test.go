package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
	"slackaudit/pipeline"
)

// A panic in a sync's goroutine (pipeline.PanicError, however wrapped) is
// an internal error with its stack, which exits 1 ("This is a bug"), not a
// usage error; an option the sync refuses is a usage error (exit 2).
// pipeline's TestPanicInASourceIsAnInternalError makes the panic.
func TestSyncErrorsAreReportedInTheCommandLinesTerms(t *testing.T) {
	t.Parallel()
	err := syncError(fmt.Errorf("sync: %w", &pipeline.PanicError{Value: "a bug in a reader", Stack: []byte("panicSource.Extract")}))
	var ie *internalError
	require.True(t, errors.As(err, &ie), "got %v", err)
	assert.Equal(t, "internal error: a bug in a reader", err.Error())
	assert.Equal(t, "panicSource.Extract", string(ie.stack))

	var ue usageError
	require.True(t, errors.As(syncError(&pipeline.OptionError{Msg: "--skip x: no such data set"}), &ue))
	assert.Equal(t, "--skip x: no such data set", ue.Error())

	plain := errors.New("users.list (team T1): invalid_auth")
	assert.Same(t, plain, syncError(plain))
}

// --skip names data sets of the sync: a name it does not read, or a data
// set it cannot do without, is a usage error that lists what it reads.
func TestSyncSkipNamesDataSetsOfTheSync(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 3, Users: 30})
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	db := tempDB(t)
	r := c.run("sync", "--db", db, "--api-url", srv.URL(), "--skip", "access_log")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--skip access_log: no such data set in this sync; data sets: access_logs, app_events, billable_info, user_groups, users, workspaces")
	r = c.run("sync", "--db", db, "--api-url", srv.URL(), "--skip", "users")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--skip users: the sync cannot do without users")
	assert.Equal(t, 2, queryInt(t, db, "SELECT count(*) FROM sync_runs WHERE status = 'failed'"), "both refused, nothing landed")
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
