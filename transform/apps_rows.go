package transform

import (
	"cmp"
	"slices"
)

// AppRow is one row of the apps table.
type AppRow struct {
	TeamID, Kind, ID, Name         string
	Status                         AppStatus
	Scopes                         []string
	Risk                           AppRisk
	Sensitive                      []string // nil when admin.apps.* did not describe the app
	InstalledBy, InstalledByName   string
	InstalledAt                    int64 // Unix seconds; 0 when the install predates the log
	InstallerDeactivated           *bool // nil when the installer is not in any member list
	LastChangeAt                   int64
	LastChangeType                 string
	LastChangeBy, LastChangeByName string
	DisabledReason, Channel        string
	Changes, UnknownChanges        int64
	DeveloperType, AdminStatus     string
	DirectoryApproved              *bool
}

// Rows returns the current state of every app, by workspace, riskiest first.
func (a *Apps) Rows() []AppRow {
	out := make([]AppRow, 0, len(a.apps))
	for k, st := range a.apps {
		out = append(out, a.row(k, st))
	}
	slices.SortFunc(out, func(x, y AppRow) int {
		return cmp.Or(cmp.Compare(x.TeamID, y.TeamID), x.Status.Compare(y.Status),
			y.Risk.Level.Compare(x.Risk.Level), cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
	return out
}

func (a *Apps) row(k appKey, st *appState) AppRow {
	r := AppRow{TeamID: k.team, Kind: k.kind, ID: k.id, Name: st.name, Channel: st.channel,
		LastChangeAt: st.last.at.date, LastChangeType: st.last.change, LastChangeBy: st.last.user, LastChangeByName: st.last.uname,
		Changes: st.changes, UnknownChanges: st.unknown, Status: AppInstalled}
	if st.hasKnown {
		switch st.lastKnown.change {
		case "removed":
			r.Status = AppRemoved
		case "disabled":
			r.Status, r.DisabledReason = AppDisabled, st.lastKnown.reason
		}
	}
	if st.hasInstall {
		r.InstalledBy, r.InstalledByName, r.InstalledAt = st.install.user, st.install.uname, st.install.at.date
		if gone, ok := a.people[r.InstalledBy]; ok {
			r.InstallerDeactivated = &gone
		}
	}
	// Current scopes: those listed since the newest install, or after the
	// newest removal; none once removed.
	if r.Status != AppRemoved {
		for _, g := range st.grants {
			if !st.hasReset || g.at == st.reset.at && st.reset.change == "added" || g.at.after(st.reset.at) {
				r.Scopes = append(r.Scopes, g.scope)
			}
		}
		slices.Sort(r.Scopes)
	}
	in := AppRiskInput{Scopes: r.Scopes}
	if k.kind == "app" {
		if d := a.dir[dirKey{k.team, k.id}]; d != nil {
			r.AdminStatus = d.list
		}
		if d := a.dir[dirKey{k.team, k.id}]; d != nil || a.dir[dirKey{"", k.id}] != nil {
			if d == nil {
				d = a.dir[dirKey{"", k.id}]
			}
			approved := d.approved
			r.DirectoryApproved, r.DeveloperType = &approved, d.developerType
			if d.name != "" {
				r.Name = d.name
			}
			r.Sensitive = []string{}
			for _, s := range r.Scopes {
				if slices.Contains(d.sensitive, s) {
					r.Sensitive = append(r.Sensitive, s)
				}
			}
			in.UserScopes, in.DirectoryApproved, in.Internal = d.userScopes, &approved, d.internal
		}
	}
	r.Risk = RateApp(in)
	if r.Status == AppRemoved {
		r.Risk.Reasons = append([]string{"removed: holds no access"}, r.Risk.Reasons[1:]...)
	}
	if st.unknown > 0 {
		r.Risk.Reasons = append(r.Risk.Reasons, "log has change types slackaudit does not know (kept in app_events): newest is "+
			quoteIfUnknown(st.last.change))
	}
	if r.InstallerDeactivated != nil && *r.InstallerDeactivated && r.Status != AppRemoved {
		r.Risk.Reasons = append(r.Risk.Reasons, "orphaned: installed by "+orName(r.InstalledByName, r.InstalledBy)+", whose account is deactivated")
	}
	return r
}

func quoteIfUnknown(change string) string {
	if knownChanges[change] {
		return change + " (documented)"
	}
	return `"` + change + `"`
}

func orName(name, id string) string {
	if name != "" {
		return name + " (" + id + ")"
	}
	return id
}
