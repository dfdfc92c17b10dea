package slacktest_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

type adminAppJS struct {
	ID                     string            `json:"id"`
	Name                   string            `json:"name"`
	Description            *string           `json:"description"`
	HelpURL                *string           `json:"help_url"`
	PrivacyPolicyURL       *string           `json:"privacy_policy_url"`
	AppHomepageURL         *string           `json:"app_homepage_url"`
	AppDirectoryURL        *string           `json:"app_directory_url"`
	IsAppDirectoryApproved *bool             `json:"is_app_directory_approved"`
	IsInternal             *bool             `json:"is_internal"`
	DeveloperType          string            `json:"developer_type"`
	SocketModeEnabled      *bool             `json:"socket_mode_enabled"`
	Icons                  map[string]string `json:"icons"`
	AdditionalInfo         *string           `json:"additional_info"`
}

type appScopeJS struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	IsSensitive *bool  `json:"is_sensitive"`
	TokenType   string `json:"token_type"`
	IsOptional  *bool  `json:"is_optional"`
	IsApproved  *bool  `json:"is_approved"`
}

type appItemJS struct {
	App            adminAppJS   `json:"app"`
	Scopes         []appScopeJS `json:"scopes"`
	DateUpdated    int64        `json:"date_updated"`
	LastResolvedBy struct {
		ActorID   string `json:"actor_id"`
		ActorType string `json:"actor_type"`
	} `json:"last_resolved_by"`
}

