package transform

import (
	"hash/maphash"
	"unsafe"
)

// personIndex finds a person's position in a registry by the hash of
// (account, user ID): an open-addressing table of positions, at most half
// full, so a person costs 4–8 bytes of it.
type personIndex struct {
	seed  maphash.Seed
	slots []int32 // position + 1; 0: empty. A power of two long.
}

// hash is the hash of a person of account a.
func (x *personIndex) hash(a *account, user string) uint64 {
	return maphash.String(x.seed, user) ^ a.hash*0x9e3779b97f4a7c15
}

// find returns the position is accepts among those hashed to h, or -1 and
// the empty slot where a new one goes.
func (x *personIndex) find(h uint64, is func(int32) bool) (slot int, pos int32) {
	if len(x.slots) == 0 {
		return -1, -1
	}
	mask := uint64(len(x.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		p := x.slots[i]
		if p == 0 {
			return int(i), -1
		}
		if is(p - 1) {
			return int(i), p - 1
		}
	}
}

// put stores pos at slot (from find); n is how many positions the table
// will hold, and rehash gives a held position's hash when the table grows.
func (x *personIndex) put(slot int, h uint64, pos int32, n int, rehash func(int32) uint64) {
	if slot < 0 || n*2 > len(x.slots) {
		x.grow(n, rehash)
		slot, _ = x.find(h, func(int32) bool { return false })
	}
	x.slots[slot] = pos + 1
}

// grow makes room for n positions and re-places those held.
func (x *personIndex) grow(n int, rehash func(int32) uint64) {
	old := x.slots
	size := max(len(old), 1024)
	for n*2 > size {
		size *= 2
	}
	x.slots = make([]int32, size)
	mask := uint64(size - 1)
	for _, p := range old {
		if p == 0 {
			continue
		}
		i := rehash(p-1) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = p
	}
}

// arena stores strings back to back in large chunks, so that a million
// user IDs are a few dozen allocations rather than a million. Chunks are
// never written again once a string is in them.
type arena struct {
	chunk []byte
}

const arenaChunk = 64 << 10

// intern returns a copy of s that lives in the arena.
func (a *arena) intern(s string) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) > arenaChunk/8 {
		return string([]byte(s))
	}
	if cap(a.chunk)-len(a.chunk) < len(s) {
		a.chunk = make([]byte, 0, arenaChunk)
	}
	start := len(a.chunk)
	a.chunk = append(a.chunk, s...)
	return unsafe.String(&a.chunk[start], len(s))
}
