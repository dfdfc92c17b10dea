package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"slackaudit/actions"
	"slackaudit/queries"
	"slackaudit/warehouse"
)

// targets reads the targets: --users, or the rows of --from-query or
// --from-sql run read-only against the warehouse. source says which.
func (f *actionFlags) targets(ctx context.Context) (targets []actions.Target, source string, err error) {
	if len(f.users) > 0 {
		for _, v := range f.users {
			for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
				t := actions.Target{Reason: "named with --users"}
				if strings.Contains(s, "@") {
					t.Email = s
				} else {
					t.UserID = s
				}
				targets = append(targets, t)
			}
		}
		return targets, "--users", nil
	}
	var (
		text string
		args []any
	)
	switch {
	case f.fromQuery != "":
		n, err := queries.Lookup(f.fromQuery)
		if err != nil {
			return nil, "", usageError{err.Error()}
		}
		given, err := queries.ParseParams(f.params)
		if err != nil {
			return nil, "", usageError{err.Error()}
		}
		if args, err = n.Args(given); err != nil {
			return nil, "", usageError{err.Error()}
		}
		text, source = n.SQL, "--from-query "+n.Name
		if len(f.params) > 0 {
			source += " (" + strings.Join(f.params, ", ") + ")"
		}
	case f.fromSQL != "":
		text, source = f.fromSQL, "--from-sql "+f.fromSQL
	default:
		return nil, "", nil
	}
	targets, err = readTargets(ctx, f.db, text, args, strings.Fields(source)[0])
	return targets, source, err
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
	rows, err := db.Stream(ctx, text, args...)
	if err != nil {
		return nil, targetsError(flag, err)
	}
	defer rows.Close()
	idx, err := targetColumns(rows.Columns(), flag)
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(rows.Columns()))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var targets []actions.Target
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("%s: %w", flag, err)
		}
		row := map[string]string{}
		for c, i := range idx {
			row[c] = cellText(vals[i])
		}
		targets = append(targets, targetFromRow(row, idx))
	}
	if err := rows.Err(); err != nil {
		return nil, targetsError(flag, err)
	}
	return targets, nil
}

// targetColumns indexes the result's columns by lower-case name (the first
// of equal names wins); it needs a user_id or email column.
func targetColumns(cols []warehouse.ResultColumn, flag string) (map[string]int, error) {
	idx := map[string]int{}
	var names []string
	for i, c := range cols {
		names = append(names, c.Name)
		if _, dup := idx[strings.ToLower(c.Name)]; !dup {
			idx[strings.ToLower(c.Name)] = i
		}
	}
	_, hasUser := idx["user_id"]
	_, hasEmail := idx["email"]
	if !hasUser && !hasEmail {
		return nil, usagef("%s returns no user_id (or email) column; its columns: %s", flag, strings.Join(names, ", "))
	}
	return idx, nil
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

// targetFromRow builds a target from a query row.
func targetFromRow(row map[string]string, cols map[string]int) actions.Target {
	t := actions.Target{UserID: row["user_id"], Email: row["email"], TeamID: row["team_id"], SeatType: row["seat_type"],
		DaysUnused: row["days_since_last_use"], Fields: row}
	for _, c := range []string{"real_name", "full_name", "name", "username"} {
		if row[c] != "" {
			t.Name = row[c]
			break
		}
	}
	if _, ok := cols["last_used_at"]; ok {
		t.LastUsed = "never"
		if v := row["last_used_at"]; v != "" {
			t.LastUsed = v
			if ts, err := time.Parse(time.RFC3339, v); err == nil {
				t.LastUsed = ts.UTC().Format(time.DateOnly)
			}
		}
	}
	var why []string
	switch {
	case t.DaysUnused != "":
		why = append(why, "unused for "+t.DaysUnused+" "+plural(atoi(t.DaysUnused), "day", "days"))
	case t.LastUsed == "never":
		why = append(why, "never used")
	case t.LastUsed != "":
		why = append(why, "last used "+t.LastUsed)
	}
	if t.SeatType != "" {
		why = append(why, t.SeatType+" seat")
	}
	if c := row["monthly_cost"]; c != "" && c != "0" {
		why = append(why, strings.TrimSpace(c+" "+row["currency"])+"/month")
	}
	if f := row["billing_flag"]; f != "" {
		why = append(why, f)
	}
	t.Reason = strings.Join(why, ", ")
	if t.Reason == "" {
		t.Reason = "selected by the query"
	}
	return t
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// cellText renders a query value as text.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = cellText(p)
		}
		return strings.Join(parts, ",")
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}
