package main

import (
	"context"

	"github.com/spf13/cobra"

	"slackaudit/actions"
	"slackaudit/warehouse"
)

type notifyFlags struct {
	actionFlags
	message string
	channel string
}

// notifyLong and notifyExamples are notify's help.
const (
	notifyLong = `
Sends each targeted person a message with chat.postMessage: directly (a DM
from the app) by default, or in --channel, one message per person. With
--channel and no targets, sends the message once to the channel. Like act,
it shows the plan and the rendered messages, sends nothing without --yes and
a connection whose permission is act, refuses more than --max messages, skips
bots and deactivated accounts, and logs every message in actions_log.
Messages to one channel are paced at one a second, as Slack asks.

The message is a Go template over the recipient:
  {{.Name}}        real name, else handle      {{.Mention}}   <@U…>, shown as the name
  {{.Email}}       email address               {{.UserID}}    U… / W…
  {{.LastUsed}}    2026-05-01, never, unknown  {{.DaysUnused}} days since, when known
  {{.SeatType}}    owner, admin, member, multi_channel_guest, single_channel_guest, …
  {{.Workspace}}   T… / E…                     {{.Reason}}    why the person was chosen
  {{.Fields.COLUMN}}  any column of the --from-query / --from-sql row (e.g. monthly_cost)
A field the recipient lacks stops the run before anything is sent. Values are
escaped (&, <, >), so a name or a column cannot add a mention or a link;
markup such as <!here> is sent only when written in the template itself.

Needs Pro, Business+ or Enterprise Grid and the chat:write scope.`
	notifyExamples = `  slackaudit notify --from-query inactive_paid_seats --param days=60 \
    --message "Hi {{.Name}}, you have not used Slack since {{.LastUsed}}. Reply if you still need your {{.SeatType}} seat."
  slackaudit notify --users U012AB3CD --message "Your seat will be freed on Friday." --yes --permission act
  slackaudit notify --channel C0123 --from-query never_used --message "{{.Mention}} has never signed in." --yes`
)

func newNotifyCmd(e *env, g *persistent) *cobra.Command {
	f := &notifyFlags{}
	c := &cobra.Command{
		Use:         `notify --message TEMPLATE (--users U1,U2 | --from-query NAME [--param k=v] | --from-sql SQL | --channel C) [--channel C] [--yes]`,
		Short:       "send people a Slack message about their seat, one by one or in a channel (dry run unless --yes)",
		Long:        notifyLong,
		Example:     notifyExamples,
		Args:        exactArgs(0),
		Annotations: map[string]string{annWarehouse: warehouse.DefaultPath},
		RunE:        func(cmd *cobra.Command, _ []string) error { return f.run(cmd.Context(), e, g.db) },
	}
	f.actionFlags.register(c.Flags())
	c.Flags().StringVar(&f.message, "message", "", "the message: a `TEMPLATE` over the recipient (see above)")
	c.Flags().StringVar(&f.channel, "channel", "", "post in this channel (`C…`) instead of messaging each person directly")
	return c
}

// run sends the message to the flags' targets.
func (f *notifyFlags) run(ctx context.Context, e *env, dbPath string) error {
	if err := f.check(); err != nil {
		return err
	}
	if f.message == "" {
		return usagef("notify needs --message TEXT")
	}
	if !f.hasTargets() && f.channel == "" {
		return usagef("say whom to notify: --users U1,U2 (IDs or emails), --from-query NAME, --from-sql SQL, or --channel C")
	}
	msg, err := actions.ParseMessage(f.message)
	if err != nil {
		return usagef("--message: %v", err)
	}
	req := actions.Request{Action: actions.Notify, Channel: f.channel, Message: msg, Source: "--channel " + f.channel}
	return f.carryOut(ctx, e, dbPath, req)
}
