package slacktest

import (
	"cmp"
	"slices"
)

// requestMessages are what people write when asking for an app.
var requestMessages = []string{
	"Our team uses this every day, could we get it approved?",
	"Needed for the Q3 project kickoff.",
	"",
	"Replaces the spreadsheet we share today — thanks!",
	"Customer asked us to use this for the joint channel.",
}

// makeRequests generates the workspace's pending app requests: 2–6 apps
// the workspace does not have, or had restricted, asked for in the last 60
// days by people who were members then.
func (o *Org) makeRequests(team *Team, ta *teamApps, r *rng, now int64) []appRequest {
	present := map[string]*install{}
	for _, in := range ta.installs {
		if in.app != nil {
			present[in.app.name] = in
		}
	}
	var cands []*catalogApp
	for i := range appCatalog {
		a := &appCatalog[i]
		if in, ok := present[a.name]; !ok || in.restricted {
			cands = append(cands, a)
		}
	}
	for i := len(cands) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		cands[i], cands[j] = cands[j], cands[i]
	}
	k := min(2+r.intn(5), len(cands))
	reqs := make([]appRequest, 0, k)
	for _, a := range cands[:k] {
		t := now - 3600 - r.int63n(60*day)
		who := o.actor(team.ID, t, r.next(), func(u *User) bool { return !u.IsAdmin })
		id := appendID(nil, 'A', r.next()%idSpace)
		id[1] = 'r'
		reqs = append(reqs, appRequest{
			id: string(id), app: a, appID: o.appID(a.name), team: team, user: who,
			message: requestMessages[r.intn(len(requestMessages))], date: t,
			previous: present[a.name] != nil, collab: a.internal && r.intn(2) == 0,
		})
	}
	slices.SortFunc(reqs, func(a, b appRequest) int {
		if c := cmp.Compare(b.date, a.date); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return reqs
}
