package slacktest

import (
	"bytes"
	"encoding/json"
	"time"
	"unicode/utf8"
)

// chat.postMessage limits.
const (
	maxMessageRunes    = 40000 // longer text is msg_too_long
	maxAttachments     = 100   // more is too_many_attachments
	chatPerChannelRate = "chat.postMessage/channel"
)

// target is where a chat.postMessage call posts.
type target struct {
	channel string // C… or D…
	user    string // DM recipient
}

// chatPostMessage answers chat.postMessage and records the message
// (Org.Messages). channel is a channel ID or name of the token's
// workspace, or a user ID, which opens a direct message with that person.
// Checks, in order: channel_not_found (unknown channel; unknown,
// deactivated or other-workspace user); is_archived; not_in_channel (a bot
// token in a channel its bot was not added to; people may post in every
// channel); restricted_action (announcements: admins and owners only);
// markdown_text_conflict; invalid_blocks (blocks not a JSON array of
// objects with a type); invalid_attachments and too_many_attachments (over
// 100); no_text (no text, blocks, attachments or markdown_text);
// msg_too_long (text over 40,000 characters); then, with rate limits on,
// HTTP 429 beyond one message per second per channel (checked last, so
// refused calls do not use up the channel's allowance).
func (s *Server) chatPostMessage(c *call) {
	to, code := s.chatTarget(c)
	if code != "" {
		c.fail(code)
		return
	}
	blocks, code := chatContent(c)
	if code != "" {
		c.fail(code)
		return
	}
	if s.rateLimits {
		window := time.Duration(float64(time.Second) * s.scale)
		key := limitKey{method: chatPerChannelRate, team: c.team.ID + "/" + to.channel}
		if ok, wait := s.limiter.allow(key, 1, window, time.Now()); !ok {
			c.rateLimited(retryAfterSeconds(wait, s.scale))
			return
		}
	}
	m := Message{
		TeamID: c.team.ID, Channel: to.channel, User: to.user, Poster: c.tok.UserID,
		Text: c.param("text"), Blocks: blocks, ThreadTS: c.param("thread_ts"),
	}
	if m.Text == "" {
		m.Text = c.param("markdown_text")
	}
	if c.tok.Kind == TokenBot && c.user != nil {
		m.BotID = c.user.BotID
	}
	m = s.org.post(m)
	s.writePosted(c, &m)
}

// chatTarget resolves the channel argument.
func (s *Server) chatTarget(c *call) (target, string) {
	o := s.org
	ref := c.param("channel")
	if ref == "" {
		return target{}, "channel_not_found"
	}
	if u := o.user(ref); u != nil {
		if u.Deleted || !u.InTeam(c.team.ID) {
			return target{}, "channel_not_found"
		}
		return target{channel: o.dmChannel(c.tok.UserID, u.ID), user: u.ID}, ""
	}
	ch := o.findChannel(c.team.ID, ref)
	switch {
	case ch == nil:
		return target{}, "channel_not_found"
	case ch.IsArchived:
		return target{}, "is_archived"
	case c.tok.Kind == TokenBot && !ch.BotMember:
		return target{}, "not_in_channel"
	case ch.AdminsOnly && (c.tok.Kind == TokenBot || !isAdminOrOwner(c.user)):
		return target{}, "restricted_action"
	}
	return target{channel: ch.ID}, ""
}

// chatContent checks the message content and returns the blocks as
// compact JSON.
func chatContent(c *call) (string, string) {
	text, md := c.param("text"), c.param("markdown_text")
	blocks, atts := c.param("blocks"), c.param("attachments")
	if md != "" && (text != "" || blocks != "") {
		return "", "markdown_text_conflict"
	}
	var compact bytes.Buffer
	if blocks != "" {
		var bs []struct {
			Type *string `json:"type"`
		}
		if json.Unmarshal([]byte(blocks), &bs) != nil || len(bs) == 0 {
			return "", "invalid_blocks"
		}
		for _, b := range bs {
			if b.Type == nil || *b.Type == "" {
				return "", "invalid_blocks"
			}
		}
		_ = json.Compact(&compact, []byte(blocks)) // valid: just decoded
	}
	if atts != "" {
		var as []json.RawMessage
		if json.Unmarshal([]byte(atts), &as) != nil {
			return "", "invalid_attachments"
		}
		if len(as) > maxAttachments {
			return "", "too_many_attachments"
		}
	}
	switch {
	case text == "" && md == "" && blocks == "" && atts == "":
		return "", "no_text"
	case utf8.RuneCountInString(text) > maxMessageRunes:
		return "", "msg_too_long"
	}
	return compact.String(), ""
}

// writePosted answers a successful post in the shape of Slack's example.
func (s *Server) writePosted(c *call, m *Message) {
	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"channel":`)
	e.str(m.Channel)
	e.raw(`,"ts":`)
	e.str(m.TS)
	e.raw(`,"message":{"user":`)
	e.str(m.Poster)
	e.raw(`,"type":"message","ts":`)
	e.str(m.TS)
	if m.BotID != "" {
		e.raw(`,"bot_id":`)
		e.str(m.BotID)
		e.raw(`,"app_id":`)
		e.str(c.user.AppID)
	}
	e.raw(`,"text":`)
	e.str(m.Text)
	e.raw(`,"team":`)
	e.str(m.TeamID)
	if m.Blocks != "" {
		e.raw(`,"blocks":`)
		e.raw(m.Blocks)
	}
	if m.ThreadTS != "" {
		e.raw(`,"thread_ts":`)
		e.str(m.ThreadTS)
	}
	e.raw(`}}`)
	c.ok(e)
}
