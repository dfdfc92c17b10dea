package transform

import "fmt"

// RiskLevel is how much an app can do, as apps.risk_level stores it: none,
// low, medium, high or critical, and unknown for an app holding only
// scopes the risk table does not know. The zero RiskLevel is not a level.
type RiskLevel uint8

// The risk levels, lowest first, unknown last.
const (
	noRisk       RiskLevel = iota
	RiskNone               // no scopes (a removed app, an outgoing webhook)
	RiskLow                // slash commands, reactions, emoji, link previews, identity
	RiskMedium             // posts messages, reads channel, user and group lists, webhooks
	RiskHigh               // reads public history, files, search, emails; classic bots
	RiskCritical           // administers, manages users, reads private conversations, full client access
	RiskUnknown            // only scopes the table does not know
)

var riskNames = [...]string{
	noRisk: "", RiskNone: "none", RiskLow: "low", RiskMedium: "medium", RiskHigh: "high",
	RiskCritical: "critical", RiskUnknown: "unknown",
}

// RiskLevels are the levels, lowest first, unknown last.
func RiskLevels() []RiskLevel {
	return []RiskLevel{RiskNone, RiskLow, RiskMedium, RiskHigh, RiskCritical, RiskUnknown}
}

// String is the level as the warehouse stores it.
func (l RiskLevel) String() string {
	if int(l) < len(riskNames) {
		return riskNames[l]
	}
	return fmt.Sprintf("RiskLevel(%d)", uint8(l))
}

// ParseRiskLevel reads a level as the warehouse stores it.
func ParseRiskLevel(text string) (RiskLevel, error) {
	return parseValue("risk level", text, RiskLevels())
}

// Compare orders levels by risk, none lowest and critical highest; unknown
// ranks with none, since nothing is known of it. It returns -1, 0 or +1,
// like [cmp.Compare].
func (l RiskLevel) Compare(m RiskLevel) int {
	switch a, b := l.rank(), m.rank(); {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// rank is 0 for none, unknown and no level, then 1 (low) to 4 (critical).
func (l RiskLevel) rank() int {
	if l >= RiskUnknown || l == noRisk {
		return 0
	}
	return int(l - RiskNone)
}

// raised is the level one step riskier, up to critical: an app that acts
// as a person, or is not approved in the Slack Marketplace, can do more
// than its scopes alone say. None and unknown stay as they are.
func (l RiskLevel) raised() RiskLevel {
	if l.rank() == 0 || l >= RiskCritical {
		return l
	}
	return l + 1
}
