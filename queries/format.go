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

	"slackaudit/warehouse"
)

// Format is an output format for query results.
type Format string

// The output formats. The human formats (duckbox, table, box, markdown,
// line) group numbers in thousands, and the table-like ones may cut wide
// values and leave columns out to fit MaxWidth; list, csv, json and jsonl
// keep values exact and never cut.
const (
	Duckbox  Format = "duckbox"
	Table    Format = "table"
	Box      Format = "box"
	CSV      Format = "csv"
	JSON     Format = "json"
	JSONL    Format = "jsonl"
	Markdown Format = "markdown"
	Line     Format = "line"
	List     Format = "list"
)

// Formats lists every format, for help texts and validation.
var Formats = []Format{Duckbox, Table, Box, CSV, JSON, JSONL, Markdown, Line, List}

// Human reports whether f is written for people to read: numbers grouped
// in thousands, and notes about rows not shown inside the output rather
// than on stderr.
func (f Format) Human() bool {
	switch f {
	case Duckbox, Table, Box, Markdown, Line:
		return true
	}
	return false
}

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
	// MaxWidth is the widest line duckbox, table, box and markdown output
	// may draw, for a terminal that wide: wide values are cut and columns
	// left out to fit. 0 = no limit, for pipes and files, which are never
	// cut.
	MaxWidth int
	// Widths fixes the widths of the first columns in the table formats, as
	// the shell's .width sets them: 0 leaves a column's width to its values,
	// a negative width right-aligns the column.
	Widths []int
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
	case List:
		return &listWriter{w: w, cols: cols, opts: opts}
	default:
		return newTableWriter(w, cols, opts)
	}
}

// flushCheckRows is how many rows pass between looks at the clock when
// FlushInterval is set; reading the clock per row would cost more than the
// formatting of narrow rows.
const flushCheckRows = 64

// tailKeeper is a writer that shows the last rows of a result cut by
// MaxRows too (duckbox): pump passes it every row past the first MaxRows
// minus tailRows, and counts as hidden only those it could not keep.
type tailKeeper interface {
	tailRows() int
	keep(vals []any)
}

func pump(rows rowSource, cols []Column, out rowWriter, opts Options) (Stats, error) {
	var st Stats
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	head, tail := int64(opts.MaxRows), 0
	keeper, ok := out.(tailKeeper)
	if ok && opts.MaxRows > 0 {
		tail = keeper.tailRows()
		head -= int64(tail)
	}
	var last time.Time
	if opts.FlushInterval > 0 {
		last = time.Now()
	}
	for rows.Next() {
		if opts.MaxRows > 0 && st.Rows >= head {
			if err := pastLimit(rows, ptrs, vals, out, &st, tail, opts); err != nil {
				return st, err
			}
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
	kept := min(st.Hidden, int64(tail))
	st.Rows, st.Hidden = st.Rows+kept, st.Hidden-kept
	return st, out.end(st)
}

// pastLimit handles a row past MaxRows: counted, and kept when the writer
// shows the last rows.
func pastLimit(rows rowSource, ptrs, vals []any, out rowWriter, st *Stats, tail int, opts Options) error {
	if st.Hidden == 0 && opts.FlushInterval > 0 {
		// Show the rows that fit while the rest are counted.
		if err := out.flush(); err != nil {
			return err
		}
	}
	st.Hidden++
	if tail == 0 {
		return nil
	}
	if err := rows.Scan(ptrs...); err != nil {
		return err
	}
	out.(tailKeeper).keep(vals)
	return nil
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
