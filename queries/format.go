package queries

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"slackaudit/queries/safetext"
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
	NoFooter  bool   // omit the "(N rows)" line under table and box output
	NullValue string // how NULL is shown in text formats; empty means "" (csv) or "NULL" (tables)
	MaxRows   int    // stop after this many rows and say how many were hidden; 0 = all
	MaxWidth  int    // total line width for table, box and markdown; 0 = no limit
	// SampleRows is how many rows table formats read before fixing column
	// widths; later rows stream through with those widths. Default 1000.
	SampleRows int
	// RawCSV writes csv cells exactly as they are. By default a cell a
	// spreadsheet would run as a formula (see NeutraliseFormula) is
	// prefixed with a quote, in every csv slackaudit writes.
	RawCSV bool
	// Wrap breaks values wider than their column onto continuation lines in
	// table and box output instead of truncating them (for descriptions).
	Wrap bool
	// FlushInterval, when positive, makes output reach w while rows are
	// still arriving: csv, json, jsonl and line output are flushed after the
	// first row and then at most this often; table output fixes its column
	// widths early when sampling takes longer than this. Zero flushes only
	// when the 64 KiB buffer fills and at the end, which is fastest for files.
	FlushInterval time.Duration
	// LimitHint is appended to the footer that counts rows hidden by
	// MaxRows, e.g. "; .maxrows 0 shows all".
	LimitHint string
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
	return write(w, cols, sqlSource{rows}, opts)
}

// WriteStream writes a streaming warehouse result: DuckDB produces it chunk
// by chunk as it is written, so the first row goes out at once and memory
// stays bounded whatever the result's size. It closes rows.
func WriteStream(w io.Writer, rows *warehouse.Rows, opts Options) (Stats, error) {
	defer rows.Close()
	rc := rows.Columns()
	cols := make([]Column, len(rc))
	for i, c := range rc {
		cols[i] = Column{Name: c.Name, Type: c.Type}
	}
	return write(w, cols, rows, opts)
}

// WriteValues writes rows computed in Go (catalog listings, help tables) in
// the same formats as Write. Each row holds one value per column.
func WriteValues(w io.Writer, cols []Column, rows [][]any, opts Options) (Stats, error) {
	return write(w, cols, &sliceSource{rows: rows}, opts)
}

func write(w io.Writer, cols []Column, src rowSource, opts Options) (Stats, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	out := newWriter(bw, cols, opts)
	st, err := pump(src, cols, out, opts)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return st, err
}

// rowSource is where pump reads rows from: *sql.Rows or a slice.
type rowSource interface {
	Next() bool
	Scan(dst ...any) error
	Err() error
}

type sqlSource struct{ *sql.Rows }

type sliceSource struct {
	rows [][]any
	i    int
}

func (s *sliceSource) Next() bool { s.i++; return s.i <= len(s.rows) }

func (s *sliceSource) Scan(dst ...any) error {
	row := s.rows[s.i-1]
	if len(row) != len(dst) {
		return fmt.Errorf("row %d has %d values for %d columns", s.i, len(row), len(dst))
	}
	for i, v := range row {
		*(dst[i].(*any)) = v
	}
	return nil
}

func (s *sliceSource) Err() error { return nil }

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
	// flush pushes what is buffered to the underlying writer; table output
	// fixes its column widths first if it has not yet.
	flush() error
	// eager reports whether the first row is worth flushing on its own
	// (streaming formats), rather than waiting for widths to settle.
	eager() bool
	end(st Stats) error
}

func newWriter(w *bufio.Writer, cols []Column, opts Options) rowWriter {
	switch opts.Format {
	case CSV:
		return &csvWriter{w: w, cols: cols, opts: opts}
	case JSON, JSONL:
		return &jsonWriter{w: w, cols: cols, lines: opts.Format == JSONL}
	case Line:
		return &lineWriter{w: w, cols: cols, opts: opts}
	default:
		return newTableWriter(w, cols, opts)
	}
}

// flushCheckRows is how many rows pass between looks at the clock when
// FlushInterval is set; reading the clock per row would cost more than the
// formatting of narrow rows.
const flushCheckRows = 64

func pump(rows rowSource, cols []Column, out rowWriter, opts Options) (Stats, error) {
	var st Stats
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var last time.Time
	if opts.FlushInterval > 0 {
		last = time.Now()
	}
	for rows.Next() {
		if opts.MaxRows > 0 && st.Rows >= int64(opts.MaxRows) {
			if st.Hidden == 0 && opts.FlushInterval > 0 {
				// Show the rows that fit while the rest are counted.
				if err := out.flush(); err != nil {
					return st, err
				}
			}
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
		if opts.FlushInterval > 0 && (st.Rows == 1 || st.Rows%flushCheckRows == 0) {
			now := time.Now()
			if (st.Rows == 1 && out.eager()) || now.Sub(last) >= opts.FlushInterval {
				if err := out.flush(); err != nil {
					return st, err
				}
				last = now
			}
		}
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	return st, out.end(st)
}

// HiddenNote is the footer that says how many rows MaxRows held back, for
// callers that print it themselves (csv and json keep it out of the data).
func HiddenNote(st Stats, opts Options) string {
	return fmt.Sprintf("(%s more %s not shown: the row limit is %s%s)", Thousands(st.Hidden), plural(st.Hidden, "row", "rows"),
		Thousands(int64(opts.MaxRows)), opts.LimitHint)
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Thousands formats n with comma separators: 9,000,000.
func Thousands(n int64) string {
	if n < 0 {
		return "-" + Thousands(-n)
	}
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	b := make([]byte, 0, len(s)+len(s)/3)
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
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
	var buf [40]byte
	return string(appendTime(buf[:0], t, typ))
}

func appendTime(b []byte, t time.Time, typ string) []byte {
	switch typ {
	case "DATE":
		y, m, d := t.Date()
		if y < 0 || y > 9999 {
			return t.AppendFormat(b, "2006-01-02")
		}
		return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
			byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
	case "TIME":
		return t.AppendFormat(b, "15:04:05")
	case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE":
		return t.UTC().AppendFormat(b, "2006-01-02 15:04:05Z")
	}
	return t.AppendFormat(b, "2006-01-02 15:04:05")
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

func (j *jsonWriter) flush() error { return j.w.Flush() }

func (j *jsonWriter) eager() bool { return true }

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
