package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"slackaudit/actions"
	"slackaudit/queries"
	"slackaudit/warehouse"
)

// targets reads the targets: --users, or the rows of --from-query or
// --from-sql run read-only against the warehouse at dbPath. source says
// which.
func (f *actionFlags) targets(ctx context.Context, dbPath string) (targets []actions.Target, source string, err error) {
	if len(f.users) > 0 {
		return actions.ListedTargets(f.users, "named with --users"), "--users", nil
	}
	text, args, source, err := f.statement()
	if err != nil || text == "" {
		return nil, "", err
	}
	targets, err = readTargets(ctx, dbPath, text, args, strings.Fields(source)[0])
	return targets, source, err
}

// statement is the SQL --from-query or --from-sql gives, its bound
// arguments, and the source to name in the plan; no SQL when neither flag is
// given.
func (f *actionFlags) statement() (text string, args []any, source string, err error) {
	switch {
	case f.fromQuery != "":
		n, err := queries.Lookup(f.fromQuery)
		if err != nil {
			return "", nil, "", usageError{err.Error()}
		}
		given, err := queries.ParseParams(f.params)
		if err != nil {
			return "", nil, "", usageError{err.Error()}
		}
		if args, err = n.Args(given); err != nil {
			return "", nil, "", usageError{err.Error()}
		}
		source = "--from-query " + n.Name
		if len(f.params) > 0 {
			source += " (" + strings.Join(f.params, ", ") + ")"
		}
		return n.SQL, args, source, nil
	case f.fromSQL != "":
		return f.fromSQL, nil, "--from-sql " + f.fromSQL, nil
	}
	return "", nil, "", nil
}

// readTargets runs a --from-query or --from-sql statement (flag says which)
// in a locked, read-only session: whatever the statement is, it changes
// nothing, writes no file and reads nothing but the warehouse.
func readTargets(ctx context.Context, dbPath, text string, args []any, flag string) ([]actions.Target, error) {
	db, err := warehouse.Open(ctx, dbPath, warehouse.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	res, err := queries.Rows(ctx, db, text, args...)
	if err != nil {
		return nil, targetsError(flag, err)
	}
	defer res.Close()
	targets, err := actions.TargetsFromRows(res.Columns(), res.All())
	var missing *actions.MissingColumnError
	switch {
	case errors.As(err, &missing):
		return nil, usagef("%s %v", flag, err)
	case err != nil:
		return nil, targetsError(flag, err)
	}
	return targets, nil
}

// targetsError says what went wrong with a --from-query or --from-sql
// statement, and what to do when the read-only session refused it.
func targetsError(flag string, err error) error {
	if _, ok := warehouse.AsRefused(err); ok || warehouse.IsReadOnlyError(err) {
		return fmt.Errorf("%s: %w\n%s runs read-only against the warehouse: it cannot change data, read or write files, or change settings; select the targets from the warehouse's tables", flag, err, flag)
	}
	if errors.Is(err, warehouse.ErrMultipleStatements) {
		return fmt.Errorf("%s: %w\n%s takes one SELECT statement", flag, err, flag)
	}
	return fmt.Errorf("%s: %w", flag, err)
}
