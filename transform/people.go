package transform

import (
	"cmp"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
)

type personKey struct{ org, user string }

// registry indexes per-person state of type T by billing account and user
// ID. The state lives in one slice (pointer-free T keeps the garbage
// collector's work small), so a row costs one hash probe or, for rows in
// the order people were first seen, none. A person costs its T, its key
// (the account's ID is shared, the user ID is copied once into an arena)
// and 8 bytes of index at most: about 50 bytes besides T, where a Go map
// of cloned strings per account cost about 90.
type registry[T any] struct {
	orgOf    map[string]string // workspace → billing account
	accounts map[string]*account
	items    []T
	keys     []personKey
	index    personIndex
	ids      arena
}

// account indexes one billing account's people.
type account struct {
	id        string // shared by its people's keys
	hash      uint64 // of id, mixed into its people's hashes
	cursor    int32  // the person the previous in-order row was about
	analytics bool   // the usage transform saw member analytics for it
}

func newRegistry[T any](orgOf map[string]string) *registry[T] {
	return &registry[T]{orgOf: orgOf, accounts: map[string]*account{}, index: personIndex{seed: maphash.MakeSeed()}}
}

// orgOfTeam is the billing account of a workspace: its enterprise on Grid,
// the workspace itself otherwise.
func (r *registry[T]) orgOfTeam(team string) string {
	if o, ok := r.orgOf[team]; ok && o != "" {
		return o
	}
	return team
}

func (r *registry[T]) account(id string) *account {
	a := r.accounts[id]
	if a == nil {
		a = &account{id: strings.Clone(id), cursor: -1}
		a.hash = maphash.String(r.index.seed, a.id)
		r.accounts[a.id] = a
	}
	return a
}

// at returns the person's index, adding the person if new.
func (r *registry[T]) at(a *account, user string) int32 {
	h := r.index.hash(a, user)
	slot, found := r.index.find(h, func(i int32) bool { k := &r.keys[i]; return k.user == user && k.org == a.id })
	if found >= 0 {
		return found
	}
	var zero T
	i := int32(len(r.items))
	r.items = append(r.items, zero)
	r.keys = append(r.keys, personKey{a.id, r.ids.intern(user)})
	r.index.put(slot, h, i, len(r.keys), func(i int32) uint64 { return r.index.hash(r.accounts[r.keys[i].org], r.keys[i].user) })
	return i
}

// next is at for rows that list people in user-ID order (analytics files):
// it tries the person after the previous row's first.
func (r *registry[T]) next(a *account, user string) int32 {
	if n := a.cursor + 1; int(n) < len(r.keys) && r.keys[n].user == user && r.keys[n].org == a.id {
		a.cursor = n
		return n
	}
	a.cursor = r.at(a, user)
	return a.cursor
}

// sorted returns the indexes of the people keep accepts, by account and user.
func (r *registry[T]) sorted(keep func(*T) bool) []int32 {
	out := make([]int32, 0, len(r.items))
	for i := range r.items {
		if keep(&r.items[i]) {
			out = append(out, int32(i))
		}
	}
	slices.SortFunc(out, func(a, b int32) int {
		ka, kb := r.keys[a], r.keys[b]
		return cmp.Or(cmp.Compare(ka.org, kb.org), cmp.Compare(ka.user, kb.user))
	})
	return out
}

// accountOf finds each row's billing account: the row's enterprise ID when it
// has one, else its workspace's account. Rows come in runs of the same
// workspace, so it remembers the last answer.
type accountOf struct {
	orgOfTeam func(string) string
	account   func(string) *account
	team, ent *array.String
	lastKey   string
	last      *account
}

func resolver[T any](r *registry[T], team, ent *array.String) accountOf {
	return accountOf{orgOfTeam: r.orgOfTeam, account: r.account, team: team, ent: ent}
}

func (r *accountOf) at(i int) *account {
	key, fromTeam := "", false
	if r.ent != nil && r.ent.IsValid(i) {
		key = r.ent.Value(i)
	}
	if key == "" && r.team != nil {
		key, fromTeam = r.team.Value(i), true
	}
	if r.last != nil && key == r.lastKey {
		return r.last
	}
	id := key
	if fromTeam {
		id = r.orgOfTeam(key)
	}
	r.lastKey, r.last = strings.Clone(key), r.account(id)
	return r.last
}
