package actions

import (
	"context"
	"time"

	"slackaudit/extract/slackapi"
)

// Options configure a Session.
type Options struct {
	// SCIMURL is the SCIM v2 base for deactivation; slackapi.DefaultSCIMURL
	// when empty.
	SCIMURL string
	// Max is the largest number of changes a plan may make (DefaultMax
	// when 0); a larger plan is refused whole.
	Max int
	// ContinueOnError carries on past a failed step; by default the run
	// stops and the remaining steps are logged as not attempted.
	ContinueOnError bool
	// Permission must be act for anything to change in Slack.
	Permission Permission
	// Clock paces notifications (RealClock when nil); NotifyEvery is the
	// spacing between two messages to one channel (1 s, Slack's rule, when 0).
	Clock       Clock
	NotifyEvery time.Duration
}

// Session acts on Slack with one token.
type Session struct {
	c    *slackapi.Client
	opts Options
	id   slackapi.Identity
	// where the token belongs: its workspace, or the organisation for an
	// org-level token; slackPlan is slackapi.PlanUnknown when it could not be read.
	where, whereName string
	slackPlan        slackapi.Plan
	scim             *slackapi.SCIM
	pace             *pacer
}

// Connect checks the token (auth.test) and reads the plan it is on
// (team.billing.info; Enterprise Grid for an org-level token).
func Connect(ctx context.Context, c *slackapi.Client, o Options) (*Session, error) {
	if o.Max <= 0 {
		o.Max = DefaultMax
	}
	if o.Permission == "" {
		o.Permission = PermissionRead
	}
	if o.Clock == nil {
		o.Clock = RealClock{}
	}
	if o.NotifyEvery <= 0 {
		o.NotifyEvery = time.Second
	}
	scim, err := c.SCIM(o.SCIMURL)
	if err != nil {
		return nil, err
	}
	s := &Session{c: c, opts: o, scim: scim, pace: &pacer{clock: o.Clock, every: o.NotifyEvery, last: map[string]time.Time{}}}
	if s.id, err = c.AuthTest(ctx); err != nil {
		return nil, err
	}
	if s.id.IsEnterpriseInstall {
		s.where, s.whereName, s.slackPlan = orString(s.id.EnterpriseID, s.id.TeamID), s.id.Team, slackapi.PlanEnterprise
		return s, nil
	}
	s.where, s.whereName, s.slackPlan = s.id.TeamID, s.id.Team, slackapi.PlanUnknown
	ws, err := c.Discover(ctx, s.id, "")
	if err != nil {
		// Without team:read or team.billing:read the plan is unknown: the
		// local gates are skipped and Slack's own answers decide.
		if e, ok := slackapi.AsError(err); ok && e.Unavailable() {
			return s, nil
		}
		return nil, err
	}
	s.whereName, s.slackPlan = ws.Name, ws.Plan
	return s, nil
}

// Identity is the token's owner, as auth.test said.
func (s *Session) Identity() slackapi.Identity { return s.id }

// SlackPlan is the plan found (team.billing.info), or slackapi.PlanUnknown.
func (s *Session) SlackPlan() slackapi.Plan { return s.slackPlan }
