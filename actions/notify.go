package actions

import (
	"context"
	"fmt"
	"strings"
	"text/template"
	"time"

	"slackaudit/extract/slackapi"
)

// Person is what a message template can use about its recipient:
//
//	Hi {{.Name}}, you last used Slack on {{.LastUsed}} ({{.DaysUnused}} days ago)
//	and hold a {{.SeatType}} seat. {{.Mention}} {{.Fields.monthly_cost}}
type Person struct {
	UserID   string
	Name     string // real name, else handle, else email
	Handle   string
	RealName string
	Email    string
	// Workspace is the workspace the action applies to (T…) or the
	// organisation (E…).
	Workspace string
	// LastUsed is the day the person last used Slack (2006-01-02), "never",
	// or "unknown" when the targets did not come from the warehouse.
	LastUsed string
	// DaysUnused is the whole days since LastUsed; empty when unknown.
	DaysUnused string
	// SeatType is the seat the person holds: owner, admin, member,
	// multi_channel_guest, single_channel_guest, invited, bot or deactivated.
	SeatType string
	// Mention is <@USERID>, which Slack shows as the person's name. The
	// other fields are escaped (&amp; &lt; &gt;): they are shown as text.
	Mention string
	// Reason is why the person was chosen.
	Reason string
	// Fields holds every column of the warehouse row the person came from.
	Fields map[string]string
}

// ParseMessage parses a notification template. Fields a template uses that
// a recipient lacks are errors, found while planning, before anything is sent.
func ParseMessage(text string) (*template.Template, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("the message is empty")
	}
	t, err := template.New("message").Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("message template: %w", err)
	}
	return t, nil
}

// person builds the template data from the target and the account. Every
// value is escaped as Slack's message text requires (&, < and >), so a
// name or a warehouse column cannot add a mention, a link or a
// <!channel>; Mention is built afterwards and stays a real mention. The
// template's own text is the author's and is sent as written.
func (t Target) person(m *member, workspace string) Person {
	p := Person{UserID: t.UserID, Email: t.Email, Name: t.Name, Workspace: workspace, LastUsed: t.LastUsed,
		DaysUnused: t.DaysUnused, SeatType: t.SeatType, Reason: t.Reason}
	if m != nil {
		p.UserID, p.Handle, p.RealName = m.ID, m.Handle, m.RealName
		p.Email = orString(p.Email, m.Email)
		p.Name = orString(p.Name, m.name())
		p.SeatType = orString(p.SeatType, m.seatType().String())
	}
	p.Name = orString(p.Name, orString(p.Email, p.UserID))
	if p.LastUsed == "" {
		p.LastUsed = "unknown"
	}
	for _, f := range []*string{&p.UserID, &p.Name, &p.Handle, &p.RealName, &p.Email, &p.Workspace, &p.LastUsed,
		&p.DaysUnused, &p.SeatType, &p.Reason} {
		*f = escapeText(*f)
	}
	p.Fields = make(map[string]string, len(t.Fields))
	for k, v := range t.Fields {
		p.Fields[k] = escapeText(v)
	}
	if p.UserID != "" {
		p.Mention = "<@" + p.UserID + ">"
	}
	return p
}

// escapeText escapes s for Slack's message text, where <…> is markup
// (mentions, links, <!channel>) and & starts an entity.
var escapeText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

// render fills st.Message from the template.
func (st *Step) render(t *template.Template) error {
	if t == nil {
		return nil
	}
	var b strings.Builder
	if err := t.Execute(&b, st.person); err != nil {
		who := orString(st.UserID, orString(st.Email, "the channel"))
		return fmt.Errorf("message template for %s: %w", who, err)
	}
	st.Message = b.String()
	if strings.TrimSpace(st.Message) == "" {
		return fmt.Errorf("message template for %s renders empty; Slack refuses empty messages (no_text)", orString(st.UserID, "the channel"))
	}
	return nil
}

// pacer keeps messages to one channel at least every apart: Slack allows
// about one message a second per channel.
type pacer struct {
	clock Clock
	every time.Duration
	last  map[string]time.Time
}

func (p *pacer) wait(ctx context.Context, channel string) error {
	if last, ok := p.last[channel]; ok {
		if d := last.Add(p.every).Sub(p.clock.Now()); d > 0 {
			if err := p.clock.Sleep(ctx, d); err != nil {
				return err
			}
		}
	}
	p.last[channel] = p.clock.Now()
	return nil
}

// send posts text to channel, paced per channel. Slack's rate_limited
// answer (in the body, unlike HTTP 429, which the transport waits out) is
// retried after a pause, a few times.
func (s *Session) send(ctx context.Context, channel, text string) error {
	for attempt := 0; ; attempt++ {
		if err := s.pace.wait(ctx, channel); err != nil {
			return err
		}
		err := s.c.PostMessage(ctx, "", channel, text)
		e, ok := slackapi.AsError(err)
		if !ok || e.Code != "rate_limited" || attempt >= 3 {
			return err
		}
	}
}
