package slackapi

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// UserGroup is one user group (an @handle) of usergroups.list. Slack's
// documentation gives user_count as a string and answers carry a number:
// both are read.
type UserGroup struct {
	ID string
	// TeamID is the group's own team_id, else the workspace asked for.
	TeamID, Handle, Name, Description string
	// AutoType, CreatedBy and UpdatedBy are empty when absent; the Known
	// flags tell an empty value from a null or absent one.
	AutoType, CreatedBy, UpdatedBy                string
	AutoTypeKnown, CreatedByKnown, UpdatedByKnown bool
	IsExternal                                    bool
	DateCreate, DateUpdate, DateDelete            int64 // Unix seconds; DateDelete is set on disabled groups
	UserCount                                     int64
	UserCountKnown                                bool
	Users                                         []string // members
}

// ListUserGroups says whose usergroups.list to read.
type ListUserGroups struct {
	// TeamID is the workspace; empty for the token's own (a workspace
	// token), required with an org-level token.
	TeamID string
}

// UserGroups reads a workspace's user groups with their members, disabled
// groups included, each group once. The method has no paging. The sequence
// ends after the first error.
func (c *Client) UserGroups(ctx context.Context, o ListUserGroups) iter.Seq2[UserGroup, error] {
	return func(yield func(UserGroup, error) bool) {
		ctx := withTeam(ctx, o.TeamID)
		params := url.Values{"include_users": {"true"}, "include_count": {"true"}, "include_disabled": {"true"}, "team_id": {o.TeamID}}
		pg := newPager(c, userGroupsList, o.TeamID, params,
			func(d *dedup, g *UserGroup) uint64 { return d.key(o.team(g), g.ID) })
		finish(yield, pg.byCursor(ctx, func(g *UserGroup) error {
			g.TeamID = o.team(g)
			return yielded(yield(*g, nil))
		}))
	}
}

// team is the group's workspace: its own team_id, else the one asked for.
func (o ListUserGroups) team(g *UserGroup) string {
	if g.TeamID != "" {
		return g.TeamID
	}
	return o.TeamID
}

// userGroupsList decodes usergroups.list answers.
var userGroupsList = listSpec[UserGroup]{method: "usergroups.list", field: "usergroups", idKey: "id", item: readUserGroup}

// decodeUserGroupsPage decodes one usergroups.list answer.
func decodeUserGroupsPage(body []byte) (page[UserGroup], error) { return userGroupsList.decode(body) }

// userGroupTexts are usergroups.list's plain text fields, by key.
var userGroupTexts = map[string]func(*UserGroup) *string{
	"id":          func(g *UserGroup) *string { return &g.ID },
	"team_id":     func(g *UserGroup) *string { return &g.TeamID },
	"handle":      func(g *UserGroup) *string { return &g.Handle },
	"name":        func(g *UserGroup) *string { return &g.Name },
	"description": func(g *UserGroup) *string { return &g.Description },
}

func readUserGroup(p *flatObject, _ string, g *UserGroup) error {
	err := p.object(func(key []byte) (err error) {
		switch string(key) {
		case "auto_type":
			g.AutoType, g.AutoTypeKnown, err = p.optText()
		case "created_by":
			g.CreatedBy, g.CreatedByKnown, err = p.optText()
		case "updated_by":
			g.UpdatedBy, g.UpdatedByKnown, err = p.optText()
		case "is_external":
			g.IsExternal, _, err = p.flag()
		case "date_create":
			g.DateCreate, err = p.unix()
		case "date_update":
			g.DateUpdate, err = p.unix()
		case "date_delete":
			g.DateDelete, err = p.unix()
		case "user_count":
			g.UserCount, g.UserCountKnown, err = readCount(p)
		case "users":
			err = p.texts(func(u string) { g.Users = append(g.Users, u) })
		default:
			if f, ok := userGroupTexts[string(key)]; ok {
				*f(g), err = p.text()
			} else {
				err = p.skip()
			}
		}
		return err
	})
	if err == nil && g.ID == "" {
		return missing("id")
	}
	return err
}

// readCount reads a count sent as a number or a string of one; null and ""
// are unknown.
func readCount(p *flatObject) (int64, bool, error) {
	start := p.i
	s, err := p.loose()
	if err != nil || s == "" {
		return 0, false, err
	}
	n, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil {
		end := p.i
		p.i = start
		err = p.wrong("a number")
		p.i = end
		return 0, false, err
	}
	return n, true, nil
}
