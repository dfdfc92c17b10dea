package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"slackaudit/actions"
	"slackaudit/extract/slackapi"
	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// actClock and actNotifyEvery pace notifications (one a second per channel,
// as Slack asks, when actNotifyEvery is 0); tests shorten them.
var (
	actClock       actions.Clock = actions.RealClock{}
	actNotifyEvery time.Duration
)

// actionFlags are the flags act and notify share: the connection, the
// targets and the safety switches.
type actionFlags struct {
	db, apiURL, scimURL, tokenFile string
	team                           string
	users                          listFlag
	fromQuery, fromSQL             string
	params                         listFlag
	yes, continueOnError           bool
	max                            int
	reason                         string
	permission                     string
}

func (f *actionFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.db, "db", warehouse.DefaultPath, "warehouse file: --from-query/--from-sql read it, and every action is logged in its actions_log (created if missing)")
	fs.StringVar(&f.apiURL, "api-url", slackapi.DefaultAPIURL, "Slack Web API base URL")
	fs.StringVar(&f.tokenFile, "token-file", "", "read the Slack token from this file instead of the SLACK_TOKEN environment variable")
	fs.Var(&f.users, "users", "target users by ID (U…/W…) or email, comma separated (repeatable)")
	fs.StringVar(&f.fromQuery, "from-query", "", "target the people a named query returns (see slackaudit query --list), e.g. inactive_paid_seats")
	fs.Var(&f.params, "param", "a --from-query parameter as name=value (repeatable), e.g. days=90")
	fs.StringVar(&f.fromSQL, "from-sql", "", "target the people a read-only SQL query returns; it must return a user_id column (optionally team_id, email, real_name, last_used_at, days_since_last_use, seat_type)")
	fs.BoolVar(&f.yes, "yes", false, "carry the plan out; without it nothing in Slack changes (a dry run)")
	fs.IntVar(&f.max, "max", actions.DefaultMax, "refuse plans that change more than this many accounts")
	fs.BoolVar(&f.continueOnError, "continue-on-error", false, "carry on after a target fails; by default the run stops and the rest are logged as not attempted")
	fs.StringVar(&f.reason, "reason", "", "why you are doing this (a ticket, a review): shown in the plan and kept in actions_log")
	fs.StringVar(&f.permission, "permission", "", "the connection's permission: read (default; nothing is changed) or act; default from SLACKAUDIT_PERMISSION")
}

// registerSCIM adds --scim-url, for act (deactivate and reactivate).
func (f *actionFlags) registerSCIM(fs *flag.FlagSet) {
	fs.StringVar(&f.scimURL, "scim-url", "", "Slack SCIM v2 base URL; default https://api.slack.com/scim/v2/ for slack.com, else the --api-url host with /scim/v2/")
}

// hasTargets reports whether any target flag was given.
func (f *actionFlags) hasTargets() bool {
	return len(f.users) > 0 || f.fromQuery != "" || f.fromSQL != ""
}

// check validates the target flags.
func (f *actionFlags) check() error {
	n := 0
	for _, given := range []bool{len(f.users) > 0, f.fromQuery != "", f.fromSQL != ""} {
		if given {
			n++
		}
	}
	if n > 1 {
		return usagef("give one of --users, --from-query or --from-sql")
	}
	if len(f.params) > 0 && f.fromQuery == "" {
		return usagef("--param applies to --from-query only")
	}
	if f.max < 1 {
		return usagef("--max %d: give a positive number of accounts", f.max)
	}
	return nil
}

// permissionMode reads --permission, else SLACKAUDIT_PERMISSION.
func (f *actionFlags) permissionMode(e *env) (actions.Permission, error) {
	v, from := f.permission, "--permission"
	if v == "" {
		v, from = e.getenv("SLACKAUDIT_PERMISSION"), "SLACKAUDIT_PERMISSION"
	}
	p, err := actions.ParsePermission(v)
	if err != nil {
		return "", usagef("%s: %v", from, err)
	}
	return p, nil
}

