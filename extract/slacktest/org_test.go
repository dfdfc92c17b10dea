package slacktest_test

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

func TestNewOrgDefaults(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{})
	require.Len(t, o.Users, 200)
	require.Equal(t, 200, o.Config.Users)
	require.Equal(t, slacktest.PlanBusiness, o.Plan)
	require.Equal(t, "Acme", o.Name)
	require.Equal(t, time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), o.Now)
	require.Len(t, o.Teams, 1)
	require.Empty(t, o.EnterpriseID)
	team := o.Teams[0]
	require.Regexp(t, `^T0[0-9A-Z]{9}$`, team.ID)
	require.Equal(t, "acme", team.Domain)
	require.Equal(t, "acme.example.com", team.EmailDomain)
	require.Same(t, team, o.Team(team.ID))
	require.Nil(t, o.Team("T_NOPE"))

	// Non-enterprise plans have one workspace whatever is asked.
	require.Len(t, slacktest.NewOrg(slacktest.Config{Plan: slacktest.PlanPro, Workspaces: 4}).Teams, 1)
}

func TestNewOrgDeterministic(t *testing.T) {
	a := slacktest.NewOrg(slacktest.Config{Seed: 7, Users: 500})
	b := slacktest.NewOrg(slacktest.Config{Seed: 7, Users: 500})
	c := slacktest.NewOrg(slacktest.Config{Seed: 8, Users: 500})
	require.Equal(t, a.Teams, b.Teams)
	require.Equal(t, len(a.Users), len(b.Users))
	for i := range a.Users {
		require.Equal(t, *a.Users[i], *b.Users[i])
	}
	require.Equal(t, a.AdminToken(), b.AdminToken())
	require.NotEqual(t, a.Teams[0].ID, c.Teams[0].ID)
	require.NotEqual(t, a.Users[0].ID, c.Users[0].ID)
}

