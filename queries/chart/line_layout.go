package chart

import (
	"math"
	"strings"
	"time"
)

// lineLayout is where everything of a line chart goes.
type lineLayout struct {
	legend     legend
	plot       box
	scale      scale
	t0, t1     time.Time // the X domain, UTC
	ticks      []time.Time
	tickLayout string
	radius     float64 // of the point marks
	height     float64
	allZero    bool
}

func (c Line) layout() lineLayout {
	var entries []legendEntry
	if len(c.Series) > 1 {
		for j, s := range c.Series {
			entries = append(entries, legendEntry{s.Name, s.Class.orDefault(j)})
		}
	}
	l := lineLayout{legend: layoutLegend(entries, titleBase+12), radius: 3}
	lo, hi := c.extent()
	l.allZero = lo == 0 && hi == 0
	l.scale = niceScale(lo, hi, 5, wholeNumbers(c.Series))
	left := pad + c.widestTick(l.scale) + 8
	l.plot = box{left, l.legend.bottom + 14, width - left - pad, plotHeight}
	xs := c.utc()
	l.setTimeAxis(xs)
	if over := l.lastLabelOverflow(); over > 0 {
		l.plot.w -= over // room for the last time label, centred on its tick
		l.setTimeAxis(xs)
	}
	if len(xs) > 60 {
		l.radius = 2
	}
	l.height = l.plot.y + l.plot.h + 24 + pad
	return l
}

// setTimeAxis sets the X domain and its ticks for the plot's width; a single
// time gets half a day either side, so that it sits in the middle.
func (l *lineLayout) setTimeAxis(xs []time.Time) {
	l.t0, l.t1 = xs[0], xs[len(xs)-1]
	if l.t0.Equal(l.t1) {
		l.ticks, l.tickLayout = []time.Time{l.t0}, pointLayout(xs[:1])
		l.t0, l.t1 = l.t0.Add(-12*time.Hour), l.t1.Add(12*time.Hour)
		return
	}
	l.ticks, l.tickLayout = timeTicks(l.t0, l.t1, l.plot.w)
}

// lastLabelOverflow is how far the last time label, centred on its tick,
// would run past the right edge.
func (l lineLayout) lastLabelOverflow() float64 {
	last := l.ticks[len(l.ticks)-1]
	return l.x(last) + textWidth(last.Format(l.tickLayout), labelPx)/2 - (width - 4)
}

// extent is the smallest and largest value, with 0 always inside.
func (c Line) extent() (lo, hi float64) {
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

func (c Line) widestTick(s scale) float64 {
	w := 0.0
	for _, t := range s.ticks {
		w = math.Max(w, textWidth(s.label(t, c.Format), labelPx))
	}
	return w
}

// x and y map a time and a value into the plot.
func (l lineLayout) x(t time.Time) float64 {
	return l.plot.x + (seconds(t)-seconds(l.t0))/(seconds(l.t1)-seconds(l.t0))*l.plot.w
}

func (l lineLayout) y(v float64) float64 {
	return l.plot.y + l.plot.h - l.scale.pos(v, l.plot.h)
}

// seconds is t as seconds since 1970, without time.Duration's 292-year limit.
func seconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

// drawAxes writes the value grid and ticks, the zero line and the time ticks.
func (c Line) drawAxes(w *svgWriter, l lineLayout) {
	p := l.plot
	w.open("g", attr{"class", "axis-value"}, attr{"font-size", num(labelPx)})
	for _, t := range l.scale.ticks {
		y := l.y(t)
		w.leaf("line", attr{"class", "grid"}, attr{"x1", num(p.x)}, attr{"y1", num(y)}, attr{"x2", num(p.x + p.w)}, attr{"y2", num(y)}, attr{"stroke", "#dddddd"})
		w.text("text", l.scale.label(t, c.Format), attr{"class", "tick"}, attr{"x", num(p.x - 6)}, attr{"y", num(y)}, attr{"dy", "0.35em"},
			attr{"text-anchor", "end"}, attr{"fill", "#222222"}, attr{"data-value", exact(t)})
	}
	w.leaf("line", attr{"class", "axis"}, attr{"x1", num(p.x)}, attr{"y1", num(l.y(0))}, attr{"x2", num(p.x + p.w)}, attr{"y2", num(l.y(0))}, attr{"stroke", "#555555"})
	w.close("g")
	w.open("g", attr{"class", "axis-time"}, attr{"font-size", num(labelPx)})
	bottom := p.y + p.h
	for _, t := range l.ticks {
		x := l.x(t)
		label := t.Format(l.tickLayout)
		anchor := "middle"
		if half := textWidth(label, labelPx) / 2; x-half < 2 {
			anchor = "start"
		} else if x+half > width-2 {
			anchor = "end"
		}
		w.leaf("line", attr{"class", "axis"}, attr{"x1", num(x)}, attr{"y1", num(bottom)}, attr{"x2", num(x)}, attr{"y2", num(bottom + 4)}, attr{"stroke", "#555555"})
		w.text("text", label, attr{"class", "tick"}, attr{"x", num(x)}, attr{"y", num(bottom + 17)}, attr{"text-anchor", anchor},
			attr{"fill", "#222222"}, attr{"data-x", t.Format(time.RFC3339)})
	}
	w.close("g")
}

// drawSeries writes each series as one path (broken where a value is
// missing) and one circle per value, carrying its data.
func (c Line) drawSeries(w *svgWriter, l lineLayout) {
	xs := c.utc()
	layout := pointLayout(xs)
	for j, s := range c.Series {
		class := s.Class.orDefault(j)
		color, _ := class.color()
		w.open("g", attr{"class", "series"}, attr{"data-series", s.Name})
		if d := l.path(xs, s.Values); d != "" {
			w.leaf("path", attr{"class", "line " + string(class)}, attr{"d", d}, attr{"fill", "none"}, attr{"stroke", color},
				attr{"stroke-width", "2"}, attr{"stroke-linejoin", "round"}, attr{"stroke-linecap", "round"})
		}
		for i, v := range s.Values {
			if math.IsNaN(v) {
				continue
			}
			title := xs[i].Format(layout) + ": " + c.format(v)
			if name := display(s.Name); name != "" {
				title = name + ", " + title
			}
			w.mark("circle", title, attr{"class", "mark " + string(class)}, attr{"cx", num(l.x(xs[i]))}, attr{"cy", num(l.y(v))},
				attr{"r", num(l.radius)}, attr{"fill", color}, attr{"data-series", s.Name}, attr{"data-x", xs[i].Format(time.RFC3339)},
				attr{"data-value", exact(v)})
		}
		w.close("g")
	}
}

// path is the SVG path through the values, a new subpath after each
// missing one; empty when no two neighbouring values are both present.
func (l lineLayout) path(xs []time.Time, values []float64) string {
	var b strings.Builder
	run := 0
	for i, v := range values {
		if math.IsNaN(v) {
			run = 0
			continue
		}
		if run == 0 && (i+1 >= len(values) || math.IsNaN(values[i+1])) {
			continue // a lone point: its circle shows it
		}
		cmd := "L"
		if run == 0 {
			cmd = "M"
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(cmd + num(l.x(xs[i])) + " " + num(l.y(v)))
		run++
	}
	return b.String()
}
