package queries

import (
	"bufio"
	"fmt"

	"slackaudit/queries/safetext"
	"slackaudit/queries/textcell"
)

// lineWriter writes each row as "column = value" lines, a blank line between
// rows, as the sqlite shell's .mode line does: the mode for rows too wide
// for any table.
type lineWriter struct {
	w     *bufio.Writer
	cols  []Column
	opts  Options
	names []string
	kinds []numKind
	text  []byte
	n     int
}

func (l *lineWriter) row(vals []any) error {
	if l.names == nil {
		l.names, l.kinds = make([]string, len(l.cols)), make([]numKind, len(l.cols))
		width := 0
		for i, c := range l.cols {
			l.names[i], l.kinds[i] = safetext.Escape(c.Name), numKindOf(c.Type)
			width = max(width, textcell.Width(l.names[i]))
		}
		for i, n := range l.names {
			l.names[i] = textcell.Pad(n, width, true)
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
		l.text = humanText(l.text[:0], v, l.cols[i], l.kinds[i], null, false)
		l.w.WriteString(l.names[i])
		l.w.WriteString(" = ")
		l.w.Write(l.text)
		l.w.WriteByte('\n')
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

// listWriter writes rows as values joined by "|", the column names first,
// as the sqlite shell's .mode list does. Values are exact but for control
// and bidirectional characters, which are escaped.
type listWriter struct {
	w       *bufio.Writer
	cols    []Column
	opts    Options
	started bool
	text    []byte
}

func (l *listWriter) header() {
	l.started = true
	if l.opts.NoHeaders {
		return
	}
	for i, c := range l.cols {
		if i > 0 {
			l.w.WriteByte('|')
		}
		l.w.WriteString(safetext.Escape(c.Name))
	}
	l.w.WriteByte('\n')
}

func (l *listWriter) row(vals []any) error {
	if !l.started {
		l.header()
	}
	for i, v := range vals {
		if i > 0 {
			l.w.WriteByte('|')
		}
		l.text = humanText(l.text[:0], v, l.cols[i], notNumber, l.opts.NullValue, false)
		l.w.Write(l.text)
	}
	return l.w.WriteByte('\n')
}

func (l *listWriter) flush() error { return l.w.Flush() }

func (l *listWriter) eager() bool { return true }

func (l *listWriter) end(Stats) error {
	if !l.started {
		l.header()
	}
	return nil
}
