package warehouse

import (
	"context"
	"fmt"
)

// MemberCounts returns how many people each billing account has in the last
// successful snapshot (before) and in what this sync has loaded so far
// (now): distinct user IDs in users and org_users, a workspace's members
// counted under its enterprise on Enterprise Grid and under the workspace
// itself elsewhere. before is empty when there is no earlier snapshot or it
// was read another way (another mode or token's workspace or enterprise
// than r.Info's), as its counts then measure something else. It only
// reads, on the sync's connection; a sync compares the two to refuse a
// member list that shrank implausibly.
func (r *Run) MemberCounts(ctx context.Context) (before, now map[string]int64, err error) {
	// Rows gathered for a multi-batch scan are not in the staging tables
	// until landed; count them too.
	if err := r.land.flushAll(ctx, r.conn, r.ID); err != nil {
		return nil, nil, fmt.Errorf("counting members: loading before counting: %w", err)
	}
	mode, team, found, err := r.lastSucceeded(ctx)
	switch {
	case err != nil:
		return nil, nil, fmt.Errorf("counting members: reading the last successful sync: %w", err)
	case !found || mode != r.Info.Mode || team != r.Info.TeamID:
		before = map[string]int64{}
	default:
		if before, err = r.memberCounts(ctx, ""); err != nil {
			return nil, nil, err
		}
	}
	if now, err = r.memberCounts(ctx, stagePrefix); err != nil {
		return nil, nil, err
	}
	return before, now, nil
}

// memberCounts counts people per billing account in the users, org_users
// and workspaces tables whose names start with prefix.
func (r *Run) memberCounts(ctx context.Context, prefix string) (map[string]int64, error) {
	users, orgUsers, workspaces := quoteIdent(prefix+"users"), quoteIdent(prefix+"org_users"), quoteIdent(prefix+"workspaces")
	q := fmt.Sprintf(`SELECT account, count(DISTINCT user_id) FROM (
			SELECT COALESCE(w.enterprise_id, u.team_id) AS account, u.user_id
			FROM %s u LEFT JOIN %s w ON w.team_id = u.team_id
			UNION ALL
			SELECT enterprise_id, user_id FROM %s
		) GROUP BY account`, users, workspaces, orgUsers)
	rows, err := r.conn.stream(ctx, q, nil)
	if err != nil {
		return nil, fmt.Errorf("counting members: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var account, n any
		if err := rows.Scan(&account, &n); err != nil {
			return nil, fmt.Errorf("counting members: %w", err)
		}
		a, _ := account.(string)
		c, _ := n.(int64)
		out[a] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("counting members: %w", err)
	}
	return out, nil
}

// lastSucceeded reads the mode and team of the last successful sync; found
// is false before the first.
func (r *Run) lastSucceeded(ctx context.Context) (mode, team string, found bool, err error) {
	rows, err := r.conn.stream(ctx, `SELECT COALESCE(mode, ''), COALESCE(team_id, '') FROM sync_runs
		WHERE status = ? ORDER BY run_id DESC LIMIT 1`, []any{RunSucceeded.String()})
	if err != nil {
		return "", "", false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return "", "", false, rows.Err()
	}
	var m, t any
	if err := rows.Scan(&m, &t); err != nil {
		return "", "", false, err
	}
	mode, _ = m.(string)
	team, _ = t.(string)
	return mode, team, true, nil
}
