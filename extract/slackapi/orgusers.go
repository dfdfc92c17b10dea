package slackapi

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// AdminUsersPageSize is the largest page admin.users.list allows.
const AdminUsersPageSize = 100

// OrgUser is one account of an Enterprise Grid organisation, from
// admin.users.list.
type OrgUser struct {
	ID, Email, Username, FullName              string
	IsActive, IsAdmin, IsOwner, IsPrimaryOwner bool
	IsRestricted, IsUltraRestricted            bool // multi- and single-channel guests
	IsBot, Has2FA, HasSSO                      bool
	// Unix seconds; 0 when absent. LastActive comes with an org-level
	// token and no team_id.
	LastActive, Created, Deactivated, Expires int64
	Workspaces, Roles                         []string
}

// ListOrgUsers says whose admin.users.list to read.
type ListOrgUsers struct {
	EnterpriseID string
	// MustList is a user the list must include: the token's own (auth.test
	// user_id). When set, an empty list or one without that user fails.
	MustList string
}

// OrgUsers reads every account of an Enterprise Grid organisation from
// admin.users.list (org-level token, admin.users:read): active ones first,
// then deactivated ones, 100 a page, each once. An account deactivated
// while the lists are read is in both: it is kept once, from the active
// list, and counted as a repeat. Each list pages on its own, so such an
// account cannot stall the second. The sequence ends after the first error.
func (c *Client) OrgUsers(ctx context.Context, o ListOrgUsers) iter.Seq2[OrgUser, error] {
	return func(yield func(OrgUser, error) bool) {
		ctx := withTeam(ctx, o.EnterpriseID)
		listed, own := 0, false
		across, repeats := newDedup(), int64(0)
		for _, active := range []bool{true, false} {
			params := url.Values{"limit": {strconv.Itoa(AdminUsersPageSize)}, "is_active": {strconv.FormatBool(active)}}
			if !active {
				params.Set("include_deactivated_user_workspaces", "true")
			}
			pg := newPager(c, adminUsersList, o.EnterpriseID, params, func(d *dedup, u *OrgUser) uint64 { return d.key(u.ID) })
			err := pg.byCursor(ctx, func(u *OrgUser) error {
				if !across.add(across.key(u.ID)) {
					repeats++
					return nil
				}
				listed++
				own = own || u.ID == o.MustList
				return yielded(yield(*u, nil))
			})
			if err != nil {
				finish(yield, err)
				return
			}
		}
		countDuplicates(ctx, repeats)
		finish(yield, o.plausible(listed, own))
	}
}

// plausible fails a list that cannot be the organisation's people.
func (o ListOrgUsers) plausible(listed int, own bool) error {
	return mustList{method: "admin.users.list", team: o.EnterpriseID, of: "organisation", noun: "account", user: o.MustList}.check(listed, own)
}

// orgUserFlags and orgUserTimes are admin.users.list's flags and times, by key.
var (
	orgUserFlags = map[string]func(*OrgUser) *bool{
		"is_active":           func(u *OrgUser) *bool { return &u.IsActive },
		"is_admin":            func(u *OrgUser) *bool { return &u.IsAdmin },
		"is_owner":            func(u *OrgUser) *bool { return &u.IsOwner },
		"is_primary_owner":    func(u *OrgUser) *bool { return &u.IsPrimaryOwner },
		"is_restricted":       func(u *OrgUser) *bool { return &u.IsRestricted },
		"is_ultra_restricted": func(u *OrgUser) *bool { return &u.IsUltraRestricted },
		"is_bot":              func(u *OrgUser) *bool { return &u.IsBot },
		"has_2fa":             func(u *OrgUser) *bool { return &u.Has2FA },
		"has_sso":             func(u *OrgUser) *bool { return &u.HasSSO },
	}
	orgUserTimes = map[string]func(*OrgUser) *int64{
		"last_active_ts": func(u *OrgUser) *int64 { return &u.LastActive },
		"date_created":   func(u *OrgUser) *int64 { return &u.Created },
		"deactivated_ts": func(u *OrgUser) *int64 { return &u.Deactivated },
		"expiration_ts":  func(u *OrgUser) *int64 { return &u.Expires },
	}
)

// adminUsersList decodes admin.users.list pages.
var adminUsersList = listSpec[OrgUser]{method: "admin.users.list", field: "users", idKey: "id", item: readOrgUser}

// decodeAdminUsersPage decodes one admin.users.list answer.
func decodeAdminUsersPage(body []byte) (page[OrgUser], error) { return adminUsersList.decode(body) }

func readOrgUser(p *flatObject, _ string, u *OrgUser) error {
	err := p.object(func(key []byte) (err error) {
		switch string(key) {
		case "id":
			u.ID, err = p.text()
		case "email":
			u.Email, err = p.text()
		case "username":
			u.Username, err = p.text()
		case "full_name":
			u.FullName, err = p.text()
		case "workspaces":
			err = p.texts(func(s string) { u.Workspaces = append(u.Workspaces, s) })
		case "roles":
			err = p.texts(func(s string) { u.Roles = append(u.Roles, s) })
		default:
			if t, ok := orgUserTimes[string(key)]; ok {
				*t(u), err = p.unix()
			} else {
				err = readFlag(p, orgUserFlags, key, u)
			}
		}
		return err
	})
	if err == nil && u.ID == "" {
		return missing("id")
	}
	return err
}