// runAction plans req, shows the plan, and carries it out when --yes
// allows, logging every step in actions_log as it happens.
func runAction(ctx context.Context, e *env, f *actionFlags, req actions.Request) error {
	perm, err := f.permissionMode(e)
	if err != nil {
		return err
	}
	tok, err := (&connFlags{tokenFile: f.tokenFile}).token(e)
	if err != nil {
		return err
	}
	client, err := e.newClient(f.apiURL, tok)
	if err != nil {
		return err
	}
	scimURL := f.scimURL
	if scimURL == "" {
		scimURL = slackapi.SCIMURLFor(f.apiURL)
	}
	// The log must be writable before anything happens: no change is made
	// that cannot be logged.
	db, err := e.openWarehouse(ctx, f.db, warehouse.Options{Tables: pipeline.Tables()})
	if err != nil {
		return err
	}
	defer db.Close()
	batch, err := db.NextActionBatch(ctx)
	if err != nil {
		return err
	}
	sess, err := actions.Connect(ctx, client, actions.Options{SCIMURL: scimURL, Max: f.max, ContinueOnError: f.continueOnError,
		Permission: perm, Clock: actClock, NotifyEvery: actNotifyEvery})
	if err != nil {
		return err
	}
	req.DryRun = !f.yes
	req.Reason = f.reason
	p := sess.Plan(ctx, req)
	p.Print(e.stdout)
	// Outcomes are printed as they happen when the plan is carried out.
	live := !p.DryRun && p.Refusal == nil && p.Changes() > 0 && perm == actions.PermissionAct
	if live {
		fmt.Fprintln(e.stdout, "\nCarrying out the plan:")
	}
	rec := func(ctx context.Context, st *actions.Step) error {
		if err := db.LogAction(ctx, actionRow(batch, p, st)); err != nil {
			return err
		}
		if live {
			fmt.Fprintln(e.stdout, "  "+e.redact(st.Line()))
		}
		return nil
	}
	err = sess.Execute(ctx, p, rec)
	var logged string
	if len(p.Steps) > 0 {
		see := "slackaudit query --named recent_actions"
		if db.Path() != warehouse.DefaultPath {
			see = "slackaudit query --db " + db.Path() + " --named recent_actions"
		}
		if p.DryRun {
			see += " --param dry_runs=true"
		}
		logged = fmt.Sprintf("Logged in actions_log as batch %d (%s).", batch, see)
	}
	switch {
	case p.Refusal != nil:
		fmt.Fprintln(e.stdout, "\nNothing was changed.")
	case p.DryRun && p.Changes() > 0:
		fmt.Fprintf(e.stdout, "\nDry run: nothing was changed. To carry out %d %s, run again with --yes.\n", p.Changes(), plural(p.Changes(), "change", "changes"))
		if perm != actions.PermissionAct {
			fmt.Fprintln(e.stdout, "This connection's permission is read: add --permission act (or set SLACKAUDIT_PERMISSION=act) as well.")
		}
	case p.Count(actions.Succeeded)+p.Count(actions.Failed) == 0:
		if len(p.Steps) > 0 {
			fmt.Fprintln(e.stdout, "\nNothing to change: everything is already done or skipped.")
		}
	default:
		fmt.Fprintf(e.stdout, "\nDone: %s\n", p.Summary())
	}
	if logged != "" {
		fmt.Fprintln(e.stdout, logged)
	}
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// actionRow is the actions_log row for a step.
func actionRow(batch int64, p *actions.Plan, st *actions.Step) warehouse.ActionRow {
	return warehouse.ActionRow{BatchID: batch, Step: st.N, LoggedAt: time.Now(), ActorUserID: p.ActorUserID, ActorTeamID: p.ActorTeamID,
		Action: string(st.Action), TargetUserID: st.UserID, TargetEmail: st.Email, TargetName: st.Name, Workspace: st.Workspace,
		Object: st.Object, Reason: st.Reason, Source: p.Source, DryRun: p.DryRun, Result: string(st.State), Detail: st.Detail,
		SlackError: st.SlackError}
}

type actFlags struct {
	actionFlags
	group       string
	emails      listFlag
	channels    string
	notifyFirst string
}

func init() {
	register(&command{
		name: "act",
		usage: `(usergroup add|remove --group HANDLE | workspace add|remove --team T | workspace invite --team T --email E --channels C1 | deactivate | reactivate)
       (--users U1,U2 | --from-query NAME [--param k=v] | --from-sql SQL) [--yes] [--max 25] [--continue-on-error] [--notify-first MESSAGE]`,
		short: "change Slack on the audit's findings: user groups, workspace membership, deactivation (dry run unless --yes)",
		long: `
Plans a change, prints the plan (who, what, why, where) and, only with --yes
on a connection whose permission is act, carries it out. Every target's
outcome is a row in the warehouse's actions_log, written as it happens.

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
Slack's own, and to the --api-url host with /scim/v2/ otherwise.

Examples:
  slackaudit act deactivate --from-query inactive_paid_seats --param days=90
  slackaudit act deactivate --from-query inactive_paid_seats --param days=90 --yes --permission act
  slackaudit act usergroup remove --group design --users U012AB3CD,ann@example.com --yes
  slackaudit act workspace remove --team T0123 --from-sql "SELECT user_id FROM users WHERE team_id = 'T0123' AND NOT deleted" --max 50
  slackaudit act workspace invite --team T0123 --email new.hire@example.com --channels C0456 --yes
  slackaudit act deactivate --users W0789 --notify-first "Hi {{.Name}}, your Slack seat is unused since {{.LastUsed}} and will be freed today." --yes`,
		flags: func(fs *flag.FlagSet) any {
			f := &actFlags{}
			f.actionFlags.register(fs)
			f.actionFlags.registerSCIM(fs)
			fs.StringVar(&f.team, "team", "", "workspace (T…) for workspace actions; with an org-level token, the workspace whose user group --group names")
			fs.StringVar(&f.group, "group", "", "user group handle (with or without @) or ID (S…)")
			fs.Var(&f.emails, "email", "workspace invite: email address(es) to invite, comma separated (repeatable)")
			fs.StringVar(&f.channels, "channels", "", "workspace invite: channel IDs the invitation adds the person to, comma separated (at least one)")
			fs.StringVar(&f.notifyFirst, "notify-first", "", "send each person this message (a template: {{.Name}} {{.LastUsed}} {{.SeatType}} …; see slackaudit notify --help) before acting; nobody is changed whose message fails (not with reactivate or workspace invite: the message could not reach them)")
			return f
		},
		minArgs: 1,
		maxArgs: 2,
		run: func(ctx context.Context, e *env, opts any, args []string) error {
			f := opts.(*actFlags)
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
				for _, v := range f.emails {
					for _, s := range strings.Split(v, ",") {
						if s = strings.TrimSpace(s); s != "" {
							req.Targets = append(req.Targets, actions.Target{Email: s, Reason: "named with --email"})
						}
					}
				}
				req.Source = "--email"
			}
			if f.hasTargets() {
				if req.Targets, req.Source, err = f.targets(ctx); err != nil {
					return err
				}
				if len(req.Targets) == 0 {
					fmt.Fprintf(e.stdout, "Nothing to do: %s returned no one.\n", req.Source)
					return nil
				}
			}
			return runAction(ctx, e, &f.actionFlags, req)
		},
	})
}

