package queries

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCSVMatchesEncodingCSV(t *testing.T) {
	vals := []string{"", "plain", "a,b", `say "hi"`, "two\nlines", "cr\rhere", " leading", "\tTab", `\.`, "trailing ", "é, ü", "\u00a0nbsp"}
	var rows [][]any
	for _, v := range vals {
		rows = append(rows, []any{v, int64(-3), true, 1.5, nil})
	}
	cols := []Column{{"s", "VARCHAR"}, {"n", "BIGINT"}, {"b", "BOOLEAN"}, {"f", "DOUBLE"}, {"z", "VARCHAR"}}
	var got bytes.Buffer
	_, err := WriteValues(&got, cols, rows, Options{Format: CSV, RawCSV: true})
	require.NoError(t, err)

	var want bytes.Buffer
	w := csv.NewWriter(&want)
	w.Write([]string{"s", "n", "b", "f", "z"})
	for _, v := range vals {
		w.Write([]string{v, "-3", "true", "1.5", ""})
	}
	w.Flush()
	assert.Equal(t, want.String(), got.String())
}

func TestDateAndTimestampText(t *testing.T) {
	d := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	ts := time.Date(2026, 3, 9, 14, 5, 6, 0, time.FixedZone("x", 3600))
	var got bytes.Buffer
	_, err := WriteValues(&got, []Column{{"d", "DATE"}, {"t", "TIMESTAMP WITH TIME ZONE"}}, [][]any{{d, ts}}, Options{Format: CSV, NoHeaders: true})
	require.NoError(t, err)
	assert.Equal(t, "2026-03-09,2026-03-09 13:05:06Z\n", got.String())
	assert.Equal(t, "2026-03-09", Text(d, "DATE", ""))
}

func TestWrapAndHiddenNote(t *testing.T) {
	var got bytes.Buffer
	rows := [][]any{{"a", "one two three four five six"}, {"b", "short"}}
	_, err := WriteValues(&got, []Column{{"k", "VARCHAR"}, {"v", "VARCHAR"}}, rows, Options{Format: Table, Wrap: true, MaxWidth: 20, MaxRows: 1, LimitHint: "; .maxrows 0 shows all"})
	require.NoError(t, err)
	assert.Equal(t, "+---+--------------+\n"+
		"| k | v            |\n"+
		"+---+--------------+\n"+
		"| a | one two      |\n"+
		"|   | three four   |\n"+
		"|   | five six     |\n"+
		"+---+--------------+\n"+
		"(1 row)\n"+
		"(1 more row not shown: the row limit is 1; .maxrows 0 shows all)\n", got.String())
	assert.Equal(t, []string{"abcd", "efgh", "ij"}, wrap("abcdefghij", 4), "long words break anywhere")
	assert.Equal(t, "9,000,000", Thousands(9_000_000))
	assert.Equal(t, "-1,000", Thousands(-1000))
	assert.Equal(t, "999", Thousands(999))
}

// writes counts the writes that reach it.
type writes struct {
	bytes.Buffer
	n int
}

func (w *writes) Write(p []byte) (int, error) { w.n++; return w.Buffer.Write(p) }

func TestFlushIntervalSendsTheFirstRowAtOnce(t *testing.T) {
	rows := [][]any{{"1"}, {"2"}, {"3"}}
	cols := []Column{{"x", "VARCHAR"}}
	var plain, eager writes
	_, err := WriteValues(&plain, cols, rows, Options{Format: CSV})
	require.NoError(t, err)
	_, err = WriteValues(&eager, cols, rows, Options{Format: CSV, FlushInterval: time.Hour})
	require.NoError(t, err)
	assert.Equal(t, 1, plain.n, "without FlushInterval one write at the end")
	assert.Equal(t, 2, eager.n, "the first row is flushed on its own, then the rest at the end")
	assert.Equal(t, plain.String(), eager.String())
	assert.True(t, strings.HasPrefix(eager.String(), "x\n1\n"))
}
