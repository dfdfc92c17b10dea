package queries

import (
	"bufio"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"slackaudit/queries/safetext"
)

// tableWriter renders table, box and markdown output. It reads up to
// SampleRows rows to size the columns, then streams the rest with those
// widths, truncating longer values with an ellipsis.
type tableWriter struct {
	w      *bufio.Writer
	cols   []Column
	opts   Options
	null   string
	sample [][]string
	widths []int
	right  []bool
	fixed  bool
	style  tableStyle
}

type tableStyle struct {
	top, mid, bottom [4]string // left, fill, join, right
	sep              [3]string // left, join, right for rows
	markdown         bool
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

func newTableWriter(w *bufio.Writer, cols []Column, opts Options) *tableWriter {
	t := &tableWriter{w: w, cols: cols, opts: opts, null: opts.NullValue}
	switch opts.Format {
	case Box:
		t.style = boxStyle
	case Markdown:
		t.style = markdownStyle
	default:
		t.style = asciiStyle
	}
	if t.null == "" && !t.style.markdown {
		t.null = "NULL"
	}
	if t.opts.SampleRows <= 0 {
		t.opts.SampleRows = 1000
	}
	t.right = make([]bool, len(cols))
	for i, c := range cols {
		t.right[i] = isNumeric(c.Type)
	}
	return t
}

func isNumeric(typ string) bool {
	switch strings.ToUpper(typ) {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
		"UHUGEINT", "FLOAT", "DOUBLE", "REAL", "DECIMAL":
		return true
	}
	return strings.HasPrefix(strings.ToUpper(typ), "DECIMAL")
}

func (t *tableWriter) cells(vals []any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = t.safe(Text(v, t.cols[i].Type, t.null))
	}
	return out
}

