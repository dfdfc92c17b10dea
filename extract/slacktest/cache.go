package slacktest

import "sync"

// orgCache holds data derived from the org on first use and kept: small
// per-workspace state (apps and their histories, user groups, channels)
// and the sign-in histograms of recent team.accessLogs listings.
//
// Everything here is built from the generated accounts. The first call of
// a write method materialises all of it (Org.freeze) before changing
// anything, so it always describes the org as generated; after that only
// user-group membership changes (under Org.mu), and a change of workspace
// membership drops that workspace's histograms. Change an Org's Users,
// Teams or Config by hand before serving it, not between requests.
type orgCache struct {
	appIDsOnce sync.Once
	appIDs     map[string]string // app name → app ID of the org's bot or app user for it

	mu       sync.Mutex
	teams    map[string]*teamApps   // app state per workspace
	hists    map[histKey]*loginHist // sign-in histograms of recent listings
	groups   map[string]*teamGroups // user groups per workspace; members change under Org.mu
	channels map[string][]Channel   // channels per workspace; never change
}

func newOrgCache() *orgCache {
	return &orgCache{
		teams:    make(map[string]*teamApps),
		hists:    make(map[histKey]*loginHist),
		groups:   make(map[string]*teamGroups),
		channels: make(map[string][]Channel),
	}
}

// dropHistograms forgets the cached sign-in histograms of a workspace whose
// membership changed.
func (o *Org) dropHistograms(teamID string) {
	if o.cache == nil {
		return
	}
	o.cache.mu.Lock()
	for k := range o.cache.hists {
		if k.team == teamID {
			delete(o.cache.hists, k)
		}
	}
	o.cache.mu.Unlock()
}