type appRequestJS struct {
	ID                 string     `json:"id"`
	App                adminAppJS `json:"app"`
	PreviousResolution *struct {
		Status string       `json:"status"`
		Scopes []appScopeJS `json:"scopes"`
	} `json:"previous_resolution"`
	User struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"user"`
	Team struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Domain string `json:"domain"`
	} `json:"team"`
	Scopes                []appScopeJS `json:"scopes"`
	Message               *string      `json:"message"`
	IsUserAppCollaborator *bool        `json:"is_user_app_collaborator"`
	DateCreated           int64        `json:"date_created"`
}

type appsPage struct {
	OK               bool           `json:"ok"`
	ApprovedApps     []appItemJS    `json:"approved_apps"`
	RestrictedApps   []appItemJS    `json:"restricted_apps"`
	AppRequests      []appRequestJS `json:"app_requests"`
	ResponseMetadata metadataJS     `json:"response_metadata"`
}

// listApps pages through one admin.apps list with the given page size.
func listApps(t *testing.T, srv *slacktest.Server, tok, method string, limit int, kv ...string) appsPage {
	t.Helper()
	var all appsPage
	cursor := ""
	for {
		p := decode[appsPage](t, call(t, srv, method, form(append([]string{"token", tok, "limit", strconv.Itoa(limit), "cursor", cursor}, kv...)...)))
		require.True(t, p.OK)
		all.ApprovedApps = append(all.ApprovedApps, p.ApprovedApps...)
		all.RestrictedApps = append(all.RestrictedApps, p.RestrictedApps...)
		all.AppRequests = append(all.AppRequests, p.AppRequests...)
		require.LessOrEqual(t, len(p.ApprovedApps)+len(p.RestrictedApps)+len(p.AppRequests), limit)
		require.NotNil(t, p.ResponseMetadata.NextCursor)
		if cursor = *p.ResponseMetadata.NextCursor; cursor == "" {
			return all
		}
	}
}

func checkApp(t *testing.T, a adminAppJS) {
	t.Helper()
	require.Regexp(t, `^A0[0-9A-Z]{9}$`, a.ID)
	require.NotEmpty(t, a.Name)
	require.NotNil(t, a.Description)
	require.NotNil(t, a.IsAppDirectoryApproved)
	require.NotNil(t, a.IsInternal)
	require.NotNil(t, a.SocketModeEnabled)
	require.NotNil(t, a.AdditionalInfo)
	require.NotEmpty(t, a.Icons["image_32"])
	if *a.IsInternal {
		require.Equal(t, "internal", a.DeveloperType)
		require.False(t, *a.IsAppDirectoryApproved)
	} else {
		require.Equal(t, "third_party", a.DeveloperType)
	}
	if *a.IsAppDirectoryApproved {
		require.True(t, strings.HasPrefix(*a.AppDirectoryURL, "https://slack.com/apps/"+a.ID))
	}
}

func checkScopes(t *testing.T, scopes []appScopeJS, request bool) {
	t.Helper()
	require.NotEmpty(t, scopes)
	for _, s := range scopes {
		require.NotEmpty(t, s.Name)
		require.NotNil(t, s.IsSensitive)
		require.Contains(t, []string{"user", "bot"}, s.TokenType)
		require.Equal(t, request, s.IsOptional != nil && s.IsApproved != nil)
	}
}

func TestAdminAppsLists(t *testing.T) {
	srv, tok := newGrid(t, 600, 3)
	o := srv.Org()
	var sensitive, userTokens int
	for _, team := range o.Teams {
		ins := o.Integrations(team.ID)
		wantApproved, wantRestricted := map[string]slacktest.Integration{}, map[string]slacktest.Integration{}
		for _, in := range ins {
			switch {
			case in.AppID == "":
			case in.Status != slacktest.StatusRemoved:
				wantApproved[in.AppID] = in
			case in.Restricted:
				wantRestricted[in.AppID] = in
			}
		}
		approved := listApps(t, srv, tok.Value, "admin.apps.approved.list", 7, "team_id", team.ID).ApprovedApps
		require.Len(t, approved, len(wantApproved))
		for i, it := range approved {
			checkApp(t, it.App)
			checkScopes(t, it.Scopes, false)
			in, ok := wantApproved[it.App.ID]
			require.True(t, ok, "approved apps are the workspace's installed (or disabled) apps")
			require.Equal(t, in.Name, it.App.Name)
			require.Equal(t, in.InstalledAt, it.DateUpdated)
			require.Equal(t, in.InstalledBy, it.LastResolvedBy.ActorID)
			require.Equal(t, "user", it.LastResolvedBy.ActorType)
			require.Equal(t, in.Internal, *it.App.IsInternal)
			require.Equal(t, in.DirectoryApproved, *it.App.IsAppDirectoryApproved)
			var names []string
			for _, s := range it.Scopes {
				names = append(names, s.Name)
				if *s.IsSensitive {
					sensitive++
				}
				if s.TokenType == "user" {
					userTokens++
				}
			}
			require.Equal(t, in.Scopes, names)
			if i > 0 {
				require.GreaterOrEqual(t, approved[i-1].DateUpdated, it.DateUpdated, "newest first")
			}
		}
		restricted := listApps(t, srv, tok.Value, "admin.apps.restricted.list", 100, "team_id", team.ID).RestrictedApps
		require.Len(t, restricted, len(wantRestricted))
		for _, it := range restricted {
			checkApp(t, it.App)
			in, ok := wantRestricted[it.App.ID]
			require.True(t, ok)
			require.Equal(t, in.Name, it.App.Name)
			require.NotNil(t, o.User(it.LastResolvedBy.ActorID))
		}

		reqs := listApps(t, srv, tok.Value, "admin.apps.requests.list", 2, "team_id", team.ID).AppRequests
		require.GreaterOrEqual(t, len(reqs), 2)
		for i, rq := range reqs {
			require.Regexp(t, `^Ar[0-9A-Z]{9}$`, rq.ID)
			checkApp(t, rq.App)
			checkScopes(t, rq.Scopes, true)
			_, installed := wantApproved[rq.App.ID]
			require.False(t, installed, "nobody asks for an app the workspace has")
			if rq.PreviousResolution != nil {
				require.Equal(t, "restricted", rq.PreviousResolution.Status)
				require.Contains(t, wantRestricted, rq.App.ID)
			}
			u := o.User(rq.User.ID)
			require.NotNil(t, u, "requests come from real people")
			require.True(t, u.InTeam(team.ID))
			require.Equal(t, u.Name, rq.User.Name)
			require.Equal(t, u.Email, rq.User.Email)
			require.Equal(t, slacktest.Team{ID: team.ID, Name: team.Name, Domain: team.Domain},
				slacktest.Team{ID: rq.Team.ID, Name: rq.Team.Name, Domain: rq.Team.Domain})
			require.Greater(t, rq.DateCreated, o.Now.Unix()-61*86400)
			require.Greater(t, rq.DateCreated, u.Created.Unix())
			require.NotNil(t, rq.Message)
			require.NotNil(t, rq.IsUserAppCollaborator)
			if i > 0 {
				require.GreaterOrEqual(t, reqs[i-1].DateCreated, rq.DateCreated)
			}
		}
	}
	require.Greater(t, sensitive, 0)
	require.Greater(t, userTokens, 0)

	// The enterprise lists are the union over workspaces.
	entApproved := listApps(t, srv, tok.Value, "admin.apps.approved.list", 1000, "enterprise_id", o.EnterpriseID).ApprovedApps
	ids := map[string]bool{}
	for _, team := range o.Teams {
		for _, in := range o.Integrations(team.ID) {
			if in.AppID != "" && in.Status != slacktest.StatusRemoved {
				ids[in.AppID] = true
			}
		}
	}
	require.Len(t, entApproved, len(ids))
	for _, it := range entApproved {
		require.True(t, ids[it.App.ID])
	}
	entRestricted := listApps(t, srv, tok.Value, "admin.apps.restricted.list", 1000, "enterprise_id", o.EnterpriseID).RestrictedApps
	for _, it := range entRestricted {
		require.False(t, ids[it.App.ID], "an app approved anywhere is not restricted org-wide")
	}
	entReqs := listApps(t, srv, tok.Value, "admin.apps.requests.list", 1000, "enterprise_id", o.EnterpriseID).AppRequests
	teams := map[string]bool{}
	for _, rq := range entReqs {
		teams[rq.Team.ID] = true
	}
	require.Len(t, teams, 3, "requests from every workspace")

	// certified splits the list.
	cert := listApps(t, srv, tok.Value, "admin.apps.approved.list", 1000, "enterprise_id", o.EnterpriseID, "certified", "true").ApprovedApps
	uncert := listApps(t, srv, tok.Value, "admin.apps.approved.list", 1000, "enterprise_id", o.EnterpriseID, "certified", "false").ApprovedApps
	require.NotEmpty(t, cert)
	require.NotEmpty(t, uncert)
	require.Len(t, entApproved, len(cert)+len(uncert))
	require.True(t, slices.ContainsFunc(cert, func(it appItemJS) bool { return *it.App.IsAppDirectoryApproved }))
	require.False(t, slices.ContainsFunc(uncert, func(it appItemJS) bool { return *it.App.IsAppDirectoryApproved }))
}

func TestAdminAppsErrors(t *testing.T) {
	srv, tok := newGrid(t, 100, 2)
	o := srv.Org()
	for _, m := range []string{"admin.apps.approved.list", "admin.apps.restricted.list", "admin.apps.requests.list"} {
		requireError(t, call(t, srv, m, form("token", tok.Value)), "no_team_or_enterprise_provided")
		requireError(t, call(t, srv, m, form("token", tok.Value, "team_id", o.Teams[0].ID, "enterprise_id", o.EnterpriseID)), "too_many_teams_provided")
		requireError(t, call(t, srv, m, form("token", tok.Value, "team_id", "T0NOPE")), "team_not_found")
		requireError(t, call(t, srv, m, form("token", tok.Value, "enterprise_id", "E0NOPE")), "invalid_enterprise_id")
		requireError(t, call(t, srv, m, form("token", tok.Value, "team_id", o.Teams[0].ID, "limit", "0")), "invalid_limit")
		requireError(t, call(t, srv, m, form("token", tok.Value, "team_id", o.Teams[0].ID, "limit", "1001")), "invalid_limit")
		requireError(t, call(t, srv, m, form("token", tok.Value, "team_id", o.Teams[0].ID, "cursor", "!!")), "invalid_cursor")
		requireError(t, call(t, srv, m, form("token", tok.Value, "team_id", o.Teams[0].ID, "certified", "sure")), "invalid_arguments")
	}
}
