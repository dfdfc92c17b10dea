package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/extract"
	"slackaudit/extract/slackapi"
	"slackaudit/warehouse"
)

// callKey is one method in one workspace: what Slack rate-limits together.
type callKey struct{ method, team string }

// callsMade are a client's requests per method and workspace so far.
func callsMade(c *slackapi.Client) map[callKey]slackapi.MethodCalls {
	out := map[callKey]slackapi.MethodCalls{}
	for _, mc := range c.CallsByWorkspace() {
		out[callKey{mc.Method, mc.TeamID}] = mc
	}
	return out
}

// floor is the least time Slack's rate limits allow for the requests a
// client made since before was taken: the most, over methods and
// workspaces, of calls ÷ the tier's calls a minute. It is in the client's
// time (scaled by its TimeScale), comparable with the sync's wall time;
// method is the method that sets it.
func floor(c *slackapi.Client, before map[callKey]slackapi.MethodCalls) (d time.Duration, method string) {
	for k, mc := range callsMade(c) {
		mc.Calls -= before[k].Calls
		if f := mc.Floor(); f > d || (f == d && mc.Method < method) {
			d, method = f, mc.Method
		}
	}
	return time.Duration(float64(d) * c.TimeScale()), method
}

// longestFirst orders the sources by how long Slack's rate limits will
// keep each, longest first (plan order among equals): the long pole
// starts at once. est is that time for each source.
func longestFirst(est []time.Duration) []int {
	order := make([]int, len(est))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(est[b], est[a]) })
	return order
}

// estimates says how long Slack's rate limits will keep each source, at
// Slack's pace: its calls ÷ its method's tier. Its calls are its pages:
// the rows the last successful sync landed for the same data set and
// workspace (source_status.rows) ÷ the rows a page holds; for a data set
// no sync has landed, those of guessMembers members; member_activity makes
// one call a day it fetches; the rest take a call or two.
func estimates(ctx context.Context, wr *warehouse.Run, sources []plannedSource) ([]time.Duration, error) {
	last, err := lastRows(ctx, wr)
	if err != nil {
		return nil, err
	}
	out := make([]time.Duration, len(sources))
	for i, ps := range sources {
		rows, ok := last[[2]string{ps.teamID, extract.Name(ps.src)}]
		out[i] = estimate(ps, rows, ok)
	}
	return out, nil
}

// lastRows reads, per workspace and data set, the rows the last successful
// sync landed.
func lastRows(ctx context.Context, wr *warehouse.Run) (map[[2]string]int64, error) {
	out := map[[2]string]int64{}
	err := wr.Scan(ctx, `SELECT team_id, source, CAST(rows AS VARCHAR) FROM source_status
		WHERE status = 'ok' AND run_id = (SELECT max(run_id) FROM sync_runs WHERE status = 'succeeded')`, func(rec arrow.RecordBatch) error {
		for i := range int(rec.NumRows()) {
			n, err := strconv.ParseInt(rec.Column(2).ValueStr(i), 10, 64)
			if err != nil {
				return fmt.Errorf("source_status.rows %q: %w", rec.Column(2).ValueStr(i), err)
			}
			// The batch's strings live only as long as the batch.
			out[[2]string{strings.Clone(rec.Column(0).ValueStr(i)), strings.Clone(rec.Column(1).ValueStr(i))}] = n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading what the last sync landed: %w", err)
	}
	return out, nil
}

// guessMembers is how many members a first sync guesses a workspace has,
// to rank data sets before any sync has landed them.
const guessMembers = 1000

// paging is how a data set pages: its method, how many rows a page holds,
// and how many rows a member makes (for a first sync's guess).
type paging struct {
	method    string
	perPage   int
	perMember float64
}

// pagings are the data sets whose calls grow with the organisation.
var pagings = map[string]paging{
	"org_users":     {method: "admin.users.list", perPage: slackapi.AdminUsersPageSize, perMember: 1},
	"users":         {method: "users.list", perPage: slackapi.UsersPageSize, perMember: 1},
	"billable_info": {method: "team.billableInfo", perPage: slackapi.BillablePageSize, perMember: 1},
	"access_logs":   {method: "team.accessLogs", perPage: slackapi.AccessLogsPageSize, perMember: 2},
	"app_events":    {method: "team.integrationLogs", perPage: slackapi.IntegrationLogsPageSize},
}

// estimate is how long Slack's rate limits keep ps, which landed rows rows
// in the last successful sync when landed is set.
func estimate(ps plannedSource, rows int64, landed bool) time.Duration {
	if ma, ok := ps.src.(*extract.MemberActivity); ok {
		return slackapi.MethodCalls{Tier: slackapi.TierOf("admin.analytics.getFile"), Calls: int64(len(ma.Days))}.Floor()
	}
	p, ok := pagings[extract.Name(ps.src)]
	if !ok {
		return slackapi.MethodCalls{Tier: slackapi.Tier2, Calls: 1}.Floor()
	}
	if !landed {
		rows = int64(p.perMember * guessMembers)
	}
	pages := rows/int64(p.perPage) + 1
	return slackapi.MethodCalls{Tier: slackapi.TierOf(p.method), Calls: pages}.Floor()
}
