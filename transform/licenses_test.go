package transform_test

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slackapi"
	"slackaudit/transform"
)

var (
	seatUsersSchema = arrow.NewSchema([]arrow.Field{
		{Name: "team_id", Type: arrow.BinaryTypes.String}, {Name: "user_id", Type: arrow.BinaryTypes.String},
		{Name: "enterprise_id", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "is_admin", Type: arrow.FixedWidthTypes.Boolean}, {Name: "is_owner", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "is_primary_owner", Type: arrow.FixedWidthTypes.Boolean}, {Name: "is_restricted", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "is_ultra_restricted", Type: arrow.FixedWidthTypes.Boolean}, {Name: "is_bot", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "is_app_user", Type: arrow.FixedWidthTypes.Boolean}, {Name: "is_invited_user", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "deleted", Type: arrow.FixedWidthTypes.Boolean},
	}, nil)
	workspacesSchema = arrow.NewSchema([]arrow.Field{{Name: "team_id", Type: arrow.BinaryTypes.String}, {Name: "plan", Type: arrow.BinaryTypes.String}}, nil)
	billableSchema   = arrow.NewSchema([]arrow.Field{{Name: "team_id", Type: arrow.BinaryTypes.String}, {Name: "user_id", Type: arrow.BinaryTypes.String}, {Name: "billing_active", Type: arrow.FixedWidthTypes.Boolean}}, nil)
	usageSchema      = arrow.NewSchema([]arrow.Field{{Name: "org_id", Type: arrow.BinaryTypes.String}, {Name: "user_id", Type: arrow.BinaryTypes.String}, {Name: "last_used_at", Type: tsType, Nullable: true}}, nil)
)

// account builds a users row from a compact role: owner, primary, admin,
// member, mcg, scg, bot, app, invited, deleted.
func account(team, user, ent, role string) []any {
	r := []any{team, user, nil, false, false, false, false, false, false, false, false, false}
	if ent != "" {
		r[2] = ent
	}
	set := map[string][]int{"owner": {4, 3}, "primary": {4, 5, 3}, "admin": {3}, "mcg": {6}, "scg": {6, 7}, "bot": {8},
		"app": {9}, "invited": {10}, "deleted": {11}}
	for _, i := range set[role] {
		r[i] = true
	}
	return r
}

