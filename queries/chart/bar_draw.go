package chart

// drawAxis writes the grid, the tick labels, the zero line and the category
// labels.
func (b Bar) drawAxis(w *svgWriter, l barLayout) {
	p := l.plot
	w.open("g", attr{"class", "axis-value"}, attr{"font-size", num(labelPx)})
	for _, t := range l.scale.ticks {
		label := l.scale.label(t, b.Format)
		if b.Horizontal {
			x := p.x + l.scale.pos(t, p.w)
			w.leaf("line", attr{"class", "grid"}, attr{"x1", num(x)}, attr{"y1", num(p.y)}, attr{"x2", num(x)}, attr{"y2", num(p.y + p.h)}, attr{"stroke", "#dddddd"})
			w.text("text", label, attr{"class", "tick"}, attr{"x", num(x)}, attr{"y", num(p.y + p.h + 16)}, attr{"text-anchor", "middle"},
				attr{"fill", "#222222"}, attr{"data-value", exact(t)})
			continue
		}
		y := p.y + p.h - l.scale.pos(t, p.h)
		w.leaf("line", attr{"class", "grid"}, attr{"x1", num(p.x)}, attr{"y1", num(y)}, attr{"x2", num(p.x + p.w)}, attr{"y2", num(y)}, attr{"stroke", "#dddddd"})
		w.text("text", label, attr{"class", "tick"}, attr{"x", num(p.x - 6)}, attr{"y", num(y)}, attr{"dy", "0.35em"}, attr{"text-anchor", "end"},
			attr{"fill", "#222222"}, attr{"data-value", exact(t)})
	}
	if b.Horizontal {
		w.leaf("line", attr{"class", "axis"}, attr{"x1", num(p.x)}, attr{"y1", num(p.y)}, attr{"x2", num(p.x)}, attr{"y2", num(p.y + p.h)}, attr{"stroke", "#555555"})
	} else {
		w.leaf("line", attr{"class", "axis"}, attr{"x1", num(p.x)}, attr{"y1", num(p.y + p.h)}, attr{"x2", num(p.x + p.w)}, attr{"y2", num(p.y + p.h)}, attr{"stroke", "#555555"})
	}
	w.close("g")
	b.drawCategoryLabels(w, l)
}

// drawCategoryLabels writes one label per category, shortened to fit; a
// shortened label keeps the whole name in its <title>.
func (b Bar) drawCategoryLabels(w *svgWriter, l barLayout) {
	p := l.plot
	w.open("g", attr{"class", "axis-category"}, attr{"font-size", num(labelPx)})
	for i, c := range b.Categories {
		if i%l.every != 0 {
			continue // too dense to label each; the bars' titles name them
		}
		full := display(c)
		label := truncate(full, l.labelW, labelPx)
		mid := l.band*float64(i) + l.band/2
		attrs := []attr{{"class", "category"}, {"x", num(p.x + mid)}, {"y", num(p.y + p.h + 16)}, {"text-anchor", "middle"}}
		if l.slanted {
			x, y := num(p.x+mid+4), num(p.y+p.h+10)
			attrs = []attr{{"class", "category"}, {"x", x}, {"y", y}, {"dy", "0.35em"}, {"text-anchor", "end"},
				{"transform", "rotate(-45 " + x + " " + y + ")"}}
		}
		if b.Horizontal {
			attrs = []attr{{"class", "category"}, {"x", num(p.x - 8)}, {"y", num(p.y + mid)}, {"dy", "0.35em"}, {"text-anchor", "end"}}
		}
		attrs = append(attrs, attr{"fill", "#222222"}, attr{"data-category", c})
		if label == full {
			w.text("text", label, attrs...)
			continue
		}
		w.start("text", attrs, false)
		escapeTo(&w.b, label)
		w.b.WriteString("<title>")
		escapeTo(&w.b, full)
		w.b.WriteString("</title></text>\n")
	}
	w.close("g")
}

// drawBars writes one rect per value, each carrying its data, and the value
// labels.
func (b Bar) drawBars(w *svgWriter, l barLayout) {
	w.open("g", attr{"class", "marks"})
	for i, c := range b.Categories {
		acc := 0.0
		for j, s := range b.Series {
			v, lo := s.Values[i], 0.0
			if b.Stacked {
				lo = acc
			}
			r := l.rect(b.Horizontal, i, l.offset(j, len(b.Series)), lo, lo+v)
			b.drawMark(w, r, b.classOf(j, i), c, s, v)
			acc += v
			if !b.Stacked {
				b.valueLabel(w, l, r, v)
			}
		}
		if b.Stacked {
			b.valueLabel(w, l, l.rect(b.Horizontal, i, l.offset(0, 1), 0, acc), acc)
		}
	}
	w.close("g")
}

func (b Bar) drawMark(w *svgWriter, r box, class Class, category string, s Series, v float64) {
	color, _ := class.color()
	attrs := []attr{{"class", "mark " + string(class)}, {"x", num(r.x)}, {"y", num(r.y)},
		{"width", num(r.w)}, {"height", num(r.h)}, {"fill", color}}
	if b.Stacked && len(b.Series) > 1 {
		attrs = append(attrs, attr{"stroke", "#ffffff"}, attr{"stroke-width", "0.5"})
	}
	attrs = append(attrs, attr{"data-series", s.Name}, attr{"data-category", category}, attr{"data-value", exact(v)})
	w.mark("rect", b.markTitle(category, s, v), attrs...)
}

// valueLabel writes v at the end of bar r: after it for horizontal bars,
// above it for vertical ones when the label fits the bar's room.
func (b Bar) valueLabel(w *svgWriter, l barLayout, r box, v float64) {
	label := b.format(v)
	if b.Horizontal {
		w.text("text", label, attr{"class", "value"}, attr{"x", num(r.x + r.w + 4)}, attr{"y", num(r.y + r.h/2)},
			attr{"dy", "0.35em"}, attr{"font-size", num(valuePx)}, attr{"fill", "#222222"})
		return
	}
	room := l.band - 4
	if l.step > 0 {
		room = l.step + 2
	}
	if textWidth(label, valuePx) > room {
		return
	}
	w.text("text", label, attr{"class", "value"}, attr{"x", num(r.x + r.w/2)}, attr{"y", num(r.y - 4)},
		attr{"text-anchor", "middle"}, attr{"font-size", num(valuePx)}, attr{"fill", "#222222"})
}
