package slackapi_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
)

func TestPlanNamesAndWhatEachOffers(t *testing.T) {
	for _, tc := range []struct {
		code, name, title                         string
		paid, scim, grid, enterprise, fairBilling bool
	}{
		{"free", "free", "Slack Free", false, false, false, false, false},
		{"std", "pro", "Slack Pro", true, false, false, false, true},
		{"plus", "business_plus", "Slack Business+", true, true, false, false, true},
		{"enterprise", "enterprise", "Enterprise Grid", true, true, true, true, false},
		{"compliance", "compliance", "Enterprise Select", true, true, false, true, false},
		{"", "unknown", "an unknown plan ()", false, false, false, false, false},
		{"plus_2030", "plus_2030", "an unknown plan (plus_2030)", false, false, false, false, false},
	} {
		p := slackapi.ParsePlan(tc.code)
		assert.Equal(t, tc.code, p.Code(), tc.code)
		assert.Equal(t, tc.name, p.String(), tc.code)
		assert.Equal(t, tc.title, p.Title(), tc.code)
		assert.Equal(t, tc.paid, p.Paid(), "Paid %q", tc.code)
		assert.Equal(t, tc.paid, p.HasAccessLogs(), "HasAccessLogs %q", tc.code)
		assert.Equal(t, tc.paid, p.HasUserGroups(), "HasUserGroups %q", tc.code)
		assert.Equal(t, tc.scim, p.HasSCIM(), "HasSCIM %q", tc.code)
		assert.Equal(t, tc.grid, p.IsGrid(), "IsGrid %q", tc.code)
		assert.Equal(t, tc.enterprise, p.IsEnterprise(), "IsEnterprise %q", tc.code)
		assert.Equal(t, tc.fairBilling, p.FairBilling(), "FairBilling %q", tc.code)

		// The warehouse's name reads back as the same plan; only the six
		// names String gives are warehouse names.
		back, ok := slackapi.ParsePlanName(tc.name)
		assert.Equal(t, p, back, tc.name)
		assert.Equal(t, tc.code != "plus_2030", ok, tc.name)
	}
}

func TestPlanCodeIsNotAName(t *testing.T) {
	for _, code := range []string{"std", "plus", "Pro", " pro", ""} {
		_, ok := slackapi.ParsePlanName(code)
		assert.False(t, ok, "%q is not a warehouse name", code)
	}
}

func TestPlansOfTheSyntheticOrg(t *testing.T) {
	for code, want := range map[string]slackapi.Plan{slacktest.PlanFree: slackapi.PlanFree, slacktest.PlanPro: slackapi.PlanPro,
		slacktest.PlanBusiness: slackapi.PlanBusinessPlus, slacktest.PlanEnterprise: slackapi.PlanEnterprise} {
		assert.Equal(t, want, slackapi.ParsePlan(code))
	}
}
