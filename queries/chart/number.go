package chart

import (
	"math"
	"strconv"
	"strings"
)

// Decimal returns a formatter that writes a number with the given decimal
// places and a comma between groups of three digits:
// Decimal(2)(3654) is "3,654.00", Decimal(0)(41542) is "41,542".
func Decimal(places int) func(float64) string {
	return func(v float64) string {
		return group(strconv.FormatFloat(noNegZero(v), 'f', places, 64))
	}
}

// plain is the default format: up to two decimal places, trailing zeros
// dropped, thousands separated: 41542 is "41,542", 2.5 is "2.5".
func plain(v float64) string {
	s := strconv.FormatFloat(noNegZero(math.Round(v*100)/100), 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return group(s)
}

// exact writes v as the shortest decimal that reads back as the same float64,
// for data-value attributes.
func exact(v float64) string {
	return strconv.FormatFloat(noNegZero(v), 'f', -1, 64)
}

func noNegZero(v float64) float64 {
	if v == 0 {
		return 0
	}
	return v
}

// group inserts a comma between groups of three digits in the integer part
// of a formatted number such as "-1234567.89".
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// scale is a value axis: ticks from lo to hi at a nice step (1, 2 or 5 times
// a power of ten), lo ≤ every value ≤ hi.
type scale struct {
	lo, hi float64
	ticks  []float64
	places int // decimal places the step needs
}

// niceScale returns a scale covering [min, max] with about target ticks;
// min ≤ 0 ≤ max. With integers set (all data are whole numbers) the step is
// at least 1. An empty span (all zeros) becomes 0–1.
func niceScale(min, max float64, target int, integers bool) scale {
	if max-min <= 0 {
		max = min + 1
	}
	raw := (max - min) / float64(target)
	exp := int(math.Floor(math.Log10(raw)))
	mant := 10
	for _, m := range []int{1, 2, 5, 10} {
		if float64(m)*math.Pow10(exp) >= raw {
			mant = m
			break
		}
	}
	if mant == 10 {
		mant, exp = 1, exp+1
	}
	if integers && exp < 0 {
		mant, exp = 1, 0
	}
	step := float64(mant) * math.Pow10(exp)
	first, last := math.Floor(min/step), math.Ceil(max/step)
	s := scale{places: max0(-exp)}
	for k := first; k <= last; k++ {
		s.ticks = append(s.ticks, tickValue(k, mant, exp))
	}
	s.lo, s.hi = s.ticks[0], s.ticks[len(s.ticks)-1]
	return s
}

// tickValue computes k·mant·10^exp so that decimal ticks come out as the
// nearest float64 to the decimal (0.3, not 0.30000000000000004).
func tickValue(k float64, mant, exp int) float64 {
	if exp < 0 {
		return k * float64(mant) / math.Pow10(-exp)
	}
	return k * float64(mant) * math.Pow10(exp)
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

// pos maps v onto [0, length] of the scale.
func (s scale) pos(v, length float64) float64 {
	return (v - s.lo) / (s.hi - s.lo) * length
}

// label formats a tick: with the chart's format when set, else with the
// decimal places of the step.
func (s scale) label(v float64, format func(float64) string) string {
	if format != nil {
		return format(v)
	}
	return Decimal(s.places)(v)
}

// wholeNumbers reports whether every finite value is a whole number.
func wholeNumbers(series []Series) bool {
	for _, s := range series {
		for _, v := range s.Values {
			if !math.IsNaN(v) && v != math.Trunc(v) {
				return false
			}
		}
	}
	return true
}
