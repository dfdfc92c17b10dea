package queries

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crafted is a name built to fake a row: a right-to-left override, a line
// break and table borders.
const crafted = "\u202eevil\n| fake | row |"

func TestHumanFormatsEscapeCraftedNames(t *testing.T) {
	cols := []Column{{"real_name", "VARCHAR"}, {"days", "BIGINT"}}
	rows := [][]any{{crafted, int64(3)}, {"Ann", int64(90)}}
	lines := map[Format]int{Table: 7, Box: 7, Markdown: 4, Line: 5}
	for format, n := range lines {
		var b bytes.Buffer
		_, err := WriteValues(&b, cols, rows, Options{Format: format})
		require.NoError(t, err)
		out := b.String()
		assert.Equal(t, n, strings.Count(out, "\n"), "%s: one line per row, no more\n%s", format, out)
		assert.NotContains(t, out, "\u202e", format)
		assert.Contains(t, out, `\u202eevil\n`, format)
		if format == Markdown {
			assert.Contains(t, out, `\| fake \| row \|`, "markdown cell separators are escaped")
		}
	}
	// A column name is text too.
	var b bytes.Buffer
	_, err := WriteValues(&b, []Column{{crafted, "VARCHAR"}}, [][]any{{"x"}}, Options{Format: Table})
	require.NoError(t, err)
	assert.Equal(t, 6, strings.Count(b.String(), "\n"))
	assert.NotContains(t, b.String(), "\u202e")
}

func TestMachineFormatsKeepCraftedNamesExact(t *testing.T) {
	cols := []Column{{"real_name", "VARCHAR"}}
	rows := [][]any{{crafted}}
	var b bytes.Buffer
	_, err := WriteValues(&b, cols, rows, Options{Format: CSV})
	require.NoError(t, err)
	recs, err := csv.NewReader(&b).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"real_name"}, {crafted}}, recs)

	for _, f := range []Format{JSON, JSONL} {
		b.Reset()
		_, err = WriteValues(&b, cols, rows, Options{Format: f})
		require.NoError(t, err)
		var got map[string]string
		text := strings.Trim(strings.TrimSpace(b.String()), "[]")
		require.NoError(t, json.Unmarshal([]byte(text), &got), b.String())
		assert.Equal(t, crafted, got["real_name"], f)
	}
}

func TestCSVNeutralisesFormulasUnlessRaw(t *testing.T) {
	vals := []any{"=1+1", "+1 555", "@SUM(A1)", "-2+3", "\tx", "\rx", "-42", "-1.5e3", "plain", int64(-7), -2.5}
	cols := make([]Column, len(vals))
	for i := range cols {
		cols[i] = Column{"c", "VARCHAR"}
	}
	cols[0].Name = "=header"
	cols[9].Type, cols[10].Type = "BIGINT", "DOUBLE"
	read := func(opts Options) []string {
		var b bytes.Buffer
		_, err := WriteValues(&b, cols, [][]any{vals}, opts)
		require.NoError(t, err)
		recs, err := csv.NewReader(&b).ReadAll()
		require.NoError(t, err)
		require.Len(t, recs, 2)
		return append(recs[0][:1], recs[1]...)
	}
	assert.Equal(t, []string{"'=header", "'=1+1", "'+1 555", "'@SUM(A1)", "'-2+3", "'\tx", "'\rx", "-42", "-1.5e3", "plain", "-7", "-2.5"},
		read(Options{Format: CSV}), "the default neutralises formulas and leaves numbers alone")
	assert.Equal(t, []string{"=header", "=1+1", "+1 555", "@SUM(A1)", "-2+3", "\tx", "\rx", "-42", "-1.5e3", "plain", "-7", "-2.5"},
		read(Options{Format: CSV, RawCSV: true}))
}
