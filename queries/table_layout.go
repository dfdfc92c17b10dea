package queries

// layout is how a table's columns are laid out on a line: each column's
// width in cells, and which columns are drawn, in order, with -1 standing
// for the "…" column that takes the place of those left out.
type layout struct {
	widths []int
	slots  []int
}

// ellipsisSlot marks the "…" column in layout.slots.
const ellipsisSlot = -1

// minFitWidth is how narrow fitting makes a column before it leaves columns
// out instead: a name or an email stays recognisable.
const minFitWidth = 16

// pickWidth is the most a column counts for while choosing which columns to
// show: a long text does not crowd out every other column.
const pickWidth = 32

// lineWidth is how wide a line of these columns is: a border, and a space
// on each side of every cell and a border after it.
func lineWidth(widths []int, slots []int) int {
	n := 1
	for _, s := range slots {
		if s == ellipsisSlot {
			n += 4
			continue
		}
		n += widths[s] + 3
	}
	return n
}

// fitLayout lays out columns of the given natural widths on lines of at most
// maxWidth cells (0: no limit), as DuckDB's duckbox does: first the widest
// columns are narrowed (their values cut with "…"), down to minFitWidth;
// when that is not enough, the first and the last columns are kept with as
// many of the others as fit whole (up to pickWidth), from both ends, and a
// "…" column stands for the rest; the first and last columns narrow further
// only when even they do not fit.
func fitLayout(natural []int, maxWidth int) layout {
	l := layout{widths: append([]int(nil), natural...), slots: allSlots(len(natural))}
	if maxWidth <= 0 || lineWidth(l.widths, l.slots) <= maxWidth {
		return l
	}
	if capWidths(l.widths, l.slots, maxWidth, minFitWidth) {
		return l
	}
	for i, w := range l.widths {
		l.widths[i] = min(w, pickWidth)
	}
	l.slots = pickEnds(l.widths, maxWidth)
	for i := range l.widths {
		l.widths[i] = natural[i]
	}
	if !capWidths(l.widths, l.slots, maxWidth, minFitWidth) && !capWidths(l.widths, l.slots, maxWidth, 1) {
		for _, s := range l.slots { // not even one cell each fits: draw one cell each
			if s != ellipsisSlot {
				l.widths[s] = 1
			}
		}
	}
	return l
}

// capWidths narrows the columns in slots wider than a common cap, the
// largest cap no smaller than floor that makes the line fit, and reports
// whether there was one.
func capWidths(widths, slots []int, maxWidth, floor int) bool {
	widest := 0
	for _, s := range slots {
		if s != ellipsisSlot {
			widest = max(widest, widths[s])
		}
	}
	capped := func(c int) int {
		n := 1
		for _, s := range slots {
			if s == ellipsisSlot {
				n += 4
			} else {
				n += min(widths[s], c) + 3
			}
		}
		return n
	}
	lo, hi := floor, max(widest, floor)
	if capped(lo) > maxWidth {
		return false
	}
	for lo < hi { // the largest cap that fits
		mid := (lo + hi + 1) / 2
		if capped(mid) <= maxWidth {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	for _, s := range slots {
		if s != ellipsisSlot {
			widths[s] = min(widths[s], lo)
		}
	}
	return true
}

// pickEnds keeps the first and last columns, then adds columns alternately
// from the left and from the right while the line still fits, with a "…"
// column between the two ends for the columns left out.
func pickEnds(widths []int, maxWidth int) []int {
	n := len(widths)
	if n == 1 {
		return []int{0}
	}
	left, right := []int{0}, []int{n - 1}
	used := 1 + widths[0] + 3 + 4 + widths[n-1] + 3
	i, j := 1, n-2
	for fromLeft, stuck := true, 0; i <= j && stuck < 2; fromLeft = !fromLeft {
		k := j
		if fromLeft {
			k = i
		}
		if used+widths[k]+3 > maxWidth {
			stuck++
			continue
		}
		stuck, used = 0, used+widths[k]+3
		if fromLeft {
			left, i = append(left, k), i+1
		} else {
			right, j = append([]int{k}, right...), j-1
		}
	}
	slots := left
	if i <= j {
		slots = append(slots, ellipsisSlot)
	}
	return append(slots, right...)
}
