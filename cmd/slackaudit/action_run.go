package main

import (
	"context"
	"fmt"
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

// carryOut reads the targets the flags name into req, unless req already has
// its own, and carries the request out; a query or list that names no one
// is nothing to do.
func (f *actionFlags) carryOut(ctx context.Context, e *env, dbPath string, req actions.Request) error {
	if f.hasTargets() {
		var err error
		if req.Targets, req.Source, err = f.targets(ctx, dbPath); err != nil {
			return err
		}
		if len(req.Targets) == 0 {
			fmt.Fprintf(e.stdout, "Nothing to do: %s returned no one.\n", req.Source)
			return nil
		}
	}
	return runAction(ctx, e, dbPath, f, req)
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
	req.DryRun, req.Reason = !f.yes, f.reason
	r := &actions.Runner{Session: sess, Out: e.stdout, Redact: e.redact, Batch: batch, LogQuery: logQuery(db.Path()),
		Record: func(ctx context.Context, at time.Time, p *actions.Plan, st *actions.Step) error {
			return db.LogAction(ctx, actionRow(batch, at, p, st))
		}}
	return r.Run(ctx, req)
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

// logQuery is the command that reads actions_log in the warehouse at
// dbPath.
func logQuery(dbPath string) string {
	if dbPath != warehouse.DefaultPath {
		return "slackaudit query --db " + dbPath + " --named recent_actions"
	}
	return "slackaudit query --named recent_actions"
}

// actionRow is the actions_log row for a step, logged at at.
func actionRow(batch int64, at time.Time, p *actions.Plan, st *actions.Step) warehouse.ActionRow {
	return warehouse.ActionRow{BatchID: batch, Step: st.N, LoggedAt: at, ActorUserID: p.ActorUserID, ActorTeamID: p.ActorTeamID,
		Action: string(st.Action), TargetUserID: st.UserID, TargetEmail: st.Email, TargetName: st.Name, Workspace: st.Workspace,
		Object: st.Object, Reason: st.Reason, Source: p.Source, DryRun: p.DryRun, Result: string(st.State), Detail: st.Detail,
		SlackError: st.SlackError}
}
