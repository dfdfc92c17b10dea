package chart

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDecimal(t *testing.T) {
	tests := []struct {
		places int
		in     float64
		want   string
	}{
		{0, 0, "0"},
		{0, 999, "999"},
		{0, 1000, "1,000"},
		{0, 41542, "41,542"},
		{0, 1234567, "1,234,567"},
		{2, 3654, "3,654.00"},
		{2, -1234.5, "-1,234.50"},
		{2, math.Copysign(0, -1), "0.00"},
		{1, 0.05, "0.1"},
		{0, 1e21, "1,000,000,000,000,000,000,000"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Decimal(tt.places)(tt.in), "Decimal(%d)(%v)", tt.places, tt.in)
	}
}

func TestPlainAndExact(t *testing.T) {
	assert.Equal(t, "41,542", plain(41542))
	assert.Equal(t, "2.5", plain(2.5))
	assert.Equal(t, "0.33", plain(1.0/3))
	assert.Equal(t, "-1,000", plain(-1000))
	assert.Equal(t, "0", plain(-0.001))
	assert.Equal(t, "0.1", exact(0.1))
	a, b := 0.1, 0.2
	assert.Equal(t, "0.30000000000000004", exact(a+b), "data-value keeps every digit")
	assert.Equal(t, "41542", exact(41542))
	assert.Equal(t, "0", exact(math.Copysign(0, -1)))
}

func TestNiceScale(t *testing.T) {
	tests := []struct {
		name     string
		min, max float64
		integers bool
		want     []float64
	}{
		{"counts", 0, 812, true, []float64{0, 200, 400, 600, 800, 1000}},
		{"exactly a tick", 0, 800, true, []float64{0, 200, 400, 600, 800}},
		{"small counts step at least 1", 0, 3, true, []float64{0, 1, 2, 3}},
		{"all zero", 0, 0, true, []float64{0, 1}},
		{"fractions", 0, 0.47, false, []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5}},
		{"money", 0, 3654, false, []float64{0, 1000, 2000, 3000, 4000}},
		{"negative", -120, 300, false, []float64{-200, -100, 0, 100, 200, 300}},
		{"millions", 0, 41542000, true, []float64{0, 1e7, 2e7, 3e7, 4e7, 5e7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, niceScale(tt.min, tt.max, 5, tt.integers).ticks)
		})
	}
}

// TestNiceScale_AnyMaximum checks the scale's promises over many maxima
// from a seeded generator: nice even steps from 0, covering the maximum
// with no tick to spare, and not too many ticks.
func TestNiceScale_AnyMaximum(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 2026))
	for range 2000 {
		peak := math.Pow(10, r.Float64()*16-6) * r.Float64()
		integers := r.IntN(2) == 0
		if integers {
			peak = math.Ceil(peak)
		}
		target := 1 + r.IntN(8)
		s := niceScale(0, peak, target, integers)
		assertNiceTicks(t, s.ticks, peak)
		assert.LessOrEqual(t, len(s.ticks), 2*target+2, "peak %v target %d: %v", peak, target, s.ticks)
		assert.Equal(t, s.ticks[0], s.lo)
		assert.Equal(t, s.ticks[len(s.ticks)-1], s.hi)
		if integers {
			assert.GreaterOrEqual(t, s.ticks[1], 1.0, "whole numbers step by at least 1")
		}
	}
}
