package slacktest

import (
	"slices"
	"strconv"
	"strings"
)

// Channels and posted messages, for chat.postMessage. Each workspace has
// the same eight channels, with IDs from the seed; the org's bots were
// added to some of them. Direct messages need no channel: posting to a
// user ID opens one.

// Channel is one channel of a workspace.
type Channel struct {
	ID, TeamID, Name string
	IsArchived       bool // posting answers is_archived
	BotMember        bool // the org's bots were added: bot tokens may post (else not_in_channel)
	AdminsOnly       bool // only admins and owners may post (else restricted_action)
}

// channelTemplates are every workspace's channels.
var channelTemplates = []struct {
	name                    string
	archived, bot, adminsOn bool
}{
	{name: "general", bot: true},
	{name: "random"},
	{name: "announcements", bot: true, adminsOn: true},
	{name: "engineering", bot: true},
	{name: "sales"},
	{name: "it-help", bot: true},
	{name: "ops-alerts", bot: true},
	{name: "project-legacy", archived: true, bot: true},
}

const saltChannels = 0x6368616e6e656c73

// Message is one message posted through chat.postMessage.
type Message struct {
	TeamID   string
	Channel  string // C… for a channel, D… for a direct message
	User     string // the recipient of a direct message; "" for a channel
	Poster   string // user ID of the token (a bot token's bot user; "" if it has none)
	BotID    string // bot tokens: the bot user's bot ID
	Text     string
	Blocks   string // the blocks argument as compact JSON; "" without blocks
	ThreadTS string // thread_ts, when replying
	TS       string // "<epoch>.<sequence>", unique in the org
}

// Channels returns the channels of the workspace teamID; nil for an
// unknown workspace.
func (o *Org) Channels(teamID string) []Channel {
	if o.Team(teamID) == nil {
		return nil
	}
	return slices.Clone(o.channels(teamID))
}

// channels returns the workspace's channels, generating them on first use.
func (o *Org) channels(teamID string) []Channel {
	if o.cache == nil {
		return o.makeChannels(teamID)
	}
	o.cache.mu.Lock()
	defer o.cache.mu.Unlock()
	if chs, ok := o.cache.channels[teamID]; ok {
		return chs
	}
	chs := o.makeChannels(teamID)
	o.cache.channels[teamID] = chs
	return chs
}

// makeChannels builds the workspace's channels.
func (o *Org) makeChannels(teamID string) []Channel {
	ti := o.teamIndex(teamID)
	if ti < 0 {
		return nil
	}
	chs := make([]Channel, len(channelTemplates))
	for i, t := range channelTemplates {
		h := mix64(uint64(o.Seed) ^ saltChannels ^ mix64(uint64(ti)) ^ mix64(uint64(i)+1))
		chs[i] = Channel{
			ID:     string(appendID(nil, 'C', h%idSpace)),
			TeamID: teamID, Name: t.name,
			IsArchived: t.archived, BotMember: t.bot, AdminsOnly: t.adminsOn,
		}
	}
	return chs
}

// findChannel looks a channel up by ID or by name ("general" or "#general").
func (o *Org) findChannel(teamID, ref string) *Channel {
	chs := o.channels(teamID)
	name := strings.TrimPrefix(ref, "#")
	for i := range chs {
		if chs[i].ID == ref || chs[i].Name == name {
			return &chs[i]
		}
	}
	return nil
}

// dmChannel is the ID of the direct-message channel between two accounts
// (the same whichever of them posts).
func (o *Org) dmChannel(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return string(appendID(nil, 'D', o.nameHash(a+":"+b)%idSpace))
}

// Messages returns every message posted so far, in posting order.
func (o *Org) Messages() []Message {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return slices.Clone(o.messages)
}

// post records m with the next timestamp and returns it. Callers hold
// o.mu exclusively.
func (o *Org) post(m Message) Message {
	seq := strconv.Itoa(len(o.messages) + 1)
	if len(seq) < 6 {
		seq = strings.Repeat("0", 6-len(seq)) + seq
	}
	m.TS = strconv.FormatInt(o.Now.Unix(), 10) + "." + seq
	o.messages = append(o.messages, m)
	return m
}
