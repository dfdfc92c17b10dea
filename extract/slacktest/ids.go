package slacktest

import "math/rand/v2"

// Slack-style IDs: a type letter, "0", then idDigits base-36 digits
// ("U0A1B2C3D4E"). Fixed width makes string order equal numeric order.
const (
	idDigits = 9
	idLen    = 2 + idDigits
	idSpace  = uint64(36 * 36 * 36 * 36 * 36 * 36 * 36 * 36 * 36) // 36^idDigits
	base36   = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

// appendID appends prefix, '0' and v in fixed-width base 36.
func appendID(dst []byte, prefix byte, v uint64) []byte {
	var d [idLen]byte
	d[0], d[1] = prefix, '0'
	for i := idLen - 1; i >= 2; i-- {
		d[i] = base36[v%36]
		v /= 36
	}
	return append(dst, d[:]...)
}

// idSequence returns n strictly increasing ID values with random gaps.
func idSequence(n int, master *rand.Rand) []uint64 {
	ids := make([]uint64, n)
	v := idSpace/8 + master.Uint64N(idSpace/8)
	maxStep := (idSpace - 1 - v) / uint64(n+1)
	for i := range ids {
		v += 1 + master.Uint64N(maxStep)
		ids[i] = v
	}
	return ids
}

// rng is a splitmix64 generator: one per account, seeded from (seed, index),
// so an account's data does not depend on how others were generated.
type rng struct{ s uint64 }

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func newRNG(seed uint64, index int) rng {
	return rng{s: mix64(seed ^ mix64(uint64(index)+0x9e3779b97f4a7c15))}
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix64(r.s)
}

// intn returns a number in [0, n); n must be positive.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// int63n returns a number in [0, n); n must be positive.
func (r *rng) int63n(n int64) int64 { return int64(r.next() % uint64(n)) }

// nameSpace enumerates every (culture, given, family) combination so that the
// k-th human gets a distinct handle: combination (k mod total) scattered by a
// stride coprime with total, plus a numeric suffix from the (k / total)-th round.
var nameSpace = newNames()

type names struct {
	total, stride int
}

func newNames() names {
	var ns names
	for _, c := range cultures {
		ns.total += len(c.given) * len(c.family)
	}
	ns.stride = ns.total*618/1000 + 1
	for gcd(ns.stride, ns.total) != 1 {
		ns.stride++
	}
	return ns
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// at returns the name parts of the k-th human and its round (0 = no suffix).
func (ns names) at(k, off int) (*culture, namePart, namePart, int) {
	round := k / ns.total
	c := ((k%ns.total)*ns.stride + off) % ns.total
	for i := range cultures {
		cul := &cultures[i]
		size := len(cul.given) * len(cul.family)
		if c < size {
			return cul, cul.given[c/len(cul.family)], cul.family[c%len(cul.family)], round
		}
		c -= size
	}
	panic("slacktest: name space out of range")
}

// below returns a number in [0, n) by multiply-shift, cheaper than intn's
// division; n must be positive and below 2^32. New data sets use it; the
// account generator keeps intn so that existing orgs do not change.
func (r *rng) below(n int) int { return int((r.next() >> 32) * uint64(n) >> 32) }

// below64 is below for int64 bounds (still under 2^32).
func (r *rng) below64(n int64) int64 { return int64((r.next() >> 32) * uint64(n) >> 32) }