// TestOrgMix checks that every kind of account is present in realistic proportions.
func TestOrgMix(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{Seed: 42, Users: 1000})
	require.Len(t, o.Users, 1000)
	count := map[string]int{}
	acts := map[slacktest.Activity]int{}
	ids := map[string]bool{}
	emails := map[string]bool{}
	handles := map[string]bool{}
	unicode := 0
	now := o.Now
	for i, u := range o.Users {
		if i > 0 {
			require.Less(t, o.Users[i-1].ID, u.ID, "users sorted by ID")
		}
		require.False(t, ids[u.ID], "duplicate id %s", u.ID)
		ids[u.ID] = true
		require.False(t, handles[u.Name], "duplicate handle %s", u.Name)
		handles[u.Name] = true
		require.Same(t, u, o.User(u.ID))
		require.Equal(t, []string{o.Teams[0].ID}, u.Teams)
		require.Equal(t, o.Teams[0].ID, u.TeamID)
		require.NotEmpty(t, u.RealName)
		require.True(t, utf8.ValidString(u.RealName))
		require.NotEmpty(t, u.TZ)

		if u.ID != slacktest.SlackbotID {
			require.Regexp(t, `^U0[0-9A-Z]{9}$`, u.ID)
		}
		switch {
		case u.ID == slacktest.SlackbotID:
			count["slackbot"]++
			require.Equal(t, "slackbot", u.Name)
			require.Equal(t, "Slackbot", u.RealName)
			require.False(t, u.IsBot)
			require.Empty(t, u.Email)
		case u.IsBot:
			count["bot"]++
			require.Regexp(t, `^B0[0-9A-Z]{9}$`, u.BotID)
			require.Regexp(t, `^A0[0-9A-Z]{9}$`, u.AppID)
			require.Empty(t, u.Email)
			require.False(t, u.IsAppUser)
		case u.IsAppUser:
			count["app"]++
			require.NotEmpty(t, u.AppID)
			require.Empty(t, u.Email)
		default: // humans
			require.Equal(t, u.Name+"@acme.example.com", u.Email)
			require.False(t, emails[u.Email], "duplicate email %s", u.Email)
			emails[u.Email] = true
			require.Regexp(t, `^[a-z]+\.[a-z]+[0-9]*$`, u.Name)
			if !isASCII(u.RealName) {
				unicode++
			}
			switch {
			case u.Deleted:
				count["deactivated"]++
				require.False(t, u.IsAdmin || u.IsOwner || u.IsPrimaryOwner || u.IsRestricted || u.IsUltraRestricted || u.IsInvitedUser)
				require.Contains(t, []slacktest.Activity{slacktest.ActivityDormant, slacktest.ActivityNever}, u.Activity)
			case u.IsInvitedUser:
				count["invited"]++
				require.Equal(t, slacktest.ActivityNever, u.Activity)
			case u.IsPrimaryOwner:
				count["primary_owner"]++
				require.True(t, u.IsOwner && u.IsAdmin)
			case u.IsOwner:
				count["owner"]++
				require.True(t, u.IsAdmin)
			case u.IsAdmin:
				count["admin"]++
			case u.IsUltraRestricted:
				count["single_channel_guest"]++
				require.True(t, u.IsRestricted, "single-channel guests are restricted too")
			case u.IsRestricted:
				count["multi_channel_guest"]++
			default:
				count["member"]++
			}
			if !u.Deleted && !u.IsInvitedUser {
				acts[u.Activity]++
			}
		}
		// Times are consistent with the activity pattern.
		require.False(t, u.Created.After(now))
		require.False(t, u.Updated.Before(u.Created), u.ID)
		require.False(t, u.Updated.After(now))
		switch u.Activity {
		case slacktest.ActivityNever:
			require.True(t, u.LastActive.IsZero())
		case slacktest.ActivityDaily:
			require.WithinDuration(t, now, u.LastActive, 48*time.Hour)
		case slacktest.ActivityWeekly:
			require.WithinDuration(t, now, u.LastActive, 7*24*time.Hour)
		case slacktest.ActivityMonthly:
			require.WithinDuration(t, now, u.LastActive, 28*24*time.Hour)
		case slacktest.ActivityDormant:
			require.True(t, u.LastActive.Before(now.Add(-28*24*time.Hour)))
			require.True(t, u.LastActive.After(now.Add(-401*24*time.Hour)))
		default:
			t.Fatalf("unknown activity %q", u.Activity)
		}
		if !u.LastActive.IsZero() {
			require.True(t, u.Created.Before(u.LastActive))
		}
	}
	require.Equal(t, 1, count["slackbot"])
	require.Equal(t, 1, count["primary_owner"])
	for k, want := range map[string][2]int{ // [min, max] for 1000 accounts
		"owner": {5, 20}, "admin": {20, 40}, "multi_channel_guest": {60, 100}, "single_channel_guest": {30, 50},
		"bot": {10, 30}, "app": {5, 20}, "invited": {10, 30}, "deactivated": {60, 100}, "member": {600, 800},
	} {
		require.GreaterOrEqual(t, count[k], want[0], k)
		require.LessOrEqual(t, count[k], want[1], k)
	}
	active := 0
	for _, n := range acts {
		active += n
	}
	for a, share := range map[slacktest.Activity]float64{
		slacktest.ActivityDaily: .45, slacktest.ActivityWeekly: .20, slacktest.ActivityMonthly: .10,
		slacktest.ActivityDormant: .15, slacktest.ActivityNever: .10,
	} {
		require.InDelta(t, share, float64(acts[a])/float64(active), 0.03, a)
	}
	humans := len(emails)
	require.InDelta(t, 0.10, float64(unicode)/float64(humans), 0.04, "share of unicode names")
}

func TestOrgSmallHasEveryKind(t *testing.T) {
	for _, n := range []int{20, 50} {
		o := slacktest.NewOrg(slacktest.Config{Seed: 3, Users: n})
		require.Len(t, o.Users, n)
		has := func(f func(*slacktest.User) bool) bool { return slices.ContainsFunc(o.Users, f) }
		require.True(t, has(func(u *slacktest.User) bool { return u.IsPrimaryOwner }))
		require.True(t, has(func(u *slacktest.User) bool { return u.IsOwner && !u.IsPrimaryOwner }))
		require.True(t, has(func(u *slacktest.User) bool { return u.IsAdmin && !u.IsOwner }))
		require.True(t, has(func(u *slacktest.User) bool { return u.IsRestricted && !u.IsUltraRestricted }))
		require.True(t, has(func(u *slacktest.User) bool { return u.IsUltraRestricted }))
		require.True(t, has(func(u *slacktest.User) bool { return u.IsBot }))
		require.True(t, has(func(u *slacktest.User) bool { return u.IsAppUser }))
		require.True(t, has(func(u *slacktest.User) bool { return u.IsInvitedUser }))
		require.True(t, has(func(u *slacktest.User) bool { return u.Deleted }))
		require.True(t, has(func(u *slacktest.User) bool { return u.ID == slacktest.SlackbotID }))
	}
	// Tiny orgs still have the primary owner and Slackbot.
	o := slacktest.NewOrg(slacktest.Config{Users: 1})
	require.Len(t, o.Users, 2)
	require.Equal(t, o.AdminToken().UserID, o.Users[0].ID)
}

