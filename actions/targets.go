package actions

import (
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"
)

// MissingColumnError is a query result that cannot name a person: it has no
// user_id or email column.
type MissingColumnError struct {
	Columns []string // the result's columns
}

func (e *MissingColumnError) Error() string {
	return "returns no user_id (or email) column; its columns: " + strings.Join(e.Columns, ", ")
}

// TargetsFromRows turns the rows of a query into targets. cols are the
// result's column names, matched case-insensitively (the first of equal
// names wins); each row holds that row's values in the same order, as the
// query returned them (strings, numbers, booleans, times, lists or nil).
//
// A target is named by user_id or email and may carry team_id (the
// workspace of a workspace action), a name (real_name, full_name, name or
// username), seat_type, last_used_at and days_since_last_use; its Reason is
// built from those and monthly_cost, currency and billing_flag. Every
// column's text is kept in Fields, for message templates.
//
// A result without a user_id or email column is a *[MissingColumnError],
// returned before any row is read. An error from rows ends the targets and
// is returned as it is.
func TargetsFromRows(cols []string, rows iter.Seq2[[]any, error]) ([]Target, error) {
	idx := map[string]int{}
	for i, c := range cols {
		if _, dup := idx[strings.ToLower(c)]; !dup {
			idx[strings.ToLower(c)] = i
		}
	}
	_, hasUser := idx["user_id"]
	_, hasEmail := idx["email"]
	if !hasUser && !hasEmail {
		return nil, &MissingColumnError{Columns: cols}
	}
	var targets []Target
	for vals, err := range rows {
		if err != nil {
			return nil, err
		}
		if len(vals) != len(cols) {
			return nil, fmt.Errorf("a row of %d values for %d columns", len(vals), len(cols))
		}
		row := make(map[string]string, len(idx))
		for c, i := range idx {
			row[c] = cellText(vals[i])
		}
		targets = append(targets, targetFromRow(row, idx))
	}
	return targets, nil
}

// targetFromRow builds a target from a query row.
func targetFromRow(row map[string]string, cols map[string]int) Target {
	t := Target{UserID: row["user_id"], Email: row["email"], TeamID: row["team_id"], SeatType: row["seat_type"],
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
	t.Reason = targetReason(t, row)
	return t
}

// targetReason says why a query chose the target, from what its row shows.
func targetReason(t Target, row map[string]string) string {
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
	if len(why) == 0 {
		return "selected by the query"
	}
	return strings.Join(why, ", ")
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
