package transform

import "fmt"

// Frequency is how often a person uses Slack, as user_usage.usage_frequency
// stores it. The classes run from most to least frequent. The zero
// Frequency is not a class.
type Frequency uint8

// The usage frequency classes, most frequent first.
const (
	noFrequency Frequency = iota
	Daily                 // active on at least 16 of the last 28 days: four days a week or more
	Weekly                // active on 4–15 of the last 28 days
	Monthly               // active on 1–3 of the last 28 days
	Dormant               // used Slack before, but not in the last 28 days
	Never                 // no sign of use at all
)

var frequencyNames = [...]string{
	noFrequency: "", Daily: "daily", Weekly: "weekly", Monthly: "monthly", Dormant: "dormant", Never: "never",
}

// Frequencies are the classes, most frequent first.
func Frequencies() []Frequency { return []Frequency{Daily, Weekly, Monthly, Dormant, Never} }

// String is the class as the warehouse stores it: daily, weekly, monthly,
// dormant or never.
func (f Frequency) String() string {
	if int(f) < len(frequencyNames) {
		return frequencyNames[f]
	}
	return fmt.Sprintf("Frequency(%d)", uint8(f))
}

// ParseFrequency reads a class as the warehouse stores it.
func ParseFrequency(text string) (Frequency, error) {
	return parseValue("usage frequency", text, Frequencies())
}
