package actions_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/actions"
	"slackaudit/extract/slacktest"
)

// runLog keeps what a Runner records, with the instant of each step.
type runLog struct {
	at    []time.Time
	steps []string
}

func (l *runLog) record(_ context.Context, at time.Time, _ *actions.Plan, st *actions.Step) error {
	l.at = append(l.at, at)
	l.steps = append(l.steps, st.UserID+":"+string(st.State))
	return nil
}

func TestRunnerDryRunPrintsThePlanAndHowToCarryItOut(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 8, Users: 60})
	ps := people(srv.Org(), 2, nil)
	clock := &fakeClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s := connect(t, srv, writeToken(srv), actions.Options{Clock: clock})
	var out bytes.Buffer
	var log runLog
	r := &actions.Runner{Session: s, Out: &out, Record: log.record, Batch: 7, LogQuery: "slackaudit query --named recent_actions"}
	require.NoError(t, r.Run(context.Background(), actions.Request{Action: actions.Deactivate, Targets: targets(ps...), DryRun: true}))

	text := out.String()
	assert.Contains(t, text, ps[0].ID)
	assert.Contains(t, text, "\nDry run: nothing was changed. To carry out 2 changes, run again with --yes.\n")
	assert.Contains(t, text, "This connection's permission is read: add --permission act")
	assert.NotContains(t, text, "Carrying out the plan:")
	assert.True(t, strings.HasSuffix(text, "Logged in actions_log as batch 7 (slackaudit query --named recent_actions --param dry_runs=true).\n"), text)
	assert.Equal(t, []string{ps[0].ID + ":planned", ps[1].ID + ":planned"}, log.steps)
	assert.Equal(t, []time.Time{clock.now, clock.now}, log.at, "steps are stamped by the session's clock")
	assert.Equal(t, 0, srv.Calls(slacktest.SCIMPatchUser))
}

func TestRunnerCarriesOutThePlanLineByLine(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 8, Users: 60})
	ps := people(srv.Org(), 2, nil)
	s := connect(t, srv, writeToken(srv), actions.Options{Permission: actions.PermissionAct})
	var out bytes.Buffer
	var log runLog
	r := &actions.Runner{Session: s, Out: &out, Record: log.record, Batch: 3, LogQuery: "q",
		Redact: func(s string) string { return strings.ReplaceAll(s, ps[0].ID, "[hidden]") }}
	require.NoError(t, r.Run(context.Background(), actions.Request{Action: actions.Deactivate, Targets: targets(ps...)}))

	text := out.String()
	live := text[strings.Index(text, "\nCarrying out the plan:\n"):]
	assert.NotContains(t, live, ps[0].ID, "each live line goes through Redact")
	assert.Contains(t, live, "[hidden]")
	assert.Contains(t, live, ps[1].ID)
	assert.Contains(t, text, "\nDone: ")
	assert.True(t, strings.HasSuffix(text, "Logged in actions_log as batch 3 (q).\n"), text)
	assert.Equal(t, []string{ps[0].ID + ":succeeded", ps[1].ID + ":succeeded"}, log.steps)
	assert.True(t, srv.Org().User(ps[0].ID).Deleted)

	// Again: everything is already done.
	out.Reset()
	require.NoError(t, r.Run(context.Background(), actions.Request{Action: actions.Deactivate, Targets: targets(ps...)}))
	assert.Contains(t, out.String(), "\nNothing to change: everything is already done or skipped.\n")
}

func TestRunnerStopsWhenAStepCannotBeRecorded(t *testing.T) {
	srv := org(t, slacktest.Config{Seed: 8, Users: 60})
	ps := people(srv.Org(), 2, nil)
	s := connect(t, srv, writeToken(srv), actions.Options{Permission: actions.PermissionAct})
	full := errors.New("disk full")
	r := &actions.Runner{Session: s, Out: &bytes.Buffer{}, LogQuery: "q",
		Record: func(context.Context, time.Time, *actions.Plan, *actions.Step) error { return full }}
	err := r.Run(context.Background(), actions.Request{Action: actions.Deactivate, Targets: targets(ps...)})
	require.ErrorIs(t, err, full)
	assert.False(t, srv.Org().User(ps[1].ID).Deleted, "the run stops at the first step it cannot log")
	assert.Equal(t, 1, srv.Calls(slacktest.SCIMPatchUser))
}

func TestListedTargetsTakeIDsAndEmails(t *testing.T) {
	got := actions.ListedTargets([]string{"U1, ann@example.com", "W2\tU3"}, "named with --users")
	assert.Equal(t, []actions.Target{
		{UserID: "U1", Reason: "named with --users"}, {Email: "ann@example.com", Reason: "named with --users"},
		{UserID: "W2", Reason: "named with --users"}, {UserID: "U3", Reason: "named with --users"},
	}, got)
}
