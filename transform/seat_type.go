package transform

import (
	"fmt"
	"strings"
)

// SeatType is the seat a person holds in a billing account, as
// licenses.seat_type stores it. The person seats run from least to most
// privileged (deactivated, invited, single- and multi-channel guest,
// member, admin, owner): in several workspaces of one billing account, a
// person's most privileged seat wins ([SeatType.Outranks]). Bots (apps,
// workflows and Slackbot) stand apart. The zero SeatType is no seat.
type SeatType uint8

// The seat types, least privileged first, bots last.
const (
	noSeat SeatType = iota
	SeatDeactivated
	SeatInvited
	SeatSingleChannelGuest
	SeatMultiChannelGuest
	SeatMember
	SeatAdmin
	SeatOwner
	SeatBot
)

var seatNames = [...]string{
	noSeat: "", SeatDeactivated: "deactivated", SeatInvited: "invited",
	SeatSingleChannelGuest: "single_channel_guest", SeatMultiChannelGuest: "multi_channel_guest",
	SeatMember: "member", SeatAdmin: "admin", SeatOwner: "owner", SeatBot: "bot",
}

// SeatTypes are the seat types, least privileged first, bots last.
func SeatTypes() []SeatType {
	return []SeatType{SeatDeactivated, SeatInvited, SeatSingleChannelGuest, SeatMultiChannelGuest, SeatMember, SeatAdmin, SeatOwner, SeatBot}
}

// String is the seat type as the warehouse stores it: owner, admin, member,
// multi_channel_guest, single_channel_guest, invited, bot or deactivated;
// "" for no seat.
func (s SeatType) String() string {
	if int(s) < len(seatNames) {
		return seatNames[s]
	}
	return fmt.Sprintf("SeatType(%d)", uint8(s))
}

// ParseSeatType reads a seat type as the warehouse stores it.
func ParseSeatType(text string) (SeatType, error) {
	return parseValue("seat type", text, SeatTypes())
}

// Outranks reports whether s is a more privileged seat than t. Bots and no
// seat take no part: they outrank nothing, and every person seat outranks
// them.
func (s SeatType) Outranks(t SeatType) bool { return s.privilege() > t.privilege() }

// privilege is 0 for bots and no seat, else the seat's place from the
// least privileged (1, deactivated) to the most (owner).
func (s SeatType) privilege() int {
	if s >= SeatBot {
		return 0
	}
	return int(s)
}

// Paid reports whether Slack bills the seat type: owners, admins, full
// members and multi-channel guests. Single-channel guests are free up to
// FreeGuestsPerPaidSeat per paid member.
func (s SeatType) Paid() bool {
	switch s {
	case SeatOwner, SeatAdmin, SeatMember, SeatMultiChannelGuest:
		return true
	}
	return false
}

// parseValue finds the value of values whose String is text, or says what
// kind of value text is not and which texts are.
func parseValue[T fmt.Stringer](kind, text string, values []T) (T, error) {
	names := make([]string, 0, len(values))
	for _, v := range values {
		if v.String() == text {
			return v, nil
		}
		names = append(names, v.String())
	}
	var zero T
	return zero, fmt.Errorf("unknown %s %q: expected one of %s", kind, text, strings.Join(names, ", "))
}
