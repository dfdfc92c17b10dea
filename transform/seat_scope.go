package transform

import "fmt"

// SeatScope is what a seat_history row counts, as seat_history.scope (and
// license_summary.scope) stores it: a whole billing account, or one of its
// workspaces. The zero SeatScope is neither.
type SeatScope uint8

// The scopes of seat counts, the account first.
const (
	noSeatScope         SeatScope = iota
	ScopeBillingAccount           // a person counts once however many workspaces they are in
	ScopeWorkspace                // a person counts in each workspace they are in
)

var seatScopeNames = [...]string{noSeatScope: "", ScopeBillingAccount: "billing_account", ScopeWorkspace: "workspace"}

// SeatScopes are the scopes, the account first, as seat_history lists them.
func SeatScopes() []SeatScope { return []SeatScope{ScopeBillingAccount, ScopeWorkspace} }

// String is the scope as the warehouse stores it: billing_account or
// workspace.
func (s SeatScope) String() string {
	if int(s) < len(seatScopeNames) {
		return seatScopeNames[s]
	}
	return fmt.Sprintf("SeatScope(%d)", uint8(s))
}

// ParseSeatScope reads a scope as the warehouse stores it.
func ParseSeatScope(text string) (SeatScope, error) {
	return parseValue("seat scope", text, SeatScopes())
}