// request reads the action from the arguments and checks the flags it needs.
func (f *actFlags) request(args []string) (actions.Request, error) {
	var req actions.Request
	verb := ""
	if len(args) > 1 {
		verb = args[1]
	}
	oneWord := func(a actions.Action) (actions.Action, error) {
		if verb != "" {
			return "", usagef("act %s takes no %q", args[0], verb)
		}
		return a, nil
	}
	var err error
	switch args[0] {
	case "usergroup", "usergroups":
		switch verb {
		case "add":
			req.Action = actions.UsergroupAdd
		case "remove":
			req.Action = actions.UsergroupRemove
		default:
			return req, usagef("act usergroup: say add or remove, e.g. act usergroup remove --group design --users U123")
		}
		if f.group == "" {
			return req, usagef("act usergroup %s needs --group HANDLE_OR_ID", verb)
		}
	case "workspace":
		switch verb {
		case "add":
			req.Action = actions.WorkspaceAdd
		case "remove":
			req.Action = actions.WorkspaceRemove
		case "invite":
			req.Action = actions.WorkspaceInvite
		default:
			return req, usagef("act workspace: say add, remove or invite, e.g. act workspace remove --team T123 --users W123")
		}
	case "deactivate":
		req.Action, err = oneWord(actions.Deactivate)
	case "reactivate":
		req.Action, err = oneWord(actions.Reactivate)
	default:
		return req, usagef("act %q: say usergroup, workspace, deactivate or reactivate", args[0])
	}
	if err != nil {
		return req, err
	}
	if f.group != "" && req.Action != actions.UsergroupAdd && req.Action != actions.UsergroupRemove {
		return req, usagef("--group applies to act usergroup only")
	}
	if req.Action == actions.WorkspaceInvite {
		if len(f.emails) == 0 {
			return req, usagef("act workspace invite needs --email ADDRESS")
		}
		if f.team == "" {
			return req, usagef("act workspace invite needs --team T…")
		}
		if f.hasTargets() {
			return req, usagef("act workspace invite takes --email, not --users, --from-query or --from-sql")
		}
		for _, c := range strings.Split(f.channels, ",") {
			if c = strings.TrimSpace(c); c != "" {
				req.Channels = append(req.Channels, c)
			}
		}
		if len(req.Channels) == 0 {
			return req, usagef("act workspace invite needs --channels C1[,C2]: Slack requires at least one channel")
		}
	} else {
		if len(f.emails) > 0 || f.channels != "" {
			return req, usagef("--email and --channels apply to act workspace invite only")
		}
		if !f.hasTargets() {
			return req, usagef("say whom to act on: --users U1,U2 (IDs or emails), --from-query NAME or --from-sql SQL")
		}
	}
	if f.notifyFirst != "" && req.Action == actions.WorkspaceInvite {
		return req, usagef("--notify-first cannot reach people who are not in Slack yet; the invitation is their notice")
	}
	if f.notifyFirst != "" && req.Action == actions.Reactivate {
		return req, usagef("--notify-first cannot reach a deactivated account (Slack answers channel_not_found); reactivate first, then send the message with slackaudit notify")
	}
	req.Group, req.TeamID = f.group, f.team
	return req, nil
}
