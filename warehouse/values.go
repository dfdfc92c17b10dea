package warehouse

import (
	"fmt"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// ValueText renders the DuckDB-specific values a query can return (intervals,
// decimals, UUIDs, maps) as DuckDB's own CLI would. ok is false for other
// types, which callers format themselves.
func ValueText(v any) (s string, ok bool) {
	switch x := v.(type) {
	case duckdb.Interval:
		return intervalText(x), true
	case duckdb.Decimal:
		return x.String(), true
	case duckdb.UUID:
		return x.String(), true
	case *duckdb.UUID:
		return x.String(), true
	case duckdb.Map:
		parts := make([]string, 0, len(x))
		for k, v := range x {
			parts = append(parts, fmt.Sprintf("%v=%v", k, v))
		}
		return "{" + strings.Join(parts, ", ") + "}", true
	}
	return "", false
}

func intervalText(iv duckdb.Interval) string {
	var parts []string
	if y, m := iv.Months/12, iv.Months%12; y != 0 || m != 0 {
		if y != 0 {
			parts = append(parts, plural(int64(y), "year"))
		}
		if m != 0 {
			parts = append(parts, plural(int64(m), "month"))
		}
	}
	if iv.Days != 0 {
		parts = append(parts, plural(int64(iv.Days), "day"))
	}
	if iv.Micros != 0 || len(parts) == 0 {
		us := iv.Micros
		sign := ""
		if us < 0 {
			sign, us = "-", -us
		}
		h, us := us/3_600_000_000, us%3_600_000_000
		m, us := us/60_000_000, us%60_000_000
		s, us := us/1_000_000, us%1_000_000
		t := fmt.Sprintf("%s%02d:%02d:%02d", sign, h, m, s)
		if us != 0 {
			t += strings.TrimRight(fmt.Sprintf(".%06d", us), "0")
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, " ")
}

func plural(n int64, unit string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
