package slacktest

import "sync"

// orgCache holds data derived from the org on first use and kept: small
// per-workspace state (apps and their histories) and the sign-in
// histograms of recent team.accessLogs listings. Because of it, change an
// Org's Users, Teams or Config before serving it, not between requests.
type orgCache struct {
	appIDsOnce sync.Once
	appIDs     map[string]string // app name → app ID of the org's bot or app user for it

	mu    sync.Mutex
	teams map[string]*teamApps   // app state per workspace
	hists map[histKey]*loginHist // sign-in histograms of recent listings
}

func newOrgCache() *orgCache {
	return &orgCache{teams: make(map[string]*teamApps), hists: make(map[histKey]*loginHist)}
}
