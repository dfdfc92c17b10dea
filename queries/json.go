package queries

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"slackaudit/warehouse"
)

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

// jsonWriter writes a JSON array of objects (or, for jsonl, one object per
// line), a row at a time.
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
