package slacktest

import (
	"slices"
	"sync"
)

// loginIndex lists a workspace's sign-in rows in Slack's order as packed
// keys: 8 bytes a row, built once by one pass over the accounts and one
// sort, so that a page costs a binary search plus its own rows whatever
// the size of the org.
//
// A key is age<<loginAgeShift | ui<<loginRowBits | k, where age is the
// org's clock minus date_first in seconds, ui the account's index in
// Org.Users (the same order as user ID) and k the row's index among the
// account's rows. Ascending keys are therefore Slack's order: date_first
// descending, then user ID, then row index.
type loginIndex struct {
	now  int64 // the org's clock (Unix seconds) the ages count back from
	keys []uint64
}

const (
	loginRowBits  = 2 // k < maxLoginsPerUser
	loginUserBits = 26
	loginAgeShift = loginRowBits + loginUserBits
	maxLoginAge   = 1<<(64-loginAgeShift) - 1
)

// loginKey packs ref; ok is false for a ref the index cannot hold (a
// date_first after the org's clock, which no row has).
func (x *loginIndex) loginKey(ref loginRef) (uint64, bool) {
	age := x.now - ref.first
	if age < 0 {
		return 0, false
	}
	return uint64(age)<<loginAgeShift | uint64(ref.ui)<<loginRowBits | uint64(ref.k), true
}

// ref unpacks the key at position i.
func (x *loginIndex) ref(i int) loginRef {
	key := x.keys[i]
	return loginRef{
		first: x.now - int64(key>>loginAgeShift),
		ui:    int32(key >> loginRowBits & (1<<loginUserBits - 1)),
		k:     uint8(key & (1<<loginRowBits - 1)),
	}
}

// from returns the position of the first row with date_first ≤ before.
func (x *loginIndex) from(before int64) int {
	if before >= x.now {
		return 0
	}
	age := x.now - before
	if age > maxLoginAge {
		return len(x.keys)
	}
	i, _ := slices.BinarySearch(x.keys, uint64(age)<<loginAgeShift)
	return i
}

// after returns the position of the first row that comes after ref.
func (x *loginIndex) after(ref loginRef) int {
	key, ok := x.loginKey(ref)
	if !ok {
		return 0 // ref comes before every row
	}
	i, found := slices.BinarySearch(x.keys, key)
	if found {
		i++
	}
	return i
}

// buildLoginIndexes lists every sign-in row of the workspaces teamIDs, in
// one pass over the accounts whatever their number.
func (o *Org) buildLoginIndexes(teamIDs []string) []*loginIndex {
	if len(o.Users) >= 1<<loginUserBits {
		panic("slacktest: too many accounts for the sign-in index")
	}
	xs := make([]*loginIndex, len(teamIDs))
	for i := range xs {
		xs[i] = &loginIndex{now: o.Now.Unix()}
	}
	clk := o.loginClock()
	var rows [maxLoginsPerUser]loginRow
	for ui, u := range o.Users {
		if u.LastActive.IsZero() {
			continue
		}
		n := -1 // rows not made yet: most accounts are in none of the teams of a Grid org
		for i, id := range teamIDs {
			if !u.InTeam(id) {
				continue
			}
			if n < 0 {
				n = userLogins(u, &clk, &rows)
			}
			xs[i].add(rows[:n], ui)
		}
	}
	for _, x := range xs {
		x.keys = slices.Clip(x.keys)
		slices.Sort(x.keys)
	}
	return xs
}

// add appends the keys of account ui's rows.
func (x *loginIndex) add(rows []loginRow, ui int) {
	for k := range rows {
		key, ok := x.loginKey(loginRef{first: rows[k].first, ui: int32(ui), k: uint8(k)})
		if !ok {
			panic("slacktest: a sign-in row starts after the org's clock")
		}
		x.keys = append(x.keys, key)
	}
}

// loginIndexOnce builds a workspace's loginIndex once, however many
// requests ask for it at the same time.
type loginIndexOnce struct {
	once sync.Once
	x    *loginIndex
}

// logins returns the loginIndex of the workspace teamID, building it on
// first use.
func (o *Org) logins(teamID string) *loginIndex {
	if o.cache == nil {
		return o.buildLoginIndexes([]string{teamID})[0]
	}
	o.cache.mu.Lock()
	e := o.cache.logins[teamID]
	if e == nil {
		e = &loginIndexOnce{}
		o.cache.logins[teamID] = e
	}
	o.cache.mu.Unlock()
	e.once.Do(func() { e.x = o.buildLoginIndexes([]string{teamID})[0] })
	return e.x
}

// indexLogins builds the sign-in index of every workspace that has none,
// in one pass over the accounts (see prepare).
func (o *Org) indexLogins() {
	if o.cache == nil || o.Plan == PlanFree {
		return // team.accessLogs is for paid plans only
	}
	var ids []string
	o.cache.mu.Lock()
	for _, t := range o.Teams {
		if o.cache.logins[t.ID] == nil {
			ids = append(ids, t.ID)
		}
	}
	o.cache.mu.Unlock()
	xs := o.buildLoginIndexes(ids)
	o.cache.mu.Lock()
	defer o.cache.mu.Unlock()
	for i, id := range ids {
		if o.cache.logins[id] == nil {
			e := &loginIndexOnce{}
			e.once.Do(func() { e.x = xs[i] })
			o.cache.logins[id] = e
		}
	}
}

// dropLogins forgets the sign-in index of a workspace whose membership
// changed, or of every workspace when teamID is "" (an account was
// inserted, which moves the indexes of the accounts after it). Callers
// hold o.mu exclusively, so no request is reading the index.
func (o *Org) dropLogins(teamID string) {
	if o.cache == nil {
		return
	}
	o.cache.mu.Lock()
	if teamID == "" {
		clear(o.cache.logins)
	} else {
		delete(o.cache.logins, teamID)
	}
	o.cache.mu.Unlock()
}

// selectLogins returns rows [skip, skip+take) of the workspace's sign-in
// rows with date_first ≤ before, in Slack's order, and how many such rows
// there are. With after set (cursor paging), skip counts from the row
// right after it.
func (o *Org) selectLogins(teamID string, before int64, after *loginRef, skip, take int) ([]loginRef, int) {
	x := o.logins(teamID)
	start := x.from(before)
	total := len(x.keys) - start
	if after != nil {
		start = max(start, x.after(*after))
	}
	lo := min(start+max(skip, 0), len(x.keys))
	hi := min(lo+max(take, 0), len(x.keys))
	if lo == hi {
		return nil, total
	}
	refs := make([]loginRef, hi-lo)
	for i := range refs {
		refs[i] = x.ref(lo + i)
	}
	return refs, total
}
