package slacktest_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

// raw sends one request and returns its status and body; safe to use from
// any goroutine (no require).
func raw(method, u, token, contentType string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// post calls a Web API method with a form and fails unless it answers ok.
func post(srv *slacktest.Server, method, token string, kv ...string) error {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	status, body, err := raw(http.MethodPost, srv.URL()+method, token, "application/x-www-form-urlencoded", []byte(v.Encode()))
	switch {
	case err != nil:
		return err
	case status != http.StatusOK:
		return fmt.Errorf("%s: HTTP %d: %.200s", method, status, body)
	case method != "admin.analytics.getFile" && !bytes.HasPrefix(body, []byte(`{"ok":true`)):
		return fmt.Errorf("%s: %.200s", method, body)
	}
	return nil
}

// TestWritesConcurrentWithReads runs every write method against every read
// path at once; run with -race.
func TestWritesConcurrentWithReads(t *testing.T) {
	srv, org := newWriteGrid(t, 2000, 3)
	o := srv.Org()
	t0, t1, t2 := o.Teams[0].ID, o.Teams[1].ID, o.Teams[2].ID
	reader := addToken(srv, o.OrgToken("admin", "users:read", "admin.users:read", "usergroups:read", "admin.analytics:read"))
	bot := addToken(srv, o.BotToken("chat:write"))
	var toggled, movers []*slacktest.User
	for _, u := range o.CurrentUsers() {
		switch {
		case isMember(t0)(u) && len(toggled) < 20:
			toggled = append(toggled, u)
		case isMember(t1)(u) && !u.InTeam(t2) && len(movers) < 10:
			movers = append(movers, u)
		}
	}
	groups := o.UserGroups(t1)
	day := o.Now.AddDate(0, 0, -3).Format("2006-01-02")

	const rounds = 6
	errs := make(chan error, 1000)
	var wg sync.WaitGroup
	run := func(f func(i int) error) {
		wg.Go(func() {
			for i := range rounds {
				if err := f(i); err != nil {
					errs <- err
				}
			}
		})
	}
	// Writers.
	run(func(i int) error { // SCIM: deactivate on even rounds, reactivate on odd ones
		active := "false"
		if i%2 == 1 {
			active = "true"
		}
		for _, u := range toggled {
			body := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":` + active + `}]}`
			status, b, err := raw(http.MethodPatch, srv.SCIMURL()+"Users/"+u.ID, org.Value, "application/scim+json", []byte(body))
			if err != nil || status != http.StatusOK {
				return fmt.Errorf("scim patch: %v %d %s", err, status, b)
			}
		}
		return nil
	})
	run(func(i int) error { // assign on even rounds, remove on odd ones
		method := "admin.users.assign"
		if i%2 == 1 {
			method = "admin.users.remove"
		}
		for _, u := range movers {
			if err := post(srv, method, org.Value, "team_id", t2, "user_id", u.ID); err != nil {
				return err
			}
		}
		return nil
	})
	run(func(i int) error {
		return post(srv, "usergroups.users.update", org.Value, "team_id", t1, "usergroup", groups[1].ID,
			"users", movers[i%len(movers)].ID+","+movers[(i+1)%len(movers)].ID)
	})
	run(func(i int) error {
		return post(srv, "chat.postMessage", bot, "channel", "general", "text", fmt.Sprint("round ", i))
	})
	run(func(i int) error {
		return post(srv, "admin.users.invite", org.Value, "team_id", t1, "email", fmt.Sprintf("new%d@example.com", i),
			"channel_ids", o.Channels(t1)[0].ID)
	})
	// Readers, over HTTP and through the Org's accessors.
	run(func(int) error { return post(srv, "users.list", reader, "team_id", t0, "limit", "1000") })
	run(func(int) error { return post(srv, "admin.users.list", reader, "limit", "100") })
	run(func(int) error { return post(srv, "team.billableInfo", reader, "team_id", t0) })
	run(func(int) error { return post(srv, "team.accessLogs", reader, "team_id", t2, "count", "1000") })
	run(func(int) error {
		return post(srv, "usergroups.list", reader, "team_id", t1, "include_users", "true", "include_disabled", "true")
	})
	run(func(int) error { return post(srv, "admin.analytics.getFile", reader, "type", "member", "date", day) })
	run(func(int) error {
		status, b, err := raw(http.MethodGet, srv.SCIMURL()+"Users?count=1000", org.Value, "", nil)
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("scim list: %v %d %.200s", err, status, b)
		}
		return nil
	})
	run(func(int) error {
		_ = o.CurrentUsers()
		_ = o.User(toggled[0].ID).Deleted
		_ = o.UserGroups(t1)
		_ = o.Messages()
		_ = o.AccessLogs(t2)
		_ = o.IntegrationLogs(t1)
		_ = o.UserByEmail("new0@example.com")
		return nil
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// rounds is even: the last SCIM round reactivated, the last membership round removed.
	for _, u := range toggled {
		require.False(t, o.User(u.ID).Deleted)
	}
	for _, u := range movers {
		require.NotContains(t, o.User(u.ID).Teams, t2)
	}
	require.Len(t, o.Messages(), rounds)
	for i := range rounds {
		require.NotNil(t, o.UserByEmail(fmt.Sprintf("new%d@example.com", i)))
	}
	require.Equal(t, rounds, srv.Calls("admin.users.invite"))
	require.Equal(t, rounds*len(toggled), srv.Calls(slacktest.SCIMPatchUser))
}

// TestWritesKeepGeneratedHistory checks that data built lazily from the
// generated accounts (app histories, user groups) does not depend on
// whether it was read before or after the first write.
func TestWritesKeepGeneratedHistory(t *testing.T) {
	cfg := slacktest.Config{Seed: 17, Users: 400}
	a := slacktest.NewOrg(cfg)
	team := a.Teams[0].ID
	logs := a.IntegrationLogs(team)
	groups := a.UserGroups(team)
	// Someone who changed apps and someone in a group, both active.
	var victims []string
	for _, l := range logs {
		if u := a.User(l.UserID); u != nil && !u.Deleted && !u.IsPrimaryOwner {
			victims = append(victims, u.ID)
			break
		}
	}
	for _, id := range groups[1].Users {
		if u := a.User(id); !u.IsPrimaryOwner && id != victims[0] {
			victims = append(victims, id)
			break
		}
	}
	require.Len(t, victims, 2)
	deactivate := func(o *slacktest.Org) *slacktest.Server {
		srv := slacktest.NewServer(o, slacktest.WithRateLimits(false))
		t.Cleanup(srv.Close)
		for _, id := range victims {
			r := scimDo(t, srv, http.MethodDelete, "Users/"+id, o.AdminToken().Value, nil)
			require.Equal(t, http.StatusNoContent, r.Status, "%s", r.Body)
		}
		return srv
	}
	deactivate(a) // read first, then write
	b := slacktest.NewOrg(cfg)
	deactivate(b) // write first, then read
	require.Equal(t, logs, a.IntegrationLogs(team))
	require.Equal(t, logs, b.IntegrationLogs(team))
	require.Equal(t, a.UserGroups(team), b.UserGroups(team))
	for i, g := range b.UserGroups(team) {
		want := slicesWithout(groups[i].Users, victims)
		require.Equal(t, nonNil(want), nonNil(g.Users))
	}
	require.NotContains(t, strings.Join(b.UserGroups(team)[1].Users, ","), victims[1])
}

func slicesWithout(s, drop []string) []string {
	var out []string
	for _, x := range s {
		if !contains(drop, x) {
			out = append(out, x)
		}
	}
	return out
}
