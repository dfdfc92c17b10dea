package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

func TestNotifyRendersTheTemplateFromTheWarehouse(t *testing.T) {
	t.Parallel()
	srv, tok := actOrg(t, slacktest.Config{Seed: 51, Users: 120})
	o := srv.Org()
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok, "SLACKAUDIT_PERMISSION": "act"})
	require.Equal(t, exitOK, c.run("sync", "--db", db, "--api-url", srv.URL()).code)
	ps := actPeople(o, 0, 3)
	sql := fmt.Sprintf(`SELECT l.user_id, l.seat_type, l.last_used_at, l.days_since_last_use, l.monthly_cost
		FROM licenses l WHERE user_id IN ('%s') ORDER BY user_id`, strings.ReplaceAll(ids(ps), ",", "','"))
	msg := "Hi {{.Name}}: your {{.SeatType}} seat was last used {{.LastUsed}} ({{.DaysUnused}} days ago) and costs {{.Fields.monthly_cost}} a month."

	r := c.act(srv, "notify", "--db", db, "--from-sql", sql, "--message", msg)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Plan: send a notification — 3 targets, 3 to send")
	assert.Contains(t, r.stdout, "#1 to "+ps[0].ID+": Hi "+ps[0].RealName+": your member seat was last used 2026-")
	assert.Empty(t, o.Messages(), "a dry run sends nothing")

	r = c.act(srv, "notify", "--db", db, "--from-sql", sql, "--message", msg, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	msgs := o.Messages()
	require.Len(t, msgs, 3)
	for i, m := range msgs {
		assert.Equal(t, ps[i].ID, m.User, "a direct message to each person")
		assert.Regexp(t, `^Hi `+ps[i].RealName+`: your member seat was last used 20\d\d-\d\d-\d\d \(\d+ days ago\) and costs [0-9.]+ a month\.$`, m.Text)
	}
	assert.Equal(t, 3, queryInt(t, db, "SELECT count(*) FROM actions_log WHERE action = 'notify' AND result = 'succeeded' AND NOT dry_run"))

	// Notifying is not idempotent: each run sends again. Bots and
	// deactivated accounts are skipped; a field a recipient lacks stops
	// the run before anything is sent.
	r = c.act(srv, "notify", "--db", db, "--users", ps[0].ID, "--message", "{{.Fields.monthly_cost}}", "--yes")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "monthly_cost")
	assert.Len(t, o.Messages(), 3)
}

func TestNotifyChannelIsPacedPerChannel(t *testing.T) {
	t.Parallel()
	// Rate limits on, at a fiftieth of Slack's timing: one message per
	// channel every 20 ms. Paced at 40 ms, no message is refused.
	srv, tok := actOrg(t, slacktest.Config{Seed: 52, Users: 80}, slacktest.WithRateLimits(true), slacktest.WithTimeScale(0.02))
	o := srv.Org()
	channel := o.Channels(o.Teams[0].ID)[0]
	ps := actPeople(o, 0, 3)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok, "SLACKAUDIT_PERMISSION": "act"})
	c.notifyEvery = 40 * time.Millisecond
	start := time.Now()
	r := c.act(srv, "notify", "--db", tempDB(t), "--users", ids(ps), "--channel", channel.ID, "--message", "{{.Mention}} has a {{.SeatType}} seat", "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.GreaterOrEqual(t, time.Since(start), 80*time.Millisecond)
	assert.Equal(t, 3, srv.Calls("chat.postMessage"), "no message was rate limited")
	msgs := o.Messages()
	require.Len(t, msgs, 3)
	for i, m := range msgs {
		assert.Equal(t, channel.ID, m.Channel)
		assert.Equal(t, "<@"+ps[i].ID+"> has a member seat", m.Text)
	}

	// One message to the channel, without targets.
	r = c.act(srv, "notify", "--db", tempDB(t), "--channel", channel.ID, "--message", "Seat review on Friday", "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "Seat review on Friday", o.Messages()[3].Text)

	// An unknown channel fails the first message and stops.
	r = c.act(srv, "notify", "--db", tempDB(t), "--users", ids(ps), "--channel", "C0NOPE", "--message", "hi", "--yes")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stdout, "channel_not_found")
	assert.Contains(t, r.stdout, "not attempted: step 1 failed")
	assert.Len(t, o.Messages(), 4)
}

func TestActNotifyFirst(t *testing.T) {
	t.Parallel()
	srv, tok := actOrg(t, slacktest.Config{Seed: 53, Users: 120})
	o := srv.Org()
	ps := actPeople(o, 0, 2)
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok, "SLACKAUDIT_PERMISSION": "act"})
	r := c.act(srv, "act", "deactivate", "--db", db, "--users", ids(ps), "--yes",
		"--notify-first", "Hi {{.Name}}, your {{.SeatType}} seat is being freed.")
	require.Equal(t, exitOK, r.code, r.stderr)
	msgs := o.Messages()
	require.Len(t, msgs, 2)
	for i, u := range ps {
		assert.Equal(t, u.ID, msgs[i].User)
		assert.Equal(t, "Hi "+u.RealName+", your member seat is being freed.", msgs[i].Text)
		assert.True(t, o.User(u.ID).Deleted)
	}
	assert.Equal(t, "1:notify:succeeded,1:deactivate:succeeded,2:notify:succeeded,2:deactivate:succeeded",
		queryString(t, db, "SELECT string_agg(step || ':' || action || ':' || result, ',' ORDER BY logged_at, step, action = 'deactivate') FROM actions_log"))
}