// TestHandlesUniqueAcrossRounds generates more people than there are name
// combinations, so handles need numeric suffixes.
func TestHandlesUniqueAcrossRounds(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{Seed: 9, Users: 30000})
	seen := make(map[string]bool, len(o.Users))
	suffixed := 0
	for _, u := range o.Users {
		require.False(t, seen[u.Name], "duplicate handle %s", u.Name)
		seen[u.Name] = true
		if strings.ContainsAny(u.Name[len(u.Name)-1:], "0123456789") {
			suffixed++
		}
	}
	require.Greater(t, suffixed, 10000)
}

func TestEnterpriseOrg(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{Seed: 5, Users: 2000, Plan: slacktest.PlanEnterprise, Workspaces: 4, Name: "Umbrella Corp"})
	require.Regexp(t, `^E0[0-9A-Z]{9}$`, o.EnterpriseID)
	require.Equal(t, "Umbrella Corp", o.EnterpriseName)
	require.Len(t, o.Teams, 4)
	require.Equal(t, "umbrella-corp", o.Teams[0].Domain)
	require.Equal(t, "Umbrella Corp Engineering", o.Teams[1].Name)
	require.Equal(t, "umbrella-corp-engineering", o.Teams[1].Domain)
	for _, team := range o.Teams {
		require.Equal(t, o.EnterpriseID, team.EnterpriseID)
		require.Equal(t, "umbrella-corp.example.com", team.EmailDomain)
	}
	require.Equal(t, slacktest.SlackbotID, o.Users[0].ID, "USLACKBOT sorts before W…")
	multi := 0
	perTeam := map[string]int{}
	for _, u := range o.Users[1:] {
		require.Regexp(t, `^W0[0-9A-Z]{9}$`, u.ID)
		require.Equal(t, u.Teams[0], u.TeamID)
		require.NotNil(t, o.Team(u.TeamID))
		require.Len(t, slices.Compact(slices.Clone(u.Teams)), len(u.Teams))
		if len(u.Teams) > 1 {
			multi++
		}
		for _, id := range u.Teams {
			perTeam[id]++
		}
		if u.IsPrimaryOwner {
			require.Len(t, u.Teams, 4)
			require.Equal(t, o.Teams[0].ID, u.TeamID)
		}
	}
	require.InDelta(t, 0.30, float64(multi)/float64(len(o.Users)), 0.06)
	for _, team := range o.Teams {
		require.Greater(t, perTeam[team.ID], 300, team.Name)
	}
	tok := o.AdminToken()
	require.Equal(t, o.Teams[0].ID, tok.TeamID)
	require.True(t, o.User(tok.UserID).IsPrimaryOwner)
}

func TestAdminToken(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{Seed: 1})
	tok := o.AdminToken()
	require.Equal(t, slacktest.TokenUser, tok.Kind)
	require.True(t, strings.HasPrefix(tok.Value, "xoxp-slacktest-"))
	require.ElementsMatch(t, []string{"admin", "users:read", "users:read.email", "team:read", "team.billing:read", "usergroups:read"}, tok.Scopes)
	require.Equal(t, o.Teams[0].ID, tok.TeamID)
	require.True(t, o.User(tok.UserID).IsPrimaryOwner)
	bot := o.BotToken("users:read")
	require.Equal(t, slacktest.TokenBot, bot.Kind)
	require.True(t, strings.HasPrefix(bot.Value, "xoxb-"))
	require.True(t, o.User(bot.UserID).IsBot)
	require.NotEqual(t, o.UserToken(tok.UserID, "users:read").Value, o.UserToken(tok.UserID, "team:read").Value)
}

func TestNewOrgLarge(t *testing.T) {
	o := slacktest.NewOrg(slacktest.Config{Seed: 1, Users: 200000})
	require.Len(t, o.Users, 200000)
	ids := make(map[string]bool, len(o.Users))
	for _, u := range o.Users {
		require.False(t, ids[u.ID], "user %s generated twice", u.ID)
		ids[u.ID] = true
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
