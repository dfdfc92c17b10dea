package queries

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/queries/textcell"
)

func render(t *testing.T, cols []Column, rows [][]any, opts Options) string {
	t.Helper()
	var b bytes.Buffer
	_, err := WriteValues(&b, cols, rows, opts)
	require.NoError(t, err)
	return b.String()
}

func lines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }

// borders are the display columns at which a line has a box border.
func borders(line string) []int {
	var at []int
	col := 0
	for _, r := range line {
		if r == '│' || r == '├' || r == '┤' || r == '┼' || r == '┬' || r == '┴' || r == '|' || r == '+' {
			at = append(at, col)
		}
		col += textcell.Width(string(r))
	}
	return at
}

func TestFitsTheTerminalWidth(t *testing.T) {
	cols, rows := seatRows(5)
	for _, w := range []int{40, 80, 200} {
		for _, f := range []Format{Duckbox, Box, Table} {
			out := render(t, cols, rows, Options{Format: f, MaxWidth: w})
			for _, l := range lines(out) {
				assert.LessOrEqual(t, textcell.Width(l), w, "%s at %d: %q", f, w, l)
			}
			head := lines(out)[1]
			assert.Contains(t, head, "org_id", "%s at %d keeps the first column", f, w)
			assert.Contains(t, head, "workspaces", "%s at %d keeps the last column", f, w)
		}
	}
	narrow := render(t, cols, rows, Options{Format: Duckbox, MaxWidth: 40})
	assert.Contains(t, narrow, "│ … │")
	assert.Contains(t, narrow, "│ 5 rows  14 columns (3 shown)")
	table := render(t, cols, rows, Options{Format: Table, MaxWidth: 80})
	assert.Contains(t, table, "(5 rows; … 9 more columns)")
	wide := render(t, cols, rows, Options{Format: Duckbox, MaxWidth: 200})
	assert.Contains(t, wide, "│ user0@example.com │", "columns are left out before values are cut below 16 cells")
	assert.Contains(t, wide, "│ 5 rows  14 columns (12 shown) ")
	assert.Contains(t, wide, "│ varchar │", "type names show where there is room")
	six := make([][]any, len(rows))
	for i, r := range rows {
		six[i] = r[:6]
	}
	cut := render(t, cols[:6], six, Options{Format: Duckbox, MaxWidth: 92})
	assert.NotContains(t, cut, "│ … │", "at 92 the first six columns fit, narrowed")
	assert.Contains(t, cut, "multi_channel_g…", "a long value is cut with an ellipsis")
}

func TestPipeIsNeverCut(t *testing.T) {
	cols, rows := seatRows(3)
	rows[2][2] = "a-much-longer-address-than-the-sampled-ones@example.com"
	for _, f := range []Format{Duckbox, Table, Box, Markdown} {
		out := render(t, cols, rows, Options{Format: f, SampleRows: 2})
		assert.Contains(t, out, rows[2][2], "%s: a value wider than the sample is written whole", f)
		for _, c := range cols {
			assert.Contains(t, out, c.Name, "%s: every column", f)
		}
		assert.NotContains(t, out, "…", f)
	}
}

func TestWideCharactersAlign(t *testing.T) {
	cols := []Column{{"name", "VARCHAR"}, {"seats", "BIGINT"}, {"note", "VARCHAR"}}
	rows := [][]any{{"李小龙", int64(1200), "功夫"}, {"Ada", int64(3), "🙂 ok"}, {"김연아", int64(41542), "Zoë"}}
	for _, f := range []Format{Duckbox, Box, Table} {
		for _, w := range []int{0, 22} {
			out := render(t, cols, rows, Options{Format: f, MaxWidth: w})
			ls := lines(out)
			want := borders(ls[1])
			for _, l := range ls[1 : len(ls)-2] {
				if strings.HasPrefix(l, "(") {
					continue
				}
				assert.Equal(t, want, borders(l), "%s at %d: %q", f, w, l)
			}
		}
	}
	out := render(t, cols, rows, Options{Format: Box})
	assert.Contains(t, out, "│ 李小龙 │  1,200 │ 功夫  │")
	assert.Contains(t, out, "│ 김연아 │ 41,542 │ Zoë   │")
}

