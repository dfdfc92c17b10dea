package slacktest

import "sync"

// orgCache holds data derived from the org on first use and kept: small
// per-workspace state (apps and their histories, user groups, channels)
// and each workspace's sign-in index (loginIndex).
//
// Everything here is built from the generated accounts. The first call of
// a write method materialises all of it (Org.freeze) before changing
// anything, so it always describes the org as generated; after that only
// user-group membership changes (under Org.mu), and a change of workspace
// membership or a new account drops the sign-in indexes it moves. Change
// an Org's Users, Teams or Config by hand before serving it, not between
// requests.
type orgCache struct {
	appIDsOnce sync.Once
	appIDs     map[string]string // app name → app ID of the org's bot or app user for it

	mu       sync.Mutex
	teams    map[string]*teamApps       // app state per workspace
	logins   map[string]*loginIndexOnce // sign-in index per workspace
	groups   map[string]*teamGroups     // user groups per workspace; members change under Org.mu
	channels map[string][]Channel       // channels per workspace; never change
}

func newOrgCache() *orgCache {
	return &orgCache{
		teams:    make(map[string]*teamApps),
		logins:   make(map[string]*loginIndexOnce),
		groups:   make(map[string]*teamGroups),
		channels: make(map[string][]Channel),
	}
}