// safe escapes what could break a row's layout: control characters and
// bidirectional marks (safetext.Escape), and in Markdown the cell
// separator. csv and json never escape: they keep values exact.
func (t *tableWriter) safe(s string) string {
	s = safetext.Escape(s)
	if t.style.markdown {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	return s
}

func (t *tableWriter) flush() error {
	if !t.fixed && len(t.sample) > 0 {
		t.fix()
	}
	return t.w.Flush()
}

func (t *tableWriter) eager() bool { return false }

func (t *tableWriter) row(vals []any) error {
	cells := t.cells(vals)
	if !t.fixed {
		t.sample = append(t.sample, cells)
		if len(t.sample) >= t.opts.SampleRows {
			t.fix()
		}
		return nil
	}
	t.line(cells)
	return nil
}

// fix sizes the columns from the header and sampled rows, fits them to
// MaxWidth, and writes the header and the sample.
func (t *tableWriter) fix() {
	t.fixed = true
	t.widths = make([]int, len(t.cols))
	for i, c := range t.cols {
		if !t.opts.NoHeaders {
			t.widths[i] = width(t.safe(c.Name))
		}
		t.widths[i] = max(t.widths[i], 1)
	}
	for _, r := range t.sample {
		for i, s := range r {
			t.widths[i] = max(t.widths[i], width(s))
		}
	}
	t.fit()
	if !t.style.markdown {
		t.rule(t.style.top)
	}
	if !t.opts.NoHeaders {
		names := make([]string, len(t.cols))
		for i, c := range t.cols {
			names[i] = t.safe(c.Name)
		}
		right := t.right
		t.right = make([]bool, len(right))
		t.line(names)
		t.right = right
		if t.style.markdown {
			t.markdownRule()
		} else {
			t.rule(t.style.mid)
		}
	}
	for _, r := range t.sample {
		t.line(r)
	}
	t.sample = nil
}

// fit narrows the widest columns until a line fits MaxWidth.
func (t *tableWriter) fit() {
	if t.opts.MaxWidth <= 0 {
		return
	}
	total := func() int {
		n := 1
		for _, w := range t.widths {
			n += w + 3
		}
		return n
	}
	for total() > t.opts.MaxWidth {
		widest := 0
		for i, w := range t.widths {
			if w > t.widths[widest] {
				widest = i
			}
		}
		if t.widths[widest] <= 4 {
			return
		}
		t.widths[widest]--
	}
}

func (t *tableWriter) rule(p [4]string) {
	t.w.WriteString(p[0])
	for i, w := range t.widths {
		if i > 0 {
			t.w.WriteString(p[2])
		}
		t.w.WriteString(strings.Repeat(p[1], w+2))
	}
	t.w.WriteString(p[3])
	t.w.WriteByte('\n')
}

func (t *tableWriter) markdownRule() {
	t.w.WriteString("|")
	for i, w := range t.widths {
		dashes := strings.Repeat("-", max(w, 3))
		if t.right[i] {
			dashes = dashes[1:] + ":"
		}
		t.w.WriteString(" " + dashes + " |")
	}
	t.w.WriteByte('\n')
}

func (t *tableWriter) line(cells []string) {
	if t.opts.Wrap && !t.style.markdown {
		t.wrappedLine(cells)
		return
	}
	t.w.WriteString(t.style.sep[0])
	for i, s := range cells {
		if i > 0 {
			t.w.WriteString(t.style.sep[1])
		}
		w := t.widths[i]
		if t.style.markdown {
			w = max(w, 3)
		}
		t.cell(truncate(s, w), w, t.right[i])
	}
	t.w.WriteString(t.style.sep[2])
	t.w.WriteByte('\n')
}

func (t *tableWriter) cell(s string, w int, right bool) {
	pad := strings.Repeat(" ", max(w-width(s), 0))
	t.w.WriteByte(' ')
	if right {
		t.w.WriteString(pad + s)
	} else {
		t.w.WriteString(s + pad)
	}
	t.w.WriteByte(' ')
}

// wrappedLine writes one row over as many lines as its tallest wrapped cell.
func (t *tableWriter) wrappedLine(cells []string) {
	parts := make([][]string, len(cells))
	height := 1
	for i, s := range cells {
		parts[i] = wrap(s, t.widths[i])
		height = max(height, len(parts[i]))
	}
	for l := 0; l < height; l++ {
		t.w.WriteString(t.style.sep[0])
		for i := range cells {
			if i > 0 {
				t.w.WriteString(t.style.sep[1])
			}
			s := ""
			if l < len(parts[i]) {
				s = parts[i][l]
			}
			t.cell(s, t.widths[i], t.right[i])
		}
		t.w.WriteString(t.style.sep[2])
		t.w.WriteByte('\n')
	}
}

// wrap breaks s into lines of at most w cells, at spaces where it can.
func wrap(s string, w int) []string {
	if width(s) <= w || w < 1 {
		return []string{s}
	}
	var lines []string
	for width(s) > w {
		cut, n, lastSpace := 0, 0, -1
		for i, r := range s {
			rw := runeWidth(r)
			if n+rw > w {
				break
			}
			n += rw
			cut = i + utf8.RuneLen(r)
			if r == ' ' {
				lastSpace = i
			}
		}
		if cut == 0 { // a rune wider than the column
			_, size := utf8.DecodeRuneInString(s)
			cut = size
		}
		if lastSpace > 0 && cut < len(s) && s[cut] != ' ' {
			lines = append(lines, s[:lastSpace])
			s = s[lastSpace+1:]
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

func (t *tableWriter) end(st Stats) error {
	if !t.fixed {
		t.fix()
	}
	if !t.style.markdown {
		t.rule(t.style.bottom)
		if !t.opts.NoFooter {
			fmt.Fprintf(t.w, "(%s %s)\n", Thousands(st.Rows), plural(st.Rows, "row", "rows"))
		}
	}
	if st.Hidden > 0 {
		fmt.Fprintln(t.w, HiddenNote(st, t.opts))
	}
	return nil
}

// width is the number of terminal cells s takes: wide East Asian characters
// take two.
func width(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r < 0x1100:
		return 1
	case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hangul, r), unicode.Is(unicode.Hiragana, r),
		unicode.Is(unicode.Katakana, r), r >= 0xFF00 && r <= 0xFF60, r >= 0x1F300 && r <= 0x1FAFF:
		return 2
	case unicode.Is(unicode.Mn, r):
		return 0
	}
	return 1
}

// truncate shortens s to at most w cells, ending in an ellipsis when cut.
func truncate(s string, w int) string {
	if width(s) <= w {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		rw := runeWidth(r)
		if n+rw > w-1 {
			break
		}
		b.WriteRune(r)
		n += rw
	}
	b.WriteString("…")
	return b.String()
}
