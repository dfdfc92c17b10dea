package transform

import "fmt"

// AppStatus is an app's state after replaying the integration log, as
// apps.status stores it. The zero AppStatus is not a state.
type AppStatus uint8

// The app states, in the order the apps table lists them.
const (
	noAppStatus  AppStatus = iota
	AppInstalled           // added, enabled, updated or expanded last
	AppDisabled            // disabled last (by a person, by Slack, or for rate limits)
	AppRemoved             // removed last: holds no access
)

var appStatusNames = [...]string{noAppStatus: "", AppInstalled: "installed", AppDisabled: "disabled", AppRemoved: "removed"}

// AppStatuses are the states, in the order the apps table lists them.
func AppStatuses() []AppStatus { return []AppStatus{AppInstalled, AppDisabled, AppRemoved} }

// String is the state as the warehouse stores it: installed, disabled or
// removed.
func (s AppStatus) String() string {
	if int(s) < len(appStatusNames) {
		return appStatusNames[s]
	}
	return fmt.Sprintf("AppStatus(%d)", uint8(s))
}

// ParseAppStatus reads a state as the warehouse stores it.
func ParseAppStatus(text string) (AppStatus, error) {
	return parseValue("app status", text, AppStatuses())
}

// Compare orders states as the apps table lists them: installed, then
// disabled, then removed. It returns -1, 0 or +1, like [cmp.Compare].
func (s AppStatus) Compare(t AppStatus) int {
	switch {
	case s < t:
		return -1
	case s > t:
		return 1
	}
	return 0
}
