package chart

// legendEntry names one series (or category) and its colour.
type legendEntry struct {
	name  string
	class Class
}

// legendItem is an entry placed on the chart.
type legendItem struct {
	x, y  float64 // top left of the swatch
	label string  // display text, shortened to fit
	class Class
}

// legend is a laid-out legend: entries flow left to right in rows.
type legend struct {
	items  []legendItem
	bottom float64 // y below the last row (top when there is no legend)
}

const (
	legendRow    = 18.0
	legendSwatch = 10.0
	legendMaxW   = 220.0 // longest legend label before "…"
)

// layoutLegend places entries in rows starting at y top. No entries give an
// empty legend whose bottom is top.
func layoutLegend(entries []legendEntry, top float64) legend {
	l := legend{bottom: top}
	if len(entries) == 0 {
		return l
	}
	x, y := pad, top
	for _, e := range entries {
		label := truncate(display(e.name), legendMaxW, valuePx)
		w := legendSwatch + 5 + textWidth(label, valuePx) + 16
		if x > pad && x+w > width-pad {
			x, y = pad, y+legendRow
		}
		l.items = append(l.items, legendItem{x: x, y: y, label: label, class: e.class})
		x += w
	}
	l.bottom = y + legendRow
	return l
}

// draw writes the legend; line charts get a line swatch, bar charts a square.
func (l legend) draw(w *svgWriter, line bool) {
	if len(l.items) == 0 {
		return
	}
	w.open("g", attr{"class", "legend"}, attr{"font-size", num(valuePx)})
	for _, it := range l.items {
		color, _ := it.class.color()
		if line {
			w.leaf("line", attr{"class", "swatch " + string(it.class)}, attr{"x1", num(it.x)}, attr{"y1", num(it.y + legendSwatch/2)},
				attr{"x2", num(it.x + legendSwatch)}, attr{"y2", num(it.y + legendSwatch/2)}, attr{"stroke", color}, attr{"stroke-width", "3"})
		} else {
			w.leaf("rect", attr{"class", "swatch " + string(it.class)}, attr{"x", num(it.x)}, attr{"y", num(it.y)},
				attr{"width", num(legendSwatch)}, attr{"height", num(legendSwatch)}, attr{"fill", color})
		}
		w.text("text", it.label, attr{"x", num(it.x + legendSwatch + 5)}, attr{"y", num(it.y + legendSwatch - 1)}, attr{"fill", "#222222"})
	}
	w.close("g")
}
