package main

import (
	"context"

	"github.com/spf13/cobra"

	"slackaudit/actions"
	"slackaudit/warehouse"
)

type actFlags struct {
	actionFlags
	group       string
	emails      []string
	channels    []string
	notifyFirst string
}

// actLong and actExamples are act's help.
const (
	actLong = `
Plans a change, prints the plan (who, what, why, where) and, only with --yes
on a connection whose permission is act, carries it out. Every target's
outcome is a row in the warehouse's actions_log, written as it happens (the
warehouse is created if missing).

Actions:
  usergroup add|remove --group HANDLE_OR_ID   user groups (Pro and above; usergroups:read, usergroups:write)
  workspace add|remove --team T               Enterprise Grid workspaces (org-level token, admin.users:read,
                                              admin.users:write, admin.teams:read)
  workspace invite --team T --email E --channels C1,C2
  deactivate | reactivate                     accounts, through SCIM (Business+ and Grid; admin scope)

Targets: --users by ID or email; --from-query NAME runs a named query and
--from-sql a read-only SQL statement against the warehouse; either must
return user_id (and may return team_id, email, real_name, last_used_at,
days_since_last_use, seat_type, which feed the plan and messages).

Safe by default:
  - nothing changes without --yes; the plan is shown and logged as a dry run;
  - the connection's permission is read unless --permission act or
    SLACKAUDIT_PERMISSION=act;
  - --max (default 25) refuses larger plans; unknown targets refuse the batch;
  - the primary owner and the token's own user are never removed or
    deactivated, and bots, apps and Slackbot are never changed;
  - what is already done (already in the group, already deactivated) is
    skipped, so running the same command again changes nothing;
  - a failure stops the run unless --continue-on-error; the log shows
    exactly which targets changed. Rate limits are waited out.

SCIM: --scim-url defaults to https://api.slack.com/scim/v2/ when --api-url is
Slack's own, and to the --api-url host with /scim/v2/ otherwise.`
	actExamples = `  slackaudit act deactivate --from-query inactive_paid_seats --param days=90
  slackaudit act deactivate --from-query inactive_paid_seats --param days=90 --yes --permission act
  slackaudit act usergroup remove --group design --users U012AB3CD,ann@example.com --yes
  slackaudit act workspace remove --team T0123 --from-sql "SELECT user_id FROM users WHERE team_id = 'T0123' AND NOT deleted" --max 50
  slackaudit act workspace invite --team T0123 --email new.hire@example.com --channels C0456 --yes
  slackaudit act deactivate --users W0789 --notify-first "Hi {{.Name}}, your Slack seat is unused since {{.LastUsed}} and will be freed today." --yes`
)

func newActCmd(e *env, g *persistent) *cobra.Command {
	f := &actFlags{}
	c := &cobra.Command{
		Use: `act (usergroup add|remove --group HANDLE | workspace add|remove --team T | workspace invite --team T --email E --channels C1 | deactivate | reactivate)
       (--users U1,U2 | --from-query NAME [--param k=v] | --from-sql SQL) [--yes] [--max 25] [--continue-on-error] [--notify-first MESSAGE]`,
		Short:       "change Slack on the audit's findings: user groups, workspace membership, deactivation (dry run unless --yes)",
		Long:        actLong,
		Example:     actExamples,
		Args:        rangeArgs(1, 2),
		ValidArgs:   []string{"usergroup", "workspace", "deactivate", "reactivate"},
		Annotations: map[string]string{annWarehouse: warehouse.DefaultPath},
		RunE:        func(cmd *cobra.Command, args []string) error { return f.run(cmd.Context(), e, g.db, args) },
	}
	fs := c.Flags()
	f.actionFlags.register(fs)
	f.actionFlags.registerSCIM(fs)
	teamFlag(fs, &f.team)
	fs.StringVar(&f.group, "group", "", "user group handle (with or without @) or ID (S…)")
	listFlag(fs, &f.emails, "email", "workspace invite: email addresses to invite")
	listFlag(fs, &f.channels, "channels", "workspace invite: channel IDs the invitation adds the person to (at least one)")
	fs.StringVar(&f.notifyFirst, "notify-first", "", "send each person this `MESSAGE` (a template: {{.Name}} {{.LastUsed}} {{.SeatType}} …; see slackaudit notify --help) before acting; nobody is changed whose message fails (not with reactivate or workspace invite: the message could not reach them)")
	return c
}

