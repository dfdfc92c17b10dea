package queries

import (
	"bufio"
	"fmt"
	"unicode/utf8"

	"slackaudit/queries/safetext"
)

// lineWriter writes each row as "column = value" lines, a blank line between
// rows, as the sqlite shell's .mode line does.
type lineWriter struct {
	w     *bufio.Writer
	cols  []Column
	opts  Options
	width int
	n     int
}

func (l *lineWriter) row(vals []any) error {
	if l.width == 0 {
		for _, c := range l.cols {
			l.width = max(l.width, utf8.RuneCountInString(safetext.Escape(c.Name)))
		}
	}
	if l.n > 0 {
		l.w.WriteByte('\n')
	}
	l.n++
	null := l.opts.NullValue
	if null == "" {
		null = "NULL"
	}
	for i, v := range vals {
		fmt.Fprintf(l.w, "%*s = %s\n", l.width, safetext.Escape(l.cols[i].Name), safetext.Escape(Text(v, l.cols[i].Type, null)))
	}
	return nil
}

func (l *lineWriter) flush() error { return l.w.Flush() }

func (l *lineWriter) eager() bool { return true }

func (l *lineWriter) end(st Stats) error {
	if st.Hidden > 0 {
		fmt.Fprintf(l.w, "\n%s\n", HiddenNote(st, l.opts))
	}
	return nil
}
