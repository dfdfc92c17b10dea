package queries

import (
	"bufio"
	"fmt"

	"slackaudit/queries/textcell"
)

// tableWriter renders duckbox, table, box and markdown output. It reads up
// to SampleRows rows to size the columns, fits them to MaxWidth (see
// fitLayout), then streams the rest with those widths, cutting longer
// values with an ellipsis. In duckbox mode, a result longer than MaxRows
// shows its first and last rows with a row of dots between, as DuckDB does.
type tableWriter struct {
	w      *bufio.Writer
	cols   []Column
	opts   Options
	null   string
	style  tableStyle
	kinds  []numKind
	right  []bool
	sample [][]string
	lay    layout
	fixed  bool
	text   []byte // one cell's text
	buf    []byte // one line
	tail   tailRing
}

func newTableWriter(w *bufio.Writer, cols []Column, opts Options) *tableWriter {
	t := &tableWriter{w: w, cols: cols, opts: opts, null: opts.NullValue, style: styleOf(opts.Format)}
	if t.null == "" && !t.style.markdown {
		t.null = "NULL"
	}
	if t.opts.SampleRows <= 0 {
		t.opts.SampleRows = 1000
	}
	t.kinds = make([]numKind, len(cols))
	t.right = make([]bool, len(cols))
	for i, c := range cols {
		t.kinds[i] = numKindOf(c.Type)
		t.right[i] = t.kinds[i] == number
		if i < len(opts.Widths) && opts.Widths[i] < 0 {
			t.right[i] = true
		}
	}
	if t.style.duck && opts.MaxRows > 1 {
		t.tail = newTailRing(opts.MaxRows/2, len(cols))
	}
	return t
}

// cells renders a row's values as human text.
func (t *tableWriter) cells(vals []any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		t.text = humanText(t.text[:0], v, t.cols[i], t.kinds[i], t.null, t.style.markdown)
		out[i] = string(t.text)
	}
	return out
}

func (t *tableWriter) flush() error {
	// A duckbox cut by MaxRows waits for its last rows, which size the
	// columns too.
	if !t.fixed && len(t.sample) > 0 && t.tail.size() == 0 {
		t.fix(nil)
	}
	return t.w.Flush()
}

func (t *tableWriter) eager() bool { return false }

func (t *tableWriter) row(vals []any) error {
	if !t.fixed {
		t.sample = append(t.sample, t.cells(vals))
		if len(t.sample) >= t.opts.SampleRows {
			t.fix(nil)
		}
		return nil
	}
	if t.opts.Wrap && !t.style.markdown {
		t.wrappedLine(t.cells(vals))
		return nil
	}
	t.valueLine(vals)
	return nil
}

// tailRows is how many of the last rows past MaxRows the writer keeps, to
// show under a row of dots (duckbox); pump passes them to keep.
func (t *tableWriter) tailRows() int { return t.tail.size() }

func (t *tableWriter) keep(vals []any) { t.tail.keep(vals) }

// fix sizes the columns from the header, the sampled rows and extra (rows
// still to come), lays them out to fit MaxWidth, and writes the header and
// the sample.
func (t *tableWriter) fix(extra [][]string) {
	t.lay = t.layout(extra)
	t.writeHead()
}

// writeHead writes the header and the sampled rows, with the layout set.
func (t *tableWriter) writeHead() {
	t.fixed = true
	t.header()
	for _, r := range t.sample {
		t.cellLine(r)
	}
	t.sample = nil
}

// layout fits the columns to MaxWidth. Duckbox's type names count in the
// widths only while everything fits: when values must be cut, a type name
// as long as "timestamp with time zone" is cut rather than a value.
func (t *tableWriter) layout(extra [][]string) layout {
	widths := t.naturalWidths(extra, t.style.duck)
	if !t.style.duck || t.opts.MaxWidth <= 0 || lineWidth(widths, allSlots(len(widths))) <= t.opts.MaxWidth {
		return fitLayout(widths, t.opts.MaxWidth)
	}
	l := fitLayout(t.naturalWidths(extra, false), t.opts.MaxWidth)
	for _, s := range l.slots { // type names, where the line has room
		if s != ellipsisSlot && widths[s] > l.widths[s] {
			grow := min(widths[s]-l.widths[s], t.opts.MaxWidth-lineWidth(l.widths, l.slots))
			l.widths[s] += max(grow, 0)
		}
	}
	return l
}

