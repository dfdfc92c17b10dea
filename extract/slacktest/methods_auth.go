package slacktest

// authTest answers auth.test: who the token is.
func (s *Server) authTest(c *call) {
	o := s.org
	e := getEncoder(s.escapeASCII)
	defer putEncoder(e)
	e.raw(`{"ok":true,"url":`)
	if c.tok.Kind == TokenOrg {
		e.str("https://" + o.Teams[0].Domain + ".enterprise.slack.com/")
		e.raw(`,"team":`)
		e.str(o.EnterpriseName)
	} else {
		e.str("https://" + c.team.Domain + ".slack.com/")
		e.raw(`,"team":`)
		e.str(c.team.Name)
	}
	e.raw(`,"user":`)
	if c.user != nil {
		e.str(c.user.Name)
	} else {
		e.raw(`""`)
	}
	e.raw(`,"team_id":`)
	if c.team != nil {
		e.str(c.team.ID)
	} else {
		e.str(o.EnterpriseID)
	}
	e.raw(`,"user_id":`)
	e.str(c.tok.UserID)
	if c.tok.Kind == TokenBot {
		e.raw(`,"bot_id":`)
		if c.user != nil {
			e.str(c.user.BotID)
		} else {
			e.raw(`""`)
		}
	}
	if o.EnterpriseID != "" {
		e.raw(`,"enterprise_id":`)
		e.str(o.EnterpriseID)
	}
	e.raw(`,"is_enterprise_install":`)
	e.bool(c.tok.Kind == TokenOrg)
	e.byte('}')
	c.ok(e)
}