func TestSeatTypesAndBillingFlags(t *testing.T) {
	l := transform.NewLicenses(transform.LicenseConfig{AsOf: asOf, RunID: 7})
	rows := [][]any{
		account("T1", "Uowner", "", "primary"), account("T1", "Uadmin", "", "admin"), account("T1", "Umember", "", "member"),
		account("T1", "Umcg", "", "mcg"), account("T1", "Ubot", "", "bot"), account("T1", "Uapp", "", "app"),
		account("T1", "USLACKBOT", "", "member"), account("T1", "Uinvited", "", "invited"), account("T1", "Udeleted", "", "deleted"),
		account("T1", "Uunreliable", "", "member"), account("T1", "Unever", "", "member"), account("T1", "Ucredited", "", "member"),
	}
	// 4 paid seats × 5 = 20 free single-channel guests… there are 6 paid
	// seat types here (owner, admin, 4 members, mcg → 7), so 35 are free; 37
	// makes two billed.
	for i := range 37 {
		rows = append(rows, account("T1", "Uscg"+string(rune('A'+i/26))+string(rune('a'+i%26)), "", "scg"))
	}
	require.NoError(t, l.Observe("workspaces", batch(t, workspacesSchema, []any{"T1", "business_plus"})))
	require.NoError(t, l.Observe("users", batch(t, seatUsersSchema, rows...)))
	var bill [][]any
	for _, r := range rows {
		bill = append(bill, []any{"T1", r[1], r[1] != "Ubot" && r[1] != "Ucredited" && r[1] != "Udeleted"})
	}
	require.NoError(t, l.Observe("billable_info", batch(t, billableSchema, bill...)))
	recent, old := asOf.Add(-3*24*time.Hour), asOf.Add(-40*24*time.Hour)
	require.NoError(t, l.Observe("user_usage", batch(t, usageSchema,
		[]any{"T1", "Uowner", recent}, []any{"T1", "Uadmin", recent}, []any{"T1", "Umember", recent}, []any{"T1", "Umcg", old},
		[]any{"T1", "Uunreliable", old}, []any{"T1", "Unever", nil}, []any{"T1", "Ucredited", old},
	)))
	got := map[string]transform.License{}
	for _, lic := range l.Rows() {
		got[lic.User] = lic
	}
	want := map[string]transform.SeatType{"Uowner": transform.SeatOwner, "Uadmin": transform.SeatAdmin, "Umember": transform.SeatMember,
		"Umcg": transform.SeatMultiChannelGuest, "Ubot": transform.SeatBot, "Uapp": transform.SeatBot, "USLACKBOT": transform.SeatBot,
		"Uinvited": transform.SeatInvited, "Udeleted": transform.SeatDeactivated, "UscgAa": transform.SeatSingleChannelGuest}
	for user, seat := range want {
		assert.Equal(t, seat, got[user].Seat, user)
	}
	noFlag := transform.BillingFlag(0) // not a seat Slack bills
	for user, flag := range map[string]transform.BillingFlag{"Uowner": transform.FlagOK, "Umcg": transform.FlagUnreliable,
		"Uunreliable": transform.FlagUnreliable, "Unever": transform.FlagNeverUsed, "Ucredited": transform.FlagOK,
		"Ubot": noFlag, "Uinvited": noFlag, "UscgAa": noFlag} {
		assert.Equal(t, flag, got[user].Flag, user)
	}
	assert.True(t, got["Uowner"].EstimatedBillable)
	assert.False(t, got["Uunreliable"].EstimatedBillable)
	assert.InDelta(t, 18.0, got["Umember"].MonthlyCost, 1e-9, "Business+ list price, monthly billing")
	assert.Zero(t, got["Ubot"].MonthlyCost)

	overflow := 0
	for _, lic := range got {
		if lic.GuestOverflow {
			overflow++
			assert.True(t, lic.Paid)
			assert.Equal(t, transform.SeatSingleChannelGuest, lic.Seat)
		}
	}
	assert.Equal(t, 2, overflow, "37 single-channel guests, 35 free for 7 paid seats")
	assert.True(t, got["UscgBk"].GuestOverflow, "the guests past the allowance, in user order")

	sums := l.Summaries()
	require.Len(t, sums, 2)
	acct := sums[0]
	assert.Equal(t, transform.ScopeBillingAccount, acct.Scope)
	assert.EqualValues(t, 9, acct.Paid, "7 paid seat types and 2 billed guests")
	assert.EqualValues(t, 2, acct.BilledGuests)
	assert.EqualValues(t, 3, acct.EstimatedBillable)
	assert.EqualValues(t, 6, acct.Inactive, "mcg, unreliable, never, credited and 2 billed guests")
	assert.InDelta(t, 6*18.0, acct.MonthlyWaste, 1e-9)
	// Slack flags 5 of the 6 unused paid seats: not quite "nearly all".
	assert.False(t, acct.AllActivePattern)
	assert.Empty(t, acct.Note)
	assert.Equal(t, transform.ScopeWorkspace, sums[1].Scope)
}

func TestAllActivePatternIsSaidInPlainWords(t *testing.T) {
	l := transform.NewLicenses(transform.LicenseConfig{AsOf: asOf})
	var users, bill, usage [][]any
	for i := range 20 {
		id := "U" + string(rune('a'+i))
		users = append(users, account("T1", id, "", "member"))
		bill = append(bill, []any{"T1", id, true})
		if i < 8 {
			usage = append(usage, []any{"T1", id, asOf.Add(-24 * time.Hour)})
		}
	}
	require.NoError(t, l.Observe("workspaces", batch(t, workspacesSchema, []any{"T1", "pro"})))
	require.NoError(t, l.Observe("users", batch(t, seatUsersSchema, users...)))
	require.NoError(t, l.Observe("billable_info", batch(t, billableSchema, bill...)))
	require.NoError(t, l.Observe("user_usage", batch(t, usageSchema, usage...)))
	acct := l.Summaries()[0]
	assert.True(t, acct.AllActivePattern)
	assert.Equal(t, "Slack flags 20 accounts as billable and 20 seats are of paid types, but only 8 of those were used in the last 28 days: "+
		"Slack's billing_active flag reads true for nearly everyone here, so it overstates what is billed. "+
		"The estimate of 8 billable seats comes from activity.", acct.Note)
	assert.InDelta(t, 12*8.75, acct.MonthlyWaste, 1e-9)
}

