package slackapi

import "fmt"

// mustList is a list that must include the token's own user (auth.test
// user_id): one that is empty, or does not, cannot be the whole
// workspace's or organisation's, and fails, so a page that cannot be right
// never replaces a good snapshot. Users, OrgUsers and BillableInfo share it.
type mustList struct {
	method, team string
	of           string // "workspace" or "organisation"
	noun         string // what the list holds, singular: "account"
	user         string // the token's own user; "" checks nothing
}

// check fails a list of listed records that held the user (own) or not.
func (m mustList) check(listed int, own bool) error {
	switch {
	case m.user == "":
		return nil
	case listed == 0:
		return &Error{Method: m.method, TeamID: m.team, Kind: KindImplausible,
			Detail: fmt.Sprintf("Slack listed no %ss, yet the %s has at least the token's own user %s", m.noun, m.of, m.user)}
	case !own:
		return &Error{Method: m.method, TeamID: m.team, Kind: KindImplausible,
			Detail: fmt.Sprintf("Slack listed %s but not the token's own user %s, so the list is not the whole %s", plural(listed, m.noun), m.user, m.of)}
	}
	return nil
}
