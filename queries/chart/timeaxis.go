package chart

import "time"

// timeStep is a candidate spacing of time ticks: a fixed duration, or a
// number of calendar months.
type timeStep struct {
	d      time.Duration
	months int
	layout string
}

const (
	dayLayout      = "2006-01-02"
	dateTimeLayout = "2006-01-02 15:04"
)

var timeSteps = []timeStep{
	{d: time.Hour, layout: dateTimeLayout},
	{d: 3 * time.Hour, layout: dateTimeLayout},
	{d: 6 * time.Hour, layout: dateTimeLayout},
	{d: 12 * time.Hour, layout: dateTimeLayout},
	{d: 24 * time.Hour, layout: dayLayout},
	{d: 48 * time.Hour, layout: dayLayout},
	{d: 7 * 24 * time.Hour, layout: dayLayout}, // Mondays
	{d: 14 * 24 * time.Hour, layout: dayLayout},
	{months: 1, layout: "Jan 2006"},
	{months: 2, layout: "Jan 2006"},
	{months: 3, layout: "Jan 2006"},
	{months: 6, layout: "Jan 2006"},
	{months: 12, layout: "2006"},
	{months: 24, layout: "2006"},
	{months: 60, layout: "2006"},
	{months: 120, layout: "2006"},
	{months: 600, layout: "2006"},
	{months: 1200, layout: "2006"},
}

// timeTicks returns tick times within [t0, t1] (UTC) at the finest step
// whose labels fit length without touching, and the layout to label them.
// A range too short for any step is labelled at its ends.
func timeTicks(t0, t1 time.Time, length float64) ([]time.Time, string) {
	for _, s := range timeSteps {
		room := textWidth(t0.Format(s.layout), labelPx) + tickGap
		max := int(length / room)
		ticks := s.ticks(t0, t1, max+1)
		if len(ticks) <= max && len(ticks) >= 2 {
			return ticks, s.layout
		}
		if len(ticks) <= max {
			break
		}
	}
	if t0.Equal(t1) {
		return []time.Time{t0}, pointLayout([]time.Time{t0})
	}
	return []time.Time{t0, t1}, pointLayout([]time.Time{t0, t1})
}

// ticks lists the step's tick times in [t0, t1], stopping after limit.
func (s timeStep) ticks(t0, t1 time.Time, limit int) []time.Time {
	var out []time.Time
	t := s.first(t0)
	for !t.After(t1) && len(out) < limit {
		out = append(out, t)
		t = s.next(t)
	}
	return out
}

// first is the first tick at or after t0: a multiple of the duration since
// year 1 (so weeks start on Mondays), or the first day of a month whose
// number since year 0 is a multiple of the months.
func (s timeStep) first(t0 time.Time) time.Time {
	if s.d > 0 {
		t := t0.Truncate(s.d)
		if t.Before(t0) {
			t = t.Add(s.d)
		}
		return t
	}
	m := t0.Year()*12 + int(t0.Month()) - 1
	t := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC)
	if t.Before(t0) {
		m++
	}
	m = (m + s.months - 1) / s.months * s.months
	return time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC)
}

func (s timeStep) next(t time.Time) time.Time {
	if s.d > 0 {
		return t.Add(s.d)
	}
	return t.AddDate(0, s.months, 0)
}

// pointLayout is how to write the given times in sentences and titles: the
// day alone when every time is midnight UTC, else day and time.
func pointLayout(xs []time.Time) string {
	for _, t := range xs {
		if !t.Equal(t.Truncate(24 * time.Hour)) {
			return dateTimeLayout + " UTC"
		}
	}
	return dayLayout
}
