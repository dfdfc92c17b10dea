package slackapi

// App is the app object of the admin.apps.* lists.
type App struct {
	ID, Name, Description, AppDirectoryURL, DeveloperType string
	IsAppDirectoryApproved, IsInternal, SocketModeEnabled bool
}

// AppScope is one scope of an app in the admin.apps.* lists.
type AppScope struct {
	Name, TokenType string
	IsSensitive     bool
}

// AppEntry is one entry of admin.apps.approved.list or restricted.list.
type AppEntry struct {
	App         App
	Scopes      []AppScope
	DateUpdated int64
	ResolvedBy  string // last_resolved_by.actor_id
}

// AppRequest is one entry of admin.apps.requests.list.
type AppRequest struct {
	ID                          string
	App                         App
	TeamID, TeamName            string
	UserID, UserName, UserEmail string
	Scopes                      []AppScope
	Message                     string
	PreviouslyResolved          bool // previous_resolution is set
	IsUserAppCollab             bool
	DateCreated                 int64
}

// appItemList decodes the pages of an approved or restricted list, whose
// entries are under field.
func appItemList(method, field string) listSpec[AppEntry] {
	return listSpec[AppEntry]{method: method, field: field, item: readAppItem}
}

// appRequestsList decodes admin.apps.requests.list pages.
var appRequestsList = listSpec[AppRequest]{method: "admin.apps.requests.list", field: "app_requests", idKey: "id",
	item: readAppRequest}

// decodeAppsApprovedPage, decodeAppsRestrictedPage and decodeAppRequestsPage
// decode one answer of each admin.apps list.
func decodeAppsApprovedPage(body []byte) (page[AppEntry], error) {
	return appLists[AppsApproved].decode(body)
}

func decodeAppsRestrictedPage(body []byte) (page[AppEntry], error) {
	return appLists[AppsRestricted].decode(body)
}

func decodeAppRequestsPage(body []byte) (page[AppRequest], error) {
	return appRequestsList.decode(body)
}

func readAppItem(p *flatObject, _ string, it *AppEntry) error {
	err := p.object(func(key []byte) (err error) {
		switch string(key) {
		case "app":
			err = readApp(p, &it.App)
		case "scopes":
			err = readScopes(p, &it.Scopes)
		case "date_updated":
			it.DateUpdated, err = p.unix()
		case "last_resolved_by":
			err = p.object(func(key []byte) (err error) {
				if string(key) != "actor_id" {
					return p.skip()
				}
				it.ResolvedBy, err = p.text()
				return err
			})
		default:
			err = p.skip()
		}
		return err
	})
	if err == nil && it.App.ID == "" {
		return missing("app.id")
	}
	return err
}

func readAppRequest(p *flatObject, _ string, rq *AppRequest) error {
	err := p.object(func(key []byte) (err error) {
		switch string(key) {
		case "id":
			rq.ID, err = p.text()
		case "app":
			err = readApp(p, &rq.App)
		case "previous_resolution":
			rq.PreviouslyResolved = p.peek() == '{'
			err = p.object(func([]byte) error { return p.skip() })
		case "user":
			err = readIdentity(p, &rq.UserID, &rq.UserName, &rq.UserEmail)
		case "team":
			var domain string
			err = readIdentity(p, &rq.TeamID, &rq.TeamName, &domain)
		case "scopes":
			err = readScopes(p, &rq.Scopes)
		case "message":
			rq.Message, err = p.text()
		case "is_user_app_collaborator":
			rq.IsUserAppCollab, _, err = p.flag()
		case "date_created":
			rq.DateCreated, err = p.unix()
		default:
			err = p.skip()
		}
		return err
	})
	switch {
	case err != nil:
		return err
	case rq.ID == "":
		return missing("id")
	case rq.App.ID == "":
		return missing("app.id")
	case rq.TeamID == "":
		return missing("team.id")
	}
	return nil
}

// readIdentity reads a {"id", "name", "email" or "domain"} object.
func readIdentity(p *flatObject, id, name, other *string) error {
	return p.object(func(key []byte) (err error) {
		switch string(key) {
		case "id":
			*id, err = p.text()
		case "name":
			*name, err = p.text()
		case "email", "domain":
			*other, err = p.text()
		default:
			err = p.skip()
		}
		return err
	})
}

func readApp(p *flatObject, a *App) error {
	return p.object(func(key []byte) (err error) {
		switch string(key) {
		case "id":
			a.ID, err = p.text()
		case "name":
			a.Name, err = p.text()
		case "description":
			a.Description, err = p.text()
		case "app_directory_url":
			a.AppDirectoryURL, err = p.text()
		case "developer_type":
			a.DeveloperType, err = p.text()
		case "is_app_directory_approved":
			a.IsAppDirectoryApproved, _, err = p.flag()
		case "is_internal":
			a.IsInternal, _, err = p.flag()
		case "socket_mode_enabled":
			a.SocketModeEnabled, _, err = p.flag()
		default:
			err = p.skip()
		}
		return err
	})
}

func readScopes(p *flatObject, scopes *[]AppScope) error {
	return p.list(func(int) error {
		var sc AppScope
		err := p.object(func(key []byte) (err error) {
			switch string(key) {
			case "name":
				sc.Name, err = p.text()
			case "token_type":
				sc.TokenType, err = p.text()
			case "is_sensitive":
				sc.IsSensitive, _, err = p.flag()
			default:
				err = p.skip()
			}
			return err
		})
		if err == nil && sc.Name == "" {
			return missing("name")
		}
		*scopes = append(*scopes, sc)
		return err
	})
}
