package slacktest_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

type postedJS struct {
	OK      bool   `json:"ok"`
	Channel string `json:"channel"`
	TS      string `json:"ts"`
	Message struct {
		User   string           `json:"user"`
		Type   string           `json:"type"`
		TS     string           `json:"ts"`
		BotID  string           `json:"bot_id"`
		AppID  string           `json:"app_id"`
		Text   string           `json:"text"`
		Team   string           `json:"team"`
		Blocks []map[string]any `json:"blocks"`
	} `json:"message"`
}

// channel returns a workspace channel by name.
func channel(t *testing.T, o *slacktest.Org, teamID, name string) slacktest.Channel {
	t.Helper()
	for _, ch := range o.Channels(teamID) {
		if ch.Name == name {
			return ch
		}
	}
	t.Fatalf("no channel %s", name)
	return slacktest.Channel{}
}

func TestChatPostMessage(t *testing.T) {
	srv, _ := newServer(t, slacktest.Config{Seed: 9, Users: 200}, slacktest.WithRateLimits(false))
	o := srv.Org()
	team := o.Teams[0].ID
	botTok := o.BotToken("chat:write")
	bot := addToken(srv, botTok)
	owner := addToken(srv, o.UserToken(o.AdminToken().UserID, "chat:write"))
	general := channel(t, o, team, "general")

	// A bot posts to a channel it was added to (form body).
	p := decode[postedJS](t, call(t, srv, "chat.postMessage", form("token", bot, "channel", general.ID, "text", "Hello *world*")))
	require.True(t, p.OK)
	require.Equal(t, general.ID, p.Channel)
	require.Regexp(t, regexp.MustCompile(`^\d{10}\.\d{6}$`), p.TS)
	require.Equal(t, p.TS, p.Message.TS)
	require.Equal(t, "message", p.Message.Type)
	require.Equal(t, "Hello *world*", p.Message.Text)
	require.Equal(t, botTok.UserID, p.Message.User)
	botUser := o.User(botTok.UserID)
	require.Equal(t, botUser.BotID, p.Message.BotID)
	require.Equal(t, botUser.AppID, p.Message.AppID)
	require.Equal(t, team, p.Message.Team)

	// A person gets a direct message: channel is a user ID (JSON body, blocks only).
	person := find(t, o, isMember(team))
	blocks := `[{"type":"section","text":{"type":"mrkdwn","text":"You have been *inactive*"}}]`
	r := callJSON(t, srv, "chat.postMessage", bot, map[string]any{"channel": person.ID,
		"blocks": []map[string]any{{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": "You have been *inactive*"}}}})
	dm := decode[postedJS](t, r)
	require.True(t, dm.OK, "%s", r.Body)
	require.True(t, strings.HasPrefix(dm.Channel, "D"), dm.Channel)
	require.Len(t, dm.Message.Blocks, 1)
	// The same pair always shares the DM channel; blocks as a form string work too.
	dm2 := decode[postedJS](t, call(t, srv, "chat.postMessage", form("token", bot, "channel", person.ID, "blocks", blocks, "text", "fallback")))
	require.Equal(t, dm.Channel, dm2.Channel)
	require.NotEqual(t, dm.TS, dm2.TS)

	// An admin posts to announcements; a channel name works.
	requireOK(t, call(t, srv, "chat.postMessage", form("token", owner, "channel", "#announcements", "text", "Maintenance tonight")))

	msgs := o.Messages()
	require.Len(t, msgs, 4)
	require.Equal(t, slacktest.Message{TeamID: team, Channel: general.ID, Poster: botTok.UserID, BotID: botUser.BotID,
		Text: "Hello *world*", TS: p.TS}, msgs[0])
	require.Equal(t, person.ID, msgs[1].User)
	require.Equal(t, dm.Channel, msgs[1].Channel)
	require.JSONEq(t, blocks, msgs[1].Blocks)
	require.Equal(t, "fallback", msgs[2].Text)
	require.Equal(t, channel(t, o, team, "announcements").ID, msgs[3].Channel)
	require.Equal(t, o.AdminToken().UserID, msgs[3].Poster)
	require.Empty(t, msgs[3].BotID)
}

func TestChatPostMessageErrors(t *testing.T) {
	srv, _ := newServer(t, slacktest.Config{Seed: 9, Users: 200}, slacktest.WithRateLimits(false))
	o := srv.Org()
	team := o.Teams[0].ID
	bot := addToken(srv, o.BotToken("chat:write"))
	member := addToken(srv, o.UserToken(find(t, o, isMember(team)).ID, "chat:write"))
	gone := find(t, o, func(u *slacktest.User) bool { return u.Deleted && u.IsHuman() })
	general := channel(t, o, team, "general").ID
	for _, tt := range []struct {
		name, tok string
		kv        []string
		code      string
	}{
		{"no channel", bot, []string{"text", "x"}, "channel_not_found"},
		{"unknown channel", bot, []string{"channel", "C0NOPE", "text", "x"}, "channel_not_found"},
		{"unknown user", bot, []string{"channel", "U0NOPE", "text", "x"}, "channel_not_found"},
		{"deactivated user", bot, []string{"channel", gone.ID, "text", "x"}, "channel_not_found"},
		{"bot not in channel", bot, []string{"channel", channel(t, o, team, "random").ID, "text", "x"}, "not_in_channel"},
		{"archived", bot, []string{"channel", channel(t, o, team, "project-legacy").ID, "text", "x"}, "is_archived"},
		{"announcements, member", member, []string{"channel", "announcements", "text", "x"}, "restricted_action"},
		{"announcements, bot", bot, []string{"channel", "announcements", "text", "x"}, "restricted_action"},
		{"no text", bot, []string{"channel", general}, "no_text"},
		{"too long", bot, []string{"channel", general, "text", strings.Repeat("é", 40001)}, "msg_too_long"},
		{"bad blocks", bot, []string{"channel", general, "blocks", `{"type":"section"}`}, "invalid_blocks"},
		{"block without type", bot, []string{"channel", general, "blocks", `[{"text":"x"}]`}, "invalid_blocks"},
		{"markdown and text", bot, []string{"channel", general, "text", "x", "markdown_text", "**x**"}, "markdown_text_conflict"},
		{"too many attachments", bot, []string{"channel", general, "attachments", "[" + strings.Repeat(`{},`, 100) + "{}]"}, "too_many_attachments"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			requireError(t, call(t, srv, "chat.postMessage", form(append([]string{"token", tt.tok}, tt.kv...)...)), tt.code)
		})
	}
	require.Empty(t, o.Messages(), "refused posts are not recorded")
	// Exactly 40,000 characters is fine; people may post where bots may not.
	requireOK(t, call(t, srv, "chat.postMessage", form("token", bot, "channel", general, "text", strings.Repeat("é", 40000))))
	requireOK(t, call(t, srv, "chat.postMessage", form("token", member, "channel", "random", "text", "hi")))
	requireOK(t, call(t, srv, "chat.postMessage", form("token", bot, "channel", general, "markdown_text", "**bold**")))

	e := requireError(t, call(t, srv, "chat.postMessage", form("token", o.AdminToken().Value, "channel", general, "text", "x")), "missing_scope")
	require.Equal(t, "chat:write", e.Needed)
	grid, org := newWriteGrid(t, 100, 2)
	requireError(t, call(t, grid, "chat.postMessage", form("token", org.Value, "channel", "general", "text", "x")), "not_allowed_token_type")
	// Another workspace's member is not reachable by DM.
	g := grid.Org()
	gbot := addToken(grid, g.BotToken("chat:write"))
	other := find(t, g, func(u *slacktest.User) bool { return isMember(g.Teams[1].ID)(u) && !u.InTeam(g.Teams[0].ID) })
	requireError(t, call(t, grid, "chat.postMessage", form("token", gbot, "channel", other.ID, "text", "x")), "channel_not_found")
}

func TestChatPostMessageRateLimit(t *testing.T) {
	// Scale 10: a 10 s window, so a slow machine still sees the second post early.
	srv, _ := newServer(t, slacktest.Config{Seed: 9, Users: 100}, slacktest.WithTimeScale(10))
	o := srv.Org()
	bot := addToken(srv, o.BotToken("chat:write"))
	post := func(ch string) response {
		return call(t, srv, "chat.postMessage", form("token", bot, "channel", ch, "text", "x"))
	}
	requireOK(t, post("general"))
	r := post("general")
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	require.Equal(t, "1", r.Header.Get("Retry-After"))
	require.Equal(t, "ratelimited", decode429(t, r))
	requireOK(t, post("engineering")) // one message a second per channel, not per workspace
	require.Len(t, o.Messages(), 2)
	require.Equal(t, 3, srv.Calls("chat.postMessage"))
}

// decode429 returns the error of a 429 body.
func decode429(t *testing.T, r response) string {
	t.Helper()
	var e slackError
	require.NoError(t, jsonUnmarshal(r.Body, &e))
	return e.Error
}
