package slackapi

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHashSetAgreesWithAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var s hashSet
	want := map[uint64]bool{}
	for i := range 200_000 {
		k := r.Uint64() % 150_000 // repeats on purpose
		if i%1000 == 0 {
			k = 0
		}
		require.Equal(t, !want[k], s.add(k), "key %d", k)
		want[k] = true
	}
	n := s.n
	if s.zero {
		n++
	}
	assert.Equal(t, len(want), n)
	assert.LessOrEqual(t, s.n*4, len(s.slots)*3, "load stays at most 3/4")
}
