package queries

import (
	"strings"
	"unsafe"

	"slackaudit/queries/textcell"
)

type tableStyle struct {
	top, mid, bottom [4]string // left, fill, join, right
	sep              [3]string // left, join, right for rows
	markdown         bool
	duck             bool // duckbox: centred names over DuckDB's type names, rows cut in the middle
}

var (
	asciiStyle = tableStyle{
		top: [4]string{"+", "-", "+", "+"}, mid: [4]string{"+", "-", "+", "+"}, bottom: [4]string{"+", "-", "+", "+"},
		sep: [3]string{"|", "|", "|"},
	}
	boxStyle = tableStyle{
		top: [4]string{"┌", "─", "┬", "┐"}, mid: [4]string{"├", "─", "┼", "┤"}, bottom: [4]string{"└", "─", "┴", "┘"},
		sep: [3]string{"│", "│", "│"},
	}
	markdownStyle = tableStyle{sep: [3]string{"|", "|", "|"}, markdown: true}
)

func styleOf(f Format) tableStyle {
	switch f {
	case Box:
		return boxStyle
	case Duckbox:
		s := boxStyle
		s.duck = true
		return s
	case Markdown:
		return markdownStyle
	}
	return asciiStyle
}

type align uint8

const (
	alignLeft align = iota
	alignRight
	alignCenter
)

// spaces pads cells without allocating.
const spaces = "                                                                "

func appendSpaces(b []byte, n int) []byte {
	for n > len(spaces) {
		b = append(b, spaces...)
		n -= len(spaces)
	}
	return append(b, spaces[:max(n, 0)]...)
}

// appendCell appends text as a cell w wide, with a space either side,
// padded as a says when it is narrower. When it is wider, cut cuts it to w
// with "…"; otherwise it is written whole, pushing the line's end out:
// output to a pipe or a file never loses a character.
func appendCell(b, text []byte, w int, a align, cut bool) []byte {
	tw := len(text)
	if !textcell.ASCII(text) {
		// The text is only read while it is measured: no copy is needed.
		if tw = textcell.Width(unsafe.String(unsafe.SliceData(text), len(text))); tw > w && cut {
			s := textcell.Truncate(string(text), w)
			text, tw = []byte(s), textcell.Width(s)
		}
	} else if tw > w && cut {
		b = append(b, ' ')
		b = append(b, text[:max(w-1, 0)]...)
		return append(b, textcell.Ellipsis+" "...)
	}
	pad := max(w-tw, 0)
	b = append(b, ' ')
	switch a {
	case alignRight:
		b = appendSpaces(b, pad)
		b = append(b, text...)
	case alignCenter:
		b = appendSpaces(b, pad/2)
		b = append(b, text...)
		b = appendSpaces(b, pad-pad/2)
	default:
		b = append(b, text...)
		b = appendSpaces(b, pad)
	}
	return append(b, ' ')
}

// cut reports whether column i's values are cut to its width: on a
// terminal (MaxWidth), or when .width set it.
func (t *tableWriter) cut(i int) bool {
	return t.opts.MaxWidth > 0 || (i < len(t.opts.Widths) && t.opts.Widths[i] != 0)
}

func (t *tableWriter) alignOf(i int) align {
	if t.right[i] {
		return alignRight
	}
	return alignLeft
}

// valueLine writes one row of values: the fast path, which allocates
// nothing for plain text and numbers.
func (t *tableWriter) valueLine(vals []any) {
	b := append(t.buf[:0], t.style.sep[0]...)
	for k, s := range t.lay.slots {
		if k > 0 {
			b = append(b, t.style.sep[1]...)
		}
		if s == ellipsisSlot {
			b = append(b, " "+textcell.Ellipsis+" "...)
			continue
		}
		t.text = humanText(t.text[:0], vals[s], t.cols[s], t.kinds[s], t.null, t.style.markdown)
		b = appendCell(b, t.text, t.lay.widths[s], t.alignOf(s), t.cut(s))
	}
	b = append(b, t.style.sep[2]...)
	t.buf = append(b, '\n')
	t.w.Write(t.buf)
}

// cellLine writes one row already rendered as text.
func (t *tableWriter) cellLine(cells []string) {
	if t.opts.Wrap && !t.style.markdown {
		t.wrappedLine(cells)
		return
	}
	t.textLine(cells, t.alignOf)
}

