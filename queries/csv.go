package queries

import (
	"bufio"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// csvWriter writes RFC 4180 CSV as encoding/csv would (quoting only fields
// that need it, \n line ends), appending straight into the buffered writer
// so that a row costs no allocations beyond the values themselves.
type csvWriter struct {
	w       *bufio.Writer
	cols    []Column
	opts    Options
	started bool
	line    []byte
}

func (c *csvWriter) header() {
	c.started = true
	if c.opts.NoHeaders {
		return
	}
	c.line = c.line[:0]
	for i, col := range c.cols {
		if i > 0 {
			c.line = append(c.line, ',')
		}
		c.line = appendCSVField(c.line, c.cell(col.Name))
	}
	c.line = append(c.line, '\n')
	c.w.Write(c.line)
}

func (c *csvWriter) row(vals []any) error {
	if !c.started {
		c.header()
	}
	b := c.line[:0]
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		switch x := v.(type) {
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case int32:
			b = strconv.AppendInt(b, int64(x), 10)
		case bool:
			b = strconv.AppendBool(b, x)
		case float64:
			b = strconv.AppendFloat(b, x, 'f', -1, 64)
		case time.Time:
			if x.Year() >= 0 { // only a year before 0 starts with '-'
				b = appendTime(b, x, c.cols[i].Type)
			} else {
				b = appendCSVField(b, c.cell(Text(v, c.cols[i].Type, c.opts.NullValue)))
			}
		case string:
			b = appendCSVField(b, c.cell(x))
		default:
			b = appendCSVField(b, c.cell(Text(v, c.cols[i].Type, c.opts.NullValue)))
		}
	}
	b = append(b, '\n')
	c.line = b
	_, err := c.w.Write(b)
	return err
}

// cell applies the formula policy to a text cell.
func (c *csvWriter) cell(s string) string {
	if c.opts.RawCSV {
		return s
	}
	return NeutraliseFormula(s)
}

func (c *csvWriter) flush() error { return c.w.Flush() }

func (c *csvWriter) eager() bool { return true }

func (c *csvWriter) end(Stats) error {
	if !c.started {
		c.header()
	}
	return nil
}

// appendCSVField appends s, quoted when it holds a comma, a quote or a line
// break, or starts with a space (the rules of encoding/csv).
func appendCSVField(b []byte, s string) []byte {
	if !csvNeedsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}

func csvNeedsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// NeutraliseFormula prefixes a cell that a spreadsheet would evaluate as a
// formula (starting with =, +, -, @, tab or carriage return) with a single
// quote, as OWASP recommends for CSV exports. Plain negative numbers are
// left alone.
func NeutraliseFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '@', '\t', '\r':
		return "'" + s
	case '-':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
		return "'" + s
	}
	return s
}
