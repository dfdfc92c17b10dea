package slacktest

// teamInfo answers team.info: the token's workspace, or the one named by
// the team (or domain) parameter.
func (s *Server) teamInfo(c *call) {
	o := s.org
	var t *Team
	switch id, domain := c.param("team"), c.param("domain"); {
	case id != "":
		t = o.Team(id)
	case domain != "":
		for _, tt := range o.Teams {
			if tt.Domain == domain {
				t = tt
			}
		}
	case c.team == nil:
		c.fail("missing_argument") // org tokens must name the workspace
		return
	default:
		t = c.team
	}
	if t == nil {
		c.fail("team_not_found")
		return
	}
	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"team":{"id":`)
	e.str(t.ID)
	e.raw(`,"name":`)
	e.str(t.Name)
	e.raw(`,"domain":`)
	e.str(t.Domain)
	e.raw(`,"email_domain":`)
	e.str(t.EmailDomain)
	e.raw(`,"icon":{"image_34":`)
	e.str("https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-34.png")
	e.raw(`,"image_44":`)
	e.str("https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-44.png")
	e.raw(`,"image_default":true},"avatar_base_url":`)
	e.str("https://ca.slack-edge.com/")
	e.raw(`,"is_verified":false`)
	if t.EnterpriseID != "" {
		e.raw(`,"enterprise_id":`)
		e.str(t.EnterpriseID)
		e.raw(`,"enterprise_name":`)
		e.str(t.EnterpriseName)
	}
	e.raw(`}}`)
	c.ok(e)
}

// teamBillingInfo answers team.billing.info: the plan code.
func (s *Server) teamBillingInfo(c *call) {
	if _, code := c.workspace(); code != "" {
		c.fail(code)
		return
	}
	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"plan":`)
	e.str(s.org.Plan)
	e.byte('}')
	c.ok(e)
}

// billableCursor prefixes team.billableInfo cursors.
const billableCursor = "billable:"

// maxBillablePage is the largest team.billableInfo limit; more is invalid_limit.
const maxBillablePage = 1000

// teamBillableInfo answers team.billableInfo: billing_active for every
// account of the workspace in ID order (or for the one named by user),
// paged by cursor when limit is given.
func (s *Server) teamBillableInfo(c *call) {
	o := s.org
	team, code := c.workspace()
	if code != "" {
		c.fail(code)
		return
	}
	limit, code := c.limitParam(len(o.Users), maxBillablePage, false)
	if code != "" {
		c.fail(code)
		return
	}
	start, code := c.cursorParam(billableCursor)
	if code != "" {
		c.fail(code)
		return
	}
	free := o.Plan == PlanFree
	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"billable_info":{`)
	next := ""
	if id := c.param("user"); id != "" {
		u := o.user(id)
		if u == nil || !u.InTeam(team.ID) {
			c.fail("user_not_found")
			return
		}
		writeBillable(e, u, free)
	} else {
		n := 0
		for _, u := range o.Users[start:] {
			if !u.InTeam(team.ID) {
				continue
			}
			if n == limit {
				next = u.ID
				break
			}
			if n > 0 {
				e.byte(',')
			}
			writeBillable(e, u, free)
			n++
		}
	}
	e.raw(`},"response_metadata":{"next_cursor":"`)
	if next != "" {
		e.cursor(billableCursor, next)
	}
	e.raw(`"}}`)
	c.ok(e)
}

// writeBillable writes "ID":{"billing_active":…}. Every non-deleted human
// (guests and pending invites included) reads active, as Slack's Fair Billing
// flag does for nearly everyone; nobody is active on Free.
func writeBillable(e *encoder, u *User, free bool) {
	e.str(u.ID)
	e.raw(`:{"billing_active":`)
	e.bool(!free && !u.Deleted && u.IsHuman())
	e.byte('}')
}
