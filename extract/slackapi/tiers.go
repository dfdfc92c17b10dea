package slackapi

// Tier is a Slack Web API rate-limit tier: the calls per minute Slack allows
// for one method, per workspace and app.
type Tier int

// Slack's documented tiers.
const (
	Tier1 Tier = 1
	Tier2 Tier = 20
	Tier3 Tier = 50
	Tier4 Tier = 100
	// TierSpecial methods have their own rules (chat.postMessage: about one
	// message per second per channel); the client paces them at one per second.
	TierSpecial Tier = 60
)

// tiers maps each Slack method slackaudit calls to its documented tier.
var tiers = map[string]Tier{
	"auth.test":                  Tier4,
	"team.info":                  Tier3,
	"team.billing.info":          Tier3,
	"team.billableInfo":          Tier2,
	"team.accessLogs":            Tier2,
	"team.integrationLogs":       Tier2,
	"users.list":                 Tier2,
	"users.info":                 Tier4,
	"users.lookupByEmail":        Tier3,
	"usergroups.list":            Tier2,
	"usergroups.users.list":      Tier2,
	"usergroups.users.update":    Tier2,
	"admin.teams.list":           Tier3,
	"admin.users.list":           Tier4,
	"admin.users.assign":         Tier2,
	"admin.users.remove":         Tier2,
	"admin.users.invite":         Tier2,
	"admin.analytics.getFile":    Tier2,
	"admin.apps.approved.list":   Tier2,
	"admin.apps.restricted.list": Tier2,
	"admin.apps.requests.list":   Tier2,
	"chat.postMessage":           TierSpecial,
	"conversations.open":         Tier3,
	scimGetUser:                  Tier4,
	scimPatchUser:                Tier3,
}

// TierOf returns the documented tier of method; unknown methods get Tier2,
// the most common tier for methods that page.
func TierOf(method string) Tier {
	if t, ok := tiers[method]; ok {
		return t
	}
	return Tier2
}

// perMinute is how many calls the tier allows a minute.
func (t Tier) perMinute() int { return max(int(t), 1) }