// run plans the action args name on the flags' targets and carries it out.
func (f *actFlags) run(ctx context.Context, e *env, dbPath string, args []string) error {
	req, err := f.request(args)
	if err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	if f.notifyFirst != "" {
		if req.Message, err = actions.ParseMessage(f.notifyFirst); err != nil {
			return usagef("--notify-first: %v", err)
		}
	}
	if req.Action == actions.WorkspaceInvite {
		for _, s := range f.emails {
			req.Targets = append(req.Targets, actions.Target{Email: s, Reason: "named with --email"})
		}
		req.Source = "--email"
	}
	return f.carryOut(ctx, e, dbPath, req)
}

// request reads the action from the arguments and checks the flags it needs.
func (f *actFlags) request(args []string) (actions.Request, error) {
	var req actions.Request
	var err error
	if req.Action, err = f.action(args); err != nil {
		return req, err
	}
	if f.group != "" && req.Action != actions.UsergroupAdd && req.Action != actions.UsergroupRemove {
		return req, usagef("--group applies to act usergroup only")
	}
	if req.Action == actions.WorkspaceInvite {
		err = f.checkInvite()
	} else {
		err = f.checkTargets()
	}
	if err != nil {
		return req, err
	}
	if f.notifyFirst != "" && req.Action == actions.WorkspaceInvite {
		return req, usagef("--notify-first cannot reach people who are not in Slack yet; the invitation is their notice")
	}
	if f.notifyFirst != "" && req.Action == actions.Reactivate {
		return req, usagef("--notify-first cannot reach a deactivated account (Slack answers channel_not_found); reactivate first, then send the message with slackaudit notify")
	}
	req.Group, req.TeamID, req.Channels = f.group, f.team, f.channels
	return req, nil
}

// action is the action the arguments name: a noun and, for user groups
// and workspaces, a verb.
func (f *actFlags) action(args []string) (actions.Action, error) {
	verb := ""
	if len(args) > 1 {
		verb = args[1]
	}
	switch args[0] {
	case "usergroup", "usergroups":
		a, ok := map[string]actions.Action{"add": actions.UsergroupAdd, "remove": actions.UsergroupRemove}[verb]
		if !ok {
			return "", usagef("act usergroup: say add or remove, e.g. act usergroup remove --group design --users U123")
		}
		if f.group == "" {
			return "", usagef("act usergroup %s needs --group HANDLE_OR_ID", verb)
		}
		return a, nil
	case "workspace":
		a, ok := map[string]actions.Action{"add": actions.WorkspaceAdd, "remove": actions.WorkspaceRemove, "invite": actions.WorkspaceInvite}[verb]
		if !ok {
			return "", usagef("act workspace: say add, remove or invite, e.g. act workspace remove --team T123 --users W123")
		}
		return a, nil
	case "deactivate", "reactivate":
		if verb != "" {
			return "", usagef("act %s takes no %q", args[0], verb)
		}
		return map[string]actions.Action{"deactivate": actions.Deactivate, "reactivate": actions.Reactivate}[args[0]], nil
	}
	return "", usagef("act %q: say usergroup, workspace, deactivate or reactivate", args[0])
}

// checkInvite checks the flags of act workspace invite.
func (f *actFlags) checkInvite() error {
	switch {
	case len(f.emails) == 0:
		return usagef("act workspace invite needs --email ADDRESS")
	case f.team == "":
		return usagef("act workspace invite needs --team T…")
	case f.hasTargets():
		return usagef("act workspace invite takes --email, not --users, --from-query or --from-sql")
	case len(f.channels) == 0:
		return usagef("act workspace invite needs --channels C1[,C2]: Slack requires at least one channel")
	}
	return nil
}

// checkTargets checks that every other action names its targets.
func (f *actFlags) checkTargets() error {
	if len(f.emails) > 0 || len(f.channels) > 0 {
		return usagef("--email and --channels apply to act workspace invite only")
	}
	if !f.hasTargets() {
		return usagef("say whom to act on: --users U1,U2 (IDs or emails), --from-query NAME or --from-sql SQL")
	}
	return nil
}
