package extract_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract"
	"slackaudit/extract/slacktest"
)

// Answers that are not Slack's, or that break off: each error says what
// came and names the method, whatever the call.

func TestHTMLPageWithStatus200SaysWhatCame(t *testing.T) {
	t.Parallel()
	f := newFixture(t, slacktest.Config{Seed: 2, Users: 50, Plan: slacktest.PlanEnterprise})
	f.srv.Inject(slacktest.Fault{Method: "users.list", Kind: slacktest.FaultHTML200})
	_, err := extractAll(t, extract.Users{Client: f.client, TeamID: f.org.Teams[0].ID})
	require.Error(t, err)
	assert.Equal(t, "users.list (team "+f.org.Teams[0].ID+`): an HTML page came instead of Slack's answer (HTTP 200, Content-Type "text/html; charset=utf-8"): `+
		"a proxy, a captive portal or an --api-url that is not Slack's Web API answered — check --api-url and the network", err.Error())
	e, ok := extract.AsError(err)
	require.True(t, ok)
	assert.Equal(t, extract.KindNetwork, e.Kind)
	assert.Equal(t, 1, f.srv.Calls("users.list"), "a page from a portal is not asked for again")

	// A file download says the same.
	org := f.org.OrgToken("admin.analytics:read")
	f.srv.AddToken(org)
	f.srv.Inject(slacktest.Fault{Method: "admin.analytics.getFile", Kind: slacktest.FaultHTML200})
	day := f.org.Now.AddDate(0, 0, -3).Truncate(24 * time.Hour)
	_, err = extractAll(t, &extract.MemberActivity{Client: newClient(t, f.srv, org.Value), EnterpriseID: f.org.EnterpriseID, Days: []time.Time{day}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "admin.analytics.getFile (team "+f.org.EnterpriseID+"): an HTML page came instead of Slack's answer")
	assert.Contains(t, err.Error(), "(date "+day.Format(time.DateOnly)+")")
}

func TestHTMLPageAnsweringAWriteLeavesItsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	f := newFixture(t, slacktest.Config{Seed: 2, Users: 50})
	bot := f.org.BotToken("chat:write")
	f.srv.AddToken(bot)
	f.srv.Inject(slacktest.Fault{Method: "chat.postMessage", Kind: slacktest.FaultHTML200})
	var r struct{ extract.Envelope }
	err := newClient(t, f.srv, bot.Value).Call(context.Background(), "chat.postMessage", "", url.Values{"channel": {f.org.AdminToken().UserID}, "text": {"hi"}}, &r)
	require.Error(t, err)
	assert.True(t, errors.Is(err, extract.ErrOutcomeUnknown), "%v", err)
	assert.Contains(t, err.Error(), "chat.postMessage: an HTML page came instead of Slack's answer")
	assert.Equal(t, 1, f.srv.Calls("chat.postMessage"), "a message is never sent twice")
}
