package transform_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/transform"
)

// roundTrip checks that every value's stored text is the text the
// warehouse holds, parses back to the value, and that unknown text, empty
// text and text in another case are refused naming the kind of value.
func roundTrip[T interface {
	comparable
	fmt.Stringer
}](t *testing.T, kind string, values []T, texts []string, parse func(string) (T, error)) {
	t.Helper()
	require.Len(t, values, len(texts))
	for i, v := range values {
		assert.Equal(t, texts[i], v.String())
		got, err := parse(texts[i])
		require.NoError(t, err, texts[i])
		assert.Equal(t, v, got, texts[i])
	}
	for _, bad := range []string{"", "bogus", " " + texts[0], "UPPER:" + texts[0]} {
		_, err := parse(bad)
		require.Error(t, err, "%q", bad)
		assert.Contains(t, err.Error(), fmt.Sprintf("unknown %s %q", kind, bad))
		for _, text := range texts {
			assert.Contains(t, err.Error(), text, "the error lists what is accepted")
		}
	}
}

func TestSeatType_StringParse(t *testing.T) {
	roundTrip(t, "seat type", transform.SeatTypes(),
		[]string{"deactivated", "invited", "single_channel_guest", "multi_channel_guest", "member", "admin", "owner", "bot"},
		transform.ParseSeatType)
	assert.Equal(t, "", transform.SeatType(0).String(), "no seat is stored as nothing")
	assert.Equal(t, "SeatType(200)", transform.SeatType(200).String())
}

func TestSeatType_Outranks(t *testing.T) {
	people := slices.DeleteFunc(transform.SeatTypes(), func(s transform.SeatType) bool { return s == transform.SeatBot })
	for i, s := range people {
		for j, u := range people {
			assert.Equal(t, i > j, s.Outranks(u), "%s outranks %s", s, u)
		}
		assert.True(t, s.Outranks(transform.SeatBot), "%s outranks a bot", s)
		assert.False(t, transform.SeatBot.Outranks(s), "a bot outranks no %s", s)
		assert.True(t, s.Outranks(0), "%s outranks no seat", s)
	}
	assert.False(t, transform.SeatBot.Outranks(0))
	assert.True(t, transform.SeatOwner.Outranks(transform.SeatAdmin))
	assert.True(t, transform.SeatMultiChannelGuest.Outranks(transform.SeatSingleChannelGuest))
}

func TestSeatType_Paid(t *testing.T) {
	var paid []transform.SeatType
	for _, s := range transform.SeatTypes() {
		if s.Paid() {
			paid = append(paid, s)
		}
	}
	assert.Equal(t, []transform.SeatType{transform.SeatMultiChannelGuest, transform.SeatMember, transform.SeatAdmin, transform.SeatOwner}, paid)
}

func TestBillingFlag_StringParse(t *testing.T) {
	roundTrip(t, "billing flag", transform.BillingFlags(),
		[]string{"ok", "billed_but_inactive", "billing_flag_unreliable", "never_used"}, transform.ParseBillingFlag)
	assert.Equal(t, "", transform.BillingFlag(0).String(), "no flag is stored as NULL")
}

func TestFrequency_StringParse(t *testing.T) {
	roundTrip(t, "usage frequency", transform.Frequencies(),
		[]string{"daily", "weekly", "monthly", "dormant", "never"}, transform.ParseFrequency)
	assert.Equal(t, []transform.Frequency{transform.Daily, transform.Weekly, transform.Monthly, transform.Dormant, transform.Never},
		transform.Frequencies(), "most frequent first")
}

func TestSeatScope_StringParse(t *testing.T) {
	roundTrip(t, "seat scope", transform.SeatScopes(), []string{"billing_account", "workspace"}, transform.ParseSeatScope)
}

func TestAppStatus_StringParse(t *testing.T) {
	roundTrip(t, "app status", transform.AppStatuses(), []string{"installed", "disabled", "removed"}, transform.ParseAppStatus)
}

func TestAppStatus_Compare(t *testing.T) {
	all := transform.AppStatuses()
	for i, s := range all {
		for j, u := range all {
			assert.Equal(t, cmp.Compare(i, j), s.Compare(u), "%s vs %s", s, u)
		}
	}
	shuffled := []transform.AppStatus{transform.AppRemoved, transform.AppInstalled, transform.AppDisabled}
	slices.SortFunc(shuffled, transform.AppStatus.Compare)
	assert.Equal(t, all, shuffled, "the apps table lists installed, disabled, removed")
}

func TestRiskLevel_StringParse(t *testing.T) {
	roundTrip(t, "risk level", transform.RiskLevels(),
		[]string{"none", "low", "medium", "high", "critical", "unknown"}, transform.ParseRiskLevel)
}

func TestRiskLevel_Compare(t *testing.T) {
	ranked := []transform.RiskLevel{transform.RiskNone, transform.RiskLow, transform.RiskMedium, transform.RiskHigh, transform.RiskCritical}
	for i, l := range ranked {
		for j, m := range ranked {
			assert.Equal(t, cmp.Compare(i, j), l.Compare(m), "%s vs %s", l, m)
		}
	}
	assert.Zero(t, transform.RiskUnknown.Compare(transform.RiskNone), "unknown ranks with none")
	assert.Equal(t, -1, transform.RiskUnknown.Compare(transform.RiskLow))
	assert.Equal(t, 1, transform.RiskCritical.Compare(transform.RiskUnknown))
}

func TestScopeRisk_RiskiestScopeWins(t *testing.T) {
	r := transform.RateApp(transform.AppRiskInput{Scopes: []string{"commands", "im:history", "chat:write", "ai.summaries:read"}})
	assert.Equal(t, transform.RiskCritical, r.Level)
	assert.Equal(t, "critical scope im:history", r.Reasons[0], "the level's stored text in words")
	assert.Equal(t, transform.RiskUnknown, transform.ScopeRisk("ai.summaries:read"))
	assert.Equal(t, transform.RiskCritical, transform.ScopeRisk("admin.conversations:write"), "prefix rule")
}
