package queries

import (
	"bufio"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"slackaudit/warehouse"
)

// Format is an output format for query results.
type Format string

// The output formats. Table-like formats (table, box, markdown) may truncate
// wide values to fit a width; csv, json and jsonl never do.
const (
	Table    Format = "table"
	Box      Format = "box"
	CSV      Format = "csv"
	JSON     Format = "json"
	JSONL    Format = "jsonl"
	Markdown Format = "markdown"
	Line     Format = "line"
)

// Formats lists every format, for help texts and validation.
var Formats = []Format{Table, Box, CSV, JSON, JSONL, Markdown, Line}

// ParseFormat validates a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown format %q: use one of %s", s, strings.Join(names, ", "))
}

// Options shape how results are written.
type Options struct {
	Format    Format
	NoHeaders bool   // omit the header line (table, box, csv, markdown)
	NullValue string // how NULL is shown in text formats; empty means "" (csv) or "NULL" (tables)
	MaxRows   int    // stop after this many rows and say how many were hidden; 0 = all
	MaxWidth  int    // total line width for table, box and markdown; 0 = no limit
	// SampleRows is how many rows table formats read before fixing column
	// widths; later rows stream through with those widths. Default 1000.
	SampleRows int
	// SafeCSV neutralises cells that a spreadsheet would run as a formula.
	SafeCSV bool
}

// Stats reports what Write wrote.
type Stats struct {
	Rows   int64 // rows written
	Hidden int64 // rows read past MaxRows and not written
}

// Column describes one result column.
type Column struct {
	Name string
	Type string // DuckDB type name
}

// Write streams rows to w in opts.Format, never holding more than
// SampleRows rows. It closes rows.
func Write(w io.Writer, rows *sql.Rows, opts Options) (Stats, error) {
	defer rows.Close()
	cols, err := columns(rows)
	if err != nil {
		return Stats{}, err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	out := newWriter(bw, cols, opts)
	st, err := pump(rows, cols, out, opts)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return st, err
}

func columns(rows *sql.Rows) ([]Column, error) {
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	cols := make([]Column, len(types))
	for i, t := range types {
		cols[i] = Column{Name: t.Name(), Type: t.DatabaseTypeName()}
	}
	return cols, nil
}

// rowWriter receives rows one at a time.
type rowWriter interface {
	row(vals []any) error
	end(st Stats) error
}

func newWriter(w *bufio.Writer, cols []Column, opts Options) rowWriter {
	switch opts.Format {
	case CSV:
		return &csvWriter{w: csv.NewWriter(w), cols: cols, opts: opts}
	case JSON, JSONL:
		return &jsonWriter{w: w, cols: cols, lines: opts.Format == JSONL}
	case Line:
		return &lineWriter{w: w, cols: cols, opts: opts}
	default:
		return newTableWriter(w, cols, opts)
	}
}

func pump(rows *sql.Rows, cols []Column, out rowWriter, opts Options) (Stats, error) {
	var st Stats
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if opts.MaxRows > 0 && st.Rows >= int64(opts.MaxRows) {
			st.Hidden++
			continue
		}
		if err := rows.Scan(ptrs...); err != nil {
			return st, err
		}
		if err := out.row(vals); err != nil {
			return st, err
		}
		st.Rows++
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	return st, out.end(st)
}

// Text renders a value as text: the representation every text format shares.
func Text(v any, typ string, null string) string {
	switch x := v.(type) {
	case nil:
		return null
	case string:
		return x
	case []byte:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case time.Time:
		return formatTime(x, typ)
	case *big.Int:
		return x.String()
	}
	if s, ok := warehouse.ValueText(v); ok {
		return s
	}
	if x, ok := v.(fmt.Stringer); ok {
		return x.String()
	}
	if b, err := json.Marshal(v); err == nil {
		return string(b)
	}
	return fmt.Sprint(v)
}

func formatTime(t time.Time, typ string) string {
	switch typ {
	case "DATE":
		return t.Format("2006-01-02")
	case "TIME":
		return t.Format("15:04:05")
	case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE":
		return t.UTC().Format("2006-01-02 15:04:05Z")
	}
	return t.Format("2006-01-02 15:04:05")
}

// jsonValue renders a value for JSON: numbers and booleans stay typed.
func jsonValue(v any, typ string) any {
	switch x := v.(type) {
	case nil, bool, int64, int32, float64, float32, string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		if typ == "DATE" {
			return x.Format("2006-01-02")
		}
		return x.UTC().Format(time.RFC3339Nano)
	case *big.Int:
		return json.Number(x.String())
	}
	if s, ok := warehouse.ValueText(v); ok {
		return s
	}
	if x, ok := v.(fmt.Stringer); ok {
		return x.String()
	}
	return v
}

type csvWriter struct {
	w       *csv.Writer
	cols    []Column
	opts    Options
	started bool
	rec     []string
}

func (c *csvWriter) header() {
	c.started = true
	if c.opts.NoHeaders {
		return
	}
	rec := make([]string, len(c.cols))
	for i, col := range c.cols {
		rec[i] = col.Name
	}
	c.w.Write(rec)
}

func (c *csvWriter) row(vals []any) error {
	if !c.started {
		c.header()
	}
	if c.rec == nil {
		c.rec = make([]string, len(vals))
	}
	for i, v := range vals {
		s := Text(v, c.cols[i].Type, c.opts.NullValue)
		if c.opts.SafeCSV {
			s = NeutraliseFormula(s)
		}
		c.rec[i] = s
	}
	return c.w.Write(c.rec)
}

func (c *csvWriter) end(Stats) error {
	if !c.started {
		c.header()
	}
	c.w.Flush()
	return c.w.Error()
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

type jsonWriter struct {
	w     *bufio.Writer
	cols  []Column
	lines bool
	n     int
	keys  [][]byte
}

func (j *jsonWriter) row(vals []any) error {
	if j.keys == nil {
		j.keys = make([][]byte, len(j.cols))
		for i, c := range j.cols {
			k, _ := json.Marshal(c.Name)
			j.keys[i] = k
		}
	}
	switch {
	case j.lines:
	case j.n == 0:
		j.w.WriteString("[\n")
	default:
		j.w.WriteString(",\n")
	}
	j.n++
	j.w.WriteByte('{')
	for i, v := range vals {
		if i > 0 {
			j.w.WriteByte(',')
		}
		j.w.Write(j.keys[i])
		j.w.WriteByte(':')
		b, err := json.Marshal(jsonValue(v, j.cols[i].Type))
		if err != nil {
			b, _ = json.Marshal(fmt.Sprint(v))
		}
		j.w.Write(b)
	}
	j.w.WriteByte('}')
	if j.lines {
		j.w.WriteByte('\n')
	}
	return nil
}

func (j *jsonWriter) end(Stats) error {
	if j.lines {
		return nil
	}
	if j.n == 0 {
		_, err := j.w.WriteString("[]\n")
		return err
	}
	_, err := j.w.WriteString("\n]\n")
	return err
}

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
			l.width = max(l.width, utf8.RuneCountInString(c.Name))
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
		fmt.Fprintf(l.w, "%*s = %s\n", l.width, l.cols[i].Name, Text(v, l.cols[i].Type, null))
	}
	return nil
}

func (l *lineWriter) end(st Stats) error {
	if st.Hidden > 0 {
		fmt.Fprintf(l.w, "\n(%d more rows not shown; .maxrows to change)\n", st.Hidden)
	}
	return nil
}