func TestNumbersGroupAndAlignRight(t *testing.T) {
	cols := []Column{{"n", "BIGINT"}, {"x", "DOUBLE"}, {"id", "VARCHAR"}}
	rows := [][]any{{int64(41542), 1234567.25, "9000000"}, {int64(-1234567), -5.5, "x"}, {int64(7), nil, "y"}}
	out := render(t, cols, rows, Options{Format: Table})
	assert.Equal(t, "+------------+--------------+---------+\n"+
		"| n          | x            | id      |\n"+
		"+------------+--------------+---------+\n"+
		"|     41,542 | 1,234,567.25 | 9000000 |\n"+
		"| -1,234,567 |         -5.5 | x       |\n"+
		"|          7 |         NULL | y       |\n"+
		"+------------+--------------+---------+\n"+
		"(3 rows)\n", out)
	assert.Contains(t, render(t, cols, rows, Options{Format: Line}), "n = 41,542")
	assert.Contains(t, render(t, cols, rows, Options{Format: CSV}), "41542,1234567.25,9000000", "csv keeps numbers exact")
	assert.Contains(t, render(t, cols, rows, Options{Format: List}), "41542|1234567.25|9000000", "list keeps numbers exact")
	assert.Equal(t, "1,234,567.5", string(appendGroupedNumber(nil, []byte("1234567.5"), number)))
	assert.Equal(t, "NaN", string(appendGroupedNumber(nil, []byte("NaN"), number)))
	assert.Equal(t, "1e+21", string(appendGroupedNumber(nil, []byte("1e+21"), number)))
}

func TestDuckboxShowsFirstAndLastRows(t *testing.T) {
	cols := []Column{{"i", "BIGINT"}, {"s", "VARCHAR"}}
	var rows [][]any
	for i := range 50 {
		rows = append(rows, []any{int64(i * 1000), fmt.Sprint("row ", i)})
	}
	var b bytes.Buffer
	st, err := WriteValues(&b, cols, rows, Options{Format: Duckbox, MaxRows: 6})
	require.NoError(t, err)
	assert.Equal(t, Stats{Rows: 6, Hidden: 44}, st)
	assert.Equal(t, "┌────────┬──────────┐\n"+
		"│   i    │    s     │\n"+
		"│ int64  │ varchar  │\n"+
		"├────────┼──────────┤\n"+
		"│      0 │ row 0    │\n"+
		"│  1,000 │ row 1    │\n"+
		"│  2,000 │ row 2    │\n"+
		"│      · │ ·        │\n"+
		"│      · │ ·        │\n"+
		"│      · │ ·        │\n"+
		"│ 47,000 │ row 47   │\n"+
		"│ 48,000 │ row 48   │\n"+
		"│ 49,000 │ row 49   │\n"+
		"├────────┴──────────┤\n"+
		"│ 50 rows (6 shown) │\n"+
		"└───────────────────┘\n", b.String(), "the last column widens for the note")
	b.Reset()
	_, err = WriteValues(&b, cols, rows, Options{Format: Duckbox, MaxRows: 6, MaxWidth: 18})
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(b.String(), "└────────┴───────┘\n50 rows (6 shown)\n"), "a note the terminal has no room for goes under the box:\n%s", b.String())
	st, err = WriteValues(&b, cols, rows[:5], Options{Format: Duckbox, MaxRows: 6})
	require.NoError(t, err)
	assert.Equal(t, Stats{Rows: 5}, st, "rows that fit are all shown, none twice")
}

func TestLayoutKeepsBothEnds(t *testing.T) {
	natural := []int{6, 9, 22, 15, 20, 10, 24, 19, 16, 14, 12, 12, 8, 10}
	l := fitLayout(natural, 80)
	assert.Equal(t, 0, l.slots[0])
	assert.Equal(t, 13, l.slots[len(l.slots)-1])
	assert.Contains(t, l.slots, ellipsisSlot)
	assert.LessOrEqual(t, lineWidth(l.widths, l.slots), 80)
	assert.Equal(t, natural, fitLayout(natural, 0).widths, "no limit, nothing narrowed")
	tiny := fitLayout([]int{30, 30, 30}, 20)
	assert.Equal(t, []int{0, ellipsisSlot, 2}, tiny.slots)
	assert.LessOrEqual(t, lineWidth(tiny.widths, tiny.slots), 20, "the ends narrow when even they do not fit")
}

func TestHumanFormatsEscape(t *testing.T) {
	evil := "Mallory\x1b[2J\u202eevil\nrow|x"
	cols := []Column{{"name\u2066", "VARCHAR"}}
	for _, f := range []Format{Duckbox, Table, Box, Markdown, Line, List} {
		out := render(t, cols, [][]any{{evil}}, Options{Format: f})
		assert.NotContains(t, out, "\x1b", f)
		assert.NotContains(t, out, "\u202e", f)
		assert.NotContains(t, out, "\u2066", f)
		assert.Contains(t, out, `Mallory\x1b[2J\u202eevil\nrow`, f)
	}
	assert.Contains(t, render(t, cols, [][]any{{evil}}, Options{Format: Markdown}), `row\|x`)
}

func TestWidthsAndListMode(t *testing.T) {
	cols := []Column{{"a", "VARCHAR"}, {"b", "VARCHAR"}}
	out := render(t, cols, [][]any{{"abcdefgh", "xy"}}, Options{Format: Table, Widths: []int{4, -5}})
	assert.Equal(t, "+------+-------+\n| a    | b     |\n+------+-------+\n| abc… |    xy |\n+------+-------+\n(1 row)\n", out)
	assert.Equal(t, "a|b\nx|\n", render(t, cols, [][]any{{"x", nil}}, Options{Format: List}))
}
