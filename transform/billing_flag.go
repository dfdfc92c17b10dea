package transform

import "fmt"

// BillingFlag compares what Slack bills for a paid seat with how the seat
// was used, as licenses.billing_flag stores it. The zero BillingFlag is no
// flag: the seat is not one Slack bills (stored as NULL).
type BillingFlag uint8

// The billing flags of a paid seat.
const (
	noFlag         BillingFlag = iota
	FlagOK                     // used within the window, or Slack agrees it is not billed
	FlagInactive               // paid for but not used within the window
	FlagUnreliable             // Slack says billing_active, activity says unused
	FlagNeverUsed              // paid seat with no sign of use at all
)

var flagNames = [...]string{
	noFlag: "", FlagOK: "ok", FlagInactive: "billed_but_inactive",
	FlagUnreliable: "billing_flag_unreliable", FlagNeverUsed: "never_used",
}

// BillingFlags are the flags a paid seat can carry.
func BillingFlags() []BillingFlag {
	return []BillingFlag{FlagOK, FlagInactive, FlagUnreliable, FlagNeverUsed}
}

// String is the flag as the warehouse stores it: ok, billed_but_inactive,
// billing_flag_unreliable or never_used; "" for no flag.
func (f BillingFlag) String() string {
	if int(f) < len(flagNames) {
		return flagNames[f]
	}
	return fmt.Sprintf("BillingFlag(%d)", uint8(f))
}

// ParseBillingFlag reads a flag as the warehouse stores it.
func ParseBillingFlag(text string) (BillingFlag, error) {
	return parseValue("billing flag", text, BillingFlags())
}
