package pipeline

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"slackaudit/extract"
	"slackaudit/warehouse"
)

// shrinkThreshold is how far a billing account's member count may fall from
// the last successful sync before a sync is refused (unless --allow-shrink):
// a member list Slack cut short would otherwise publish a wrong seat count.
// A fall of exactly half is allowed; more is not.
const shrinkThreshold = 0.5

// checkMembers fails the sync when no member list at all could be read.
func checkMembers(status []warehouse.SourceStatus) error {
	var reasons []string
	for _, s := range status {
		if s.Source == name(extract.UsersSchema) || s.Source == name(extract.OrgUsersSchema) {
			if s.Status == "ok" {
				return nil
			}
			reasons = append(reasons, s.Reason)
		}
	}
	if len(reasons) == 0 {
		return nil
	}
	return fmt.Errorf("no member list could be read, so there is nothing to audit: %s", strings.Join(reasons, "; "))
}

// checkShrink compares each billing account's people (distinct users in
// users and org_users) with the last successful sync's and refuses a fall of
// more than shrinkThreshold, unless allowed. Accounts this sync did not read
// are not compared, nor is a last sync of another mode or token's scope
// (warehouse.Run.MemberCounts).
func checkShrink(ctx context.Context, wr *warehouse.Run, allow bool) error {
	if allow {
		return nil
	}
	before, now, err := wr.MemberCounts(ctx)
	if err != nil {
		return err
	}
	for _, account := range slices.Sorted(maps.Keys(now)) {
		was, is := before[account], now[account]
		if was > 0 && float64(is) < float64(was)*(1-shrinkThreshold) {
			return fmt.Errorf("the member count of %s fell from %s to %s (%.0f%% fewer) since the last successful sync, more than the %.0f%% a sync may lose: a member list cut short by Slack would publish a wrong seat count, so nothing was saved and the previous snapshot is kept; pass --allow-shrink if this is real",
				account, thousands(was), thousands(is), 100*float64(was-is)/float64(was), 100*shrinkThreshold)
		}
	}
	return nil
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
