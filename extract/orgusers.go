package extract

import (
	"github.com/apache/arrow-go/v18/arrow/array"
)

// orgUser is one account of admin.users.list.
type orgUser struct {
	ID, Email, Username, FullName string
	flags                         [9]bool  // OrgUsersSchema's is_active … has_sso
	times                         [4]int64 // last_active_ts, date_created, deactivated_ts, expiration_ts
	workspaces, roles             []string
}

// orgUserFlags and orgUserTimes map admin.users.list's fields to orgUser's arrays.
var (
	orgUserFlags = map[string]int{"is_active": 0, "is_admin": 1, "is_owner": 2, "is_primary_owner": 3,
		"is_restricted": 4, "is_ultra_restricted": 5, "is_bot": 6, "has_2fa": 7, "has_sso": 8}
	orgUserTimes = map[string]int{"last_active_ts": 0, "date_created": 1, "deactivated_ts": 2, "expiration_ts": 3}
)

// adminUsersList decodes admin.users.list pages.
var adminUsersList = listSpec[orgUser]{method: "admin.users.list", field: "users", idKey: "id", item: readOrgUser}

// decodeAdminUsersPage decodes one admin.users.list answer.
func decodeAdminUsersPage(body []byte) (page[orgUser], error) { return adminUsersList.decode(body) }

func readOrgUser(p *flatObject, _ string, u *orgUser) error {
	err := p.object(func(key []byte) (err error) {
		switch k := string(key); k {
		case "id":
			u.ID, err = p.text()
		case "email":
			u.Email, err = p.text()
		case "username":
			u.Username, err = p.text()
		case "full_name":
			u.FullName, err = p.text()
		case "workspaces":
			err = p.texts(func(s string) { u.workspaces = append(u.workspaces, s) })
		case "roles":
			err = p.texts(func(s string) { u.roles = append(u.roles, s) })
		default:
			if i, ok := orgUserFlags[k]; ok {
				u.flags[i], _, err = p.flag()
			} else if i, ok := orgUserTimes[k]; ok {
				u.times[i], err = p.unix()
			} else {
				err = p.skip()
			}
		}
		return err
	})
	if err == nil && u.ID == "" {
		return missing("id")
	}
	return err
}

// appendOrgUser appends one account to the org_users builders.
func appendOrgUser(b *batcher, enterpriseID string, u *orgUser) error {
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	str(0).Append(enterpriseID)
	str(1).Append(u.ID)
	appendString(str(2), u.Email)
	appendString(str(3), u.Username)
	appendString(str(4), u.FullName)
	for j, v := range u.flags {
		b.Field(5 + j).(*array.BooleanBuilder).Append(v)
	}
	for j, ts := range u.times {
		appendTime(b.Field(14+j).(*array.TimestampBuilder), ts)
	}
	appendStrings(b.Field(18).(*array.ListBuilder), u.workspaces)
	appendStrings(b.Field(19).(*array.ListBuilder), u.roles)
	return b.Row()
}

// appendStrings appends vals as one list value.
func appendStrings(lb *array.ListBuilder, vals []string) {
	lb.Append(true)
	vb := lb.ValueBuilder().(*array.StringBuilder)
	for _, v := range vals {
		vb.Append(v)
	}
}
