package chart

import "math"

// box is a rectangle in viewBox units.
type box struct{ x, y, w, h float64 }

// noteAllZero says, inside the plot, why every bar has length zero.
func (p box) noteAllZero(w *svgWriter) {
	w.text("text", "All values are 0", attr{"class", "note"}, attr{"x", num(p.x + p.w/2)}, attr{"y", num(p.y + p.h/2)},
		attr{"dy", "0.35em"}, attr{"text-anchor", "middle"}, attr{"fill", "#555555"})
}

// barLayout is where everything of a bar chart goes. The category axis runs
// down (horizontal bars) or across (vertical bars); each category has a
// band, and each bar a thickness within it.
type barLayout struct {
	legend  legend
	plot    box
	scale   scale
	band    float64 // length of the category axis per category
	thick   float64 // bar thickness
	step    float64 // distance between bars of one group; 0 when not grouped
	labelW  float64 // widest category label before "…"
	slanted bool    // vertical bars whose labels do not fit their band: labels at 45°
	every   int     // label every n-th category (slanted labels closer than a line)
	height  float64
	allZero bool
}

const (
	maxLabelW   = 190.0 // widest category label of horizontal bars
	plotHeight  = 240.0 // value axis length of vertical bars
	tickGap     = 14.0  // space kept between tick labels
	valueLabelW = 150.0 // widest room kept for a value label at a bar end
	slantW      = 130.0 // longest slanted category label
	slantBelow  = 100.0 // bands at least this wide shorten their labels instead
	cos45       = 0.7071
)

func (b Bar) layout() barLayout {
	var entries []legendEntry
	if len(b.Series) > 1 {
		for j, s := range b.Series {
			entries = append(entries, legendEntry{s.Name, s.Class.orDefault(j)})
		}
	}
	l := barLayout{legend: layoutLegend(entries, titleBase+12), every: 1}
	top := l.legend.bottom + 8
	peak := b.peak()
	l.allZero = peak == 0
	if b.Horizontal {
		b.layoutHorizontal(&l, top, peak)
	} else {
		b.layoutVertical(&l, top, peak)
	}
	return l
}

// peak is the longest bar: the largest value, or the largest stack.
func (b Bar) peak() float64 {
	peak := 0.0
	for i := range b.Categories {
		total := 0.0
		for _, s := range b.Series {
			if b.Stacked {
				total += s.Values[i]
			} else {
				total = math.Max(total, s.Values[i])
			}
		}
		peak = math.Max(peak, total)
	}
	return peak
}

func (b Bar) grouped() bool { return !b.Stacked && len(b.Series) > 1 }

func (b Bar) layoutHorizontal(l *barLayout, top, peak float64) {
	whole := wholeNumbers(b.Series)
	l.labelW = math.Min(b.widestCategory(), maxLabelW)
	left := pad + l.labelW + 8
	first := niceScale(0, peak, 5, whole)
	right := pad + math.Min(math.Max(b.widestValueLabel()+6, b.widestTick(first)/2), valueLabelW)
	l.thick, l.band = 18, 28
	if b.grouped() {
		l.thick, l.step = 12, 14
		l.band = l.step*float64(len(b.Series)) + 12
	}
	l.plot = box{left, top, width - left - right, l.band * float64(len(b.Categories))}
	l.scale = b.fitScale(peak, l.plot.w, whole)
	l.height = l.plot.y + l.plot.h + 22 + pad
}

func (b Bar) layoutVertical(l *barLayout, top, peak float64) {
	l.scale = niceScale(0, peak, 5, wholeNumbers(b.Series))
	left := pad + b.widestTick(l.scale) + 8
	n := float64(len(b.Categories))
	l.band = (width - left - pad) / n
	l.labelW = l.band - 6
	labelsBelow := 24.0
	if widest := b.widestCategory(); widest > l.labelW && l.band < slantBelow {
		// Slant the labels; the first must not run off the left edge.
		l.slanted, l.labelW = true, math.Min(widest, slantW)
		reach := textWidth(truncate(display(b.Categories[0]), l.labelW, labelPx), labelPx) * cos45
		left = math.Max(left, reach-l.band/2+6)
		l.band = (width - left - pad) / n
		labelsBelow = 14 + l.labelW*cos45 + labelPx
		l.every = int(math.Ceil((labelPx + 2) / (l.band * cos45)))
	}
	l.plot = box{left, top + 14, width - left - pad, plotHeight}
	l.thick = math.Min(l.band*0.66, 64)
	if b.grouped() {
		l.step = math.Min(l.band*0.8/float64(len(b.Series)), 30)
		l.thick = math.Max(l.step-2, 1)
	}
	l.height = l.plot.y + l.plot.h + labelsBelow + pad
}

// fitScale picks the most ticks whose labels do not touch along length.
func (b Bar) fitScale(peak, length float64, whole bool) scale {
	var s scale
	for target := 6; target >= 1; target-- {
		s = niceScale(0, peak, target, whole)
		gaps := float64(len(s.ticks) - 1)
		if length/gaps >= b.widestTick(s)+tickGap {
			return s
		}
	}
	return s
}

func (b Bar) widestCategory() float64 {
	w := 0.0
	for _, c := range b.Categories {
		w = math.Max(w, textWidth(display(c), labelPx))
	}
	return w
}

func (b Bar) widestTick(s scale) float64 {
	w := 0.0
	for _, t := range s.ticks {
		w = math.Max(w, textWidth(s.label(t, b.Format), labelPx))
	}
	return w
}

// widestValueLabel is the widest label drawn at a bar end.
func (b Bar) widestValueLabel() float64 {
	w := 0.0
	for i := range b.Categories {
		total := 0.0
		for _, s := range b.Series {
			total += s.Values[i]
			w = math.Max(w, textWidth(b.format(s.Values[i]), valuePx))
		}
		if b.Stacked {
			w = math.Max(w, textWidth(b.format(total), valuePx))
		}
	}
	return w
}

// offset is where bar j of a category starts within its band.
func (l barLayout) offset(j, n int) float64 {
	if l.step == 0 {
		return (l.band - l.thick) / 2
	}
	return (l.band-l.step*float64(n))/2 + l.step*float64(j) + (l.step-l.thick)/2
}

// rect is the bar of category i at offset off, from value lo to value hi.
func (l barLayout) rect(horizontal bool, i int, off, lo, hi float64) box {
	c := l.band*float64(i) + off
	if horizontal {
		a, z := l.scale.pos(lo, l.plot.w), l.scale.pos(hi, l.plot.w)
		return box{l.plot.x + a, l.plot.y + c, z - a, l.thick}
	}
	a, z := l.scale.pos(lo, l.plot.h), l.scale.pos(hi, l.plot.h)
	return box{l.plot.x + c, l.plot.y + l.plot.h - z, l.thick, z - a}
}