func (t *tableWriter) textLine(cells []string, a func(int) align) {
	b := append(t.buf[:0], t.style.sep[0]...)
	for k, s := range t.lay.slots {
		if k > 0 {
			b = append(b, t.style.sep[1]...)
		}
		if s == ellipsisSlot {
			b = append(b, " "+textcell.Ellipsis+" "...)
			continue
		}
		t.text = append(t.text[:0], cells[s]...)
		b = appendCell(b, t.text, t.lay.widths[s], a(s), t.cut(s))
	}
	b = append(b, t.style.sep[2]...)
	t.buf = append(b, '\n')
	t.w.Write(t.buf)
}

// dots is the row of "·" that stands for the rows a duckbox table leaves
// out, three lines high as in DuckDB.
func (t *tableWriter) dots() {
	cells := make([]string, len(t.cols))
	for i := range cells {
		cells[i] = "·"
	}
	for range 3 {
		t.textLine(cells, t.alignOf)
	}
}

func (t *tableWriter) rule(p [4]string) {
	t.w.WriteString(p[0])
	for k, s := range t.lay.slots {
		if k > 0 {
			t.w.WriteString(p[2])
		}
		w := 1
		if s != ellipsisSlot {
			w = t.lay.widths[s]
		}
		t.w.WriteString(strings.Repeat(p[1], w+2))
	}
	t.w.WriteString(p[3])
	t.w.WriteByte('\n')
}

func (t *tableWriter) markdownRule() {
	t.w.WriteString("|")
	for _, s := range t.lay.slots {
		if s == ellipsisSlot {
			t.w.WriteString(" - |")
			continue
		}
		dashes := strings.Repeat("-", t.lay.widths[s])
		if t.right[s] {
			dashes = dashes[1:] + ":"
		}
		t.w.WriteString(" " + dashes + " |")
	}
	t.w.WriteByte('\n')
}

// wrappedLine writes one row over as many lines as its tallest wrapped cell.
func (t *tableWriter) wrappedLine(cells []string) {
	parts := make([][]string, len(cells))
	height := 1
	for _, s := range t.lay.slots {
		if s != ellipsisSlot {
			parts[s] = wrap(cells[s], t.lay.widths[s])
			height = max(height, len(parts[s]))
		}
	}
	line := make([]string, len(cells))
	for l := 0; l < height; l++ {
		for i := range line {
			line[i] = ""
			if l < len(parts[i]) {
				line[i] = parts[i][l]
			}
		}
		t.textLine(line, t.alignOf)
	}
}

// wrap breaks s into lines of at most w cells, at spaces where it can.
func wrap(s string, w int) []string {
	if textcell.Width(s) <= w || w < 1 {
		return []string{s}
	}
	var lines []string
	for textcell.Width(s) > w {
		cut := len(textcell.Prefix(s, w))
		if cut == 0 { // a character wider than the column
			cut = len(string([]rune(s)[:1]))
		}
		if sp := strings.LastIndexByte(s[:cut], ' '); sp > 0 && cut < len(s) && s[cut] != ' ' {
			lines = append(lines, s[:sp])
			s = s[sp+1:]
		} else {
			lines = append(lines, strings.TrimRight(s[:cut], " "))
			s = strings.TrimLeft(s[cut:], " ")
		}
	}
	if s != "" {
		lines = append(lines, s)
	}
	return lines
}

// tailRing keeps the last n rows of a duckbox result past MaxRows.
type tailRing struct {
	slots [][]any
	seen  int
}

func newTailRing(n, cols int) tailRing {
	r := tailRing{slots: make([][]any, n)}
	for i := range r.slots {
		r.slots[i] = make([]any, cols)
	}
	return r
}

func (r *tailRing) size() int { return len(r.slots) }

func (r *tailRing) keep(vals []any) {
	copy(r.slots[r.seen%len(r.slots)], vals)
	r.seen++
}

// rows renders the kept rows, oldest first.
func (r *tailRing) rows(t *tableWriter) [][]string {
	n := min(r.seen, len(r.slots))
	out := make([][]string, 0, n)
	for k := r.seen - n; k < r.seen; k++ {
		out = append(out, t.cells(r.slots[k%len(r.slots)]))
	}
	return out
}