func TestGridPersonHoldsOneSeatPerBillingAccount(t *testing.T) {
	org := map[string]string{"T1": "E1", "T2": "E1", "T3": "E1"}
	l := transform.NewLicenses(transform.LicenseConfig{AsOf: asOf, OrgOf: org})
	require.NoError(t, l.Observe("workspaces", batch(t, workspacesSchema, []any{"T1", "enterprise"}, []any{"T2", "enterprise"}, []any{"T3", "enterprise"})))
	require.NoError(t, l.Observe("users", batch(t, seatUsersSchema,
		account("T1", "W1", "E1", "member"), account("T2", "W1", "E1", "admin"), account("T3", "W1", "E1", "scg"),
		account("T1", "W2", "E1", "deleted"), account("T2", "W2", "E1", "mcg"),
	)))
	orgUsers := arrow.NewSchema([]arrow.Field{{Name: "enterprise_id", Type: arrow.BinaryTypes.String}, {Name: "user_id", Type: arrow.BinaryTypes.String},
		{Name: "is_active", Type: arrow.FixedWidthTypes.Boolean}, {Name: "is_admin", Type: arrow.FixedWidthTypes.Boolean}}, nil)
	require.NoError(t, l.Observe("users", batch(t, seatUsersSchema, account("T1", "W3", "E1", "invited"))))
	require.NoError(t, l.Observe("org_users", batch(t, orgUsers,
		[]any{"E1", "W3", true, false}, // admin.users.list cannot tell a pending invite
		[]any{"E1", "W4", true, true},  // in no workspace list that was read
	)))
	rows := l.Rows()
	require.Len(t, rows, 4)
	assert.Equal(t, transform.SeatInvited, rows[2].Seat, "the workspace list decides when there is one")
	assert.Equal(t, transform.SeatAdmin, rows[3].Seat, "the org list fills in")
	rows = rows[:2]
	assert.Equal(t, transform.SeatAdmin, rows[0].Seat, "the most privileged role wins")
	assert.Equal(t, 3, rows[0].Workspaces)
	assert.Equal(t, transform.SeatMultiChannelGuest, rows[1].Seat, "active in one workspace beats deactivated in another")
	sums := l.Summaries()
	require.Len(t, sums, 4, "the account and its three workspaces")
	assert.EqualValues(t, 3, sums[0].Paid)
	assert.EqualValues(t, 2, sums[1].Paid+sums[1].BySeat[transform.SeatDeactivated], "T1 counts W1 and W2")
	assert.False(t, sums[0].PriceKnown)
	assert.True(t, strings.Contains(sums[0].Note, "--price enterprise="), sums[0].Note)

	prices, err := transform.DefaultPrices(transform.CycleAnnual)
	require.NoError(t, err)
	require.NoError(t, prices.Set("enterprise=21.5"))
	l2 := transform.NewLicenses(transform.LicenseConfig{AsOf: asOf, OrgOf: org, Prices: prices})
	require.NoError(t, l2.Observe("workspaces", batch(t, workspacesSchema, []any{"T1", "enterprise"})))
	require.NoError(t, l2.Observe("users", batch(t, seatUsersSchema, account("T1", "W1", "E1", "member"))))
	assert.InDelta(t, 21.5, l2.Rows()[0].MonthlyCost, 1e-9)
}

func TestPrices(t *testing.T) {
	p, err := transform.DefaultPrices("")
	require.NoError(t, err)
	assert.InDelta(t, 8.75, p.PerSeat[slackapi.PlanPro], 1e-9)
	a, _ := transform.DefaultPrices(transform.CycleAnnual)
	assert.InDelta(t, 7.25, a.PerSeat[slackapi.PlanPro], 1e-9)
	assert.ErrorContains(t, p.Set("teams=3"), `unknown plan "teams"`)
	assert.ErrorContains(t, p.Set("pro"), "want PLAN=AMOUNT")
	assert.ErrorContains(t, p.Set("pro=-1"), "not an amount")
	_, err = transform.DefaultPrices("weekly")
	assert.Error(t, err)
	require.NoError(t, p.ReadFile(strings.NewReader("# prices\ncycle=annual\ncurrency=EUR\nbusiness_plus=11\n"), "prices.txt"))
	assert.Equal(t, "EUR", p.Currency)
	assert.InDelta(t, 7.25, p.PerSeat[slackapi.PlanPro], 1e-9)
	assert.InDelta(t, 11, p.PerSeat[slackapi.PlanBusinessPlus], 1e-9)
	err = p.ReadFile(strings.NewReader("pro=1\nbogus=2\n"), "prices.txt")
	assert.ErrorContains(t, err, "prices.txt line 2")
}