func allSlots(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// naturalWidths are the widths the columns would take with nothing cut, or
// as .width set them; types counts duckbox's type names.
func (t *tableWriter) naturalWidths(extra [][]string, types bool) []int {
	widths := make([]int, len(t.cols))
	for i, c := range t.cols {
		if !t.opts.NoHeaders {
			widths[i] = textcell.Width(t.name(i))
			if types {
				widths[i] = max(widths[i], textcell.Width(duckType(c.Type)))
			}
		}
		widths[i] = max(widths[i], 1)
		if t.style.markdown {
			widths[i] = max(widths[i], 3)
		}
	}
	for _, rows := range [][][]string{t.sample, extra} {
		for _, r := range rows {
			for i, s := range r {
				widths[i] = max(widths[i], textcell.Width(s))
			}
		}
	}
	for i, w := range t.opts.Widths {
		if i < len(widths) && w != 0 {
			widths[i] = max(abs(w), 1)
		}
	}
	return widths
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// name is column i's header text, escaped.
func (t *tableWriter) name(i int) string {
	return string(appendSafe(nil, t.cols[i].Name, t.style.markdown))
}

func (t *tableWriter) header() {
	if !t.style.markdown {
		t.rule(t.style.top)
	}
	if t.opts.NoHeaders {
		return
	}
	names, types := make([]string, len(t.cols)), make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i], types[i] = t.name(i), duckType(c.Type)
	}
	a := alignLeft
	if t.style.duck {
		a = alignCenter
	}
	t.textLine(names, func(int) align { return a })
	if t.style.duck {
		t.textLine(types, func(int) align { return a })
	}
	if t.style.markdown {
		t.markdownRule()
	} else {
		t.rule(t.style.mid)
	}
}

func (t *tableWriter) end(st Stats) error {
	tail := t.tail.rows(t)
	if !t.fixed {
		t.lay = t.layout(tail)
		t.widenForNote(st)
		t.writeHead()
	}
	if st.Hidden > 0 && t.style.duck {
		t.dots()
	}
	for _, r := range tail {
		t.cellLine(r)
	}
	t.footer(st)
	return nil
}

// omitted is how many columns the layout left out.
func (t *tableWriter) omitted() int {
	n := len(t.cols)
	for _, s := range t.lay.slots {
		if s != ellipsisSlot {
			n--
		}
	}
	return n
}

func (t *tableWriter) footer(st Stats) {
	switch {
	case t.style.duck:
		t.duckFooter(st)
		return
	case t.style.markdown:
		if n := t.omitted(); n > 0 && !t.opts.NoFooter {
			fmt.Fprintf(t.w, "\n(… %s more %s)\n", Thousands(int64(n)), plural(int64(n), "column", "columns"))
		}
	default:
		t.rule(t.style.bottom)
		if !t.opts.NoFooter {
			more := ""
			if n := t.omitted(); n > 0 {
				more = fmt.Sprintf("; … %s more %s", Thousands(int64(n)), plural(int64(n), "column", "columns"))
			}
			fmt.Fprintf(t.w, "(%s %s%s)\n", Thousands(st.Rows), plural(st.Rows, "row", "rows"), more)
		}
	}
	if st.Hidden > 0 {
		fmt.Fprintln(t.w, HiddenNote(st, t.opts))
	}
}

// duckNote is what the last cell of a duckbox table says about rows and
// columns left out, as DuckDB does: "100 rows (40 shown)  23 columns (5
// shown)"; "" when nothing was.
func (t *tableWriter) duckNote(st Stats) string {
	omitted := t.omitted()
	if t.opts.NoFooter || (st.Hidden == 0 && omitted == 0) {
		return ""
	}
	total := st.Rows + st.Hidden
	note := Thousands(total) + " " + plural(total, "row", "rows")
	if st.Hidden > 0 {
		note += " (" + Thousands(st.Rows) + " shown)"
	}
	if omitted > 0 {
		n := int64(len(t.cols))
		note += "  " + Thousands(n) + " columns (" + Thousands(n-int64(omitted)) + " shown)"
	}
	return note
}

// widenForNote widens the last column so the note fits in the box, when
// the line may be that wide.
func (t *tableWriter) widenForNote(st Stats) {
	note := t.duckNote(st)
	if !t.style.duck || note == "" {
		return
	}
	line := lineWidth(t.lay.widths, t.lay.slots)
	need := textcell.Width(note) - (line - 4)
	last := t.lay.slots[len(t.lay.slots)-1]
	if need > 0 && last != ellipsisSlot && (t.opts.MaxWidth <= 0 || line+need <= t.opts.MaxWidth) {
		t.lay.widths[last] += need
	}
}

// duckFooter closes a duckbox table, with the note in a last cell of the
// box; a note too wide for the box goes under it.
func (t *tableWriter) duckFooter(st Stats) {
	note := t.duckNote(st)
	if note == "" {
		t.rule(t.style.bottom)
		return
	}
	inner := lineWidth(t.lay.widths, t.lay.slots) - 4
	if textcell.Width(note) > inner {
		t.rule(t.style.bottom)
		fmt.Fprintln(t.w, note)
		return
	}
	t.rule([4]string{"├", "─", "┴", "┤"})
	fmt.Fprintf(t.w, "│ %s │\n", textcell.Pad(note, inner, false))
	t.rule([4]string{"└", "─", "─", "┘"})
}
