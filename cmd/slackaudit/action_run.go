package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"

	"slackaudit/actions"
	"slackaudit/extract/slackapi"
	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// actionFlags are the flags act and notify share: the connection, the
// targets and the safety switches.
type actionFlags struct {
	apiURL, scimURL, tokenFile string
	team                       string
	users                      []string
	fromQuery, fromSQL         string
	params                     []string
	yes, continueOnError       bool
	max                        int
	reason                     string
	permission                 string
}

func (f *actionFlags) register(fs *pflag.FlagSet) {
	apiURLFlag(fs, &f.apiURL)
	tokenFileFlag(fs, &f.tokenFile)
	listFlag(fs, &f.users, "users", "target these people, by ID (U…/W…) or email")
	fs.StringVar(&f.fromQuery, "from-query", "", "target the people a named query returns (see slackaudit query --list), e.g. inactive_paid_seats")
	paramFlag(fs, &f.params)
	fs.StringVar(&f.fromSQL, "from-sql", "", "target the people a read-only SQL query returns; it must return a user_id column (optionally team_id, email, real_name, last_used_at, days_since_last_use, seat_type)")
	fs.BoolVar(&f.yes, "yes", false, "carry the plan out; without it nothing in Slack changes (a dry run)")
	fs.IntVar(&f.max, "max", actions.DefaultMax, "refuse plans that change more than this many accounts or send more than this many messages")
	fs.BoolVar(&f.continueOnError, "continue-on-error", false, "carry on after a target fails; by default the run stops and the rest are logged as not attempted")
	fs.StringVar(&f.reason, "reason", "", "why you are doing this (a ticket, a review): shown in the plan and kept in actions_log")
	fs.StringVar(&f.permission, "permission", "", "the connection's permission: read (default; nothing is changed) or act; default from SLACKAUDIT_PERMISSION")
}

// registerSCIM adds --scim-url, for act (deactivate and reactivate).
func (f *actionFlags) registerSCIM(fs *pflag.FlagSet) {
	fs.StringVar(&f.scimURL, "scim-url", "", "Slack SCIM v2 base `URL`; default https://api.slack.com/scim/v2/ for slack.com, else the --api-url host with /scim/v2/")
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
// allows, logging every step in actions_log (in the warehouse at dbPath)
// as it happens.
func runAction(ctx context.Context, e *env, dbPath string, f *actionFlags, req actions.Request) error {
	perm, err := f.permissionMode(e)
	if err != nil {
		return err
	}
	client, err := f.client(e)
	if err != nil {
		return err
	}
	// The log must be writable before anything happens: no change is made
	// that cannot be logged.
	db, err := e.openWarehouse(ctx, dbPath, warehouse.Options{Tables: pipeline.Tables()})
	if err != nil {
		return err
	}
	defer db.Close()
	batch, err := db.NextActionBatch(ctx)
	if err != nil {
		return err
	}
	sess, err := actions.Connect(ctx, client, f.sessionOptions(e, perm))
	if err != nil {
		return err
	}
	req.DryRun = !f.yes
	req.Reason = f.reason
	p := sess.Plan(ctx, req)
	p.Print(e.stdout)
	err = sess.Execute(ctx, p, e.recordSteps(db, batch, p, perm))
	printOutcome(e.stdout, p, perm)
	if len(p.Steps) > 0 {
		fmt.Fprintln(e.stdout, loggedNote(db.Path(), batch, p))
	}
	return err
}

// client is a Slack client for the flags' --api-url and token.
func (f *actionFlags) client(e *env) (*slackapi.Client, error) {
	tok, err := (&connFlags{tokenFile: f.tokenFile}).token(e)
	if err != nil {
		return nil, err
	}
	return e.newClient(f.apiURL, tok)
}

// sessionOptions are the flags' safety switches, with env's clock.
func (f *actionFlags) sessionOptions(e *env, perm actions.Permission) actions.Options {
	scimURL := f.scimURL
	if scimURL == "" {
		scimURL = slackapi.SCIMURLFor(f.apiURL)
	}
	return actions.Options{SCIMURL: scimURL, Max: f.max, ContinueOnError: f.continueOnError,
		Permission: perm, Clock: e.actClock, NotifyEvery: e.notifyEvery}
}

// recordSteps logs each step of p in actions_log as batch and, when the
// plan is carried out, prints its outcome as it happens.
func (e *env) recordSteps(db *warehouse.DB, batch int64, p *actions.Plan, perm actions.Permission) func(context.Context, *actions.Step) error {
	live := !p.DryRun && p.Refusal == nil && p.Changes() > 0 && perm == actions.PermissionAct
	if live {
		fmt.Fprintln(e.stdout, "\nCarrying out the plan:")
	}
	clock := e.actClock
	if clock == nil {
		clock = actions.RealClock{}
	}
	return func(ctx context.Context, st *actions.Step) error {
		if err := db.LogAction(ctx, actionRow(batch, clock.Now(), p, st)); err != nil {
			return err
		}
		if live {
			fmt.Fprintln(e.stdout, "  "+e.redact(st.Line()))
		}
		return nil
	}
}

// printOutcome says what the run changed, or why it changed nothing.
func printOutcome(w io.Writer, p *actions.Plan, perm actions.Permission) {
	switch {
	case p.Refusal != nil:
		fmt.Fprintln(w, "\nNothing was changed.")
	case p.DryRun && p.Changes() > 0:
		fmt.Fprintf(w, "\nDry run: nothing was changed. To carry out %d %s, run again with --yes.\n", p.Changes(), plural(p.Changes(), "change", "changes"))
		if perm != actions.PermissionAct {
			fmt.Fprintln(w, "This connection's permission is read: add --permission act (or set SLACKAUDIT_PERMISSION=act) as well.")
		}
	case p.Count(actions.Succeeded)+p.Count(actions.Failed) == 0:
		if len(p.Steps) > 0 {
			fmt.Fprintln(w, "\nNothing to change: everything is already done or skipped.")
		}
	default:
		fmt.Fprintf(w, "\nDone: %s\n", p.Summary())
	}
}

// loggedNote says where the run's steps are logged and how to read them.
func loggedNote(dbPath string, batch int64, p *actions.Plan) string {
	see := "slackaudit query --named recent_actions"
	if dbPath != warehouse.DefaultPath {
		see = "slackaudit query --db " + dbPath + " --named recent_actions"
	}
	if p.DryRun {
		see += " --param dry_runs=true"
	}
	return fmt.Sprintf("Logged in actions_log as batch %d (%s).", batch, see)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// actionRow is the actions_log row for a step, logged at at.
func actionRow(batch int64, at time.Time, p *actions.Plan, st *actions.Step) warehouse.ActionRow {
	return warehouse.ActionRow{BatchID: batch, Step: st.N, LoggedAt: at, ActorUserID: p.ActorUserID, ActorTeamID: p.ActorTeamID,
		Action: string(st.Action), TargetUserID: st.UserID, TargetEmail: st.Email, TargetName: st.Name, Workspace: st.Workspace,
		Object: st.Object, Reason: st.Reason, Source: p.Source, DryRun: p.DryRun, Result: string(st.State), Detail: st.Detail,
		SlackError: st.SlackError}
}
