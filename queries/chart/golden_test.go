package chart

import (
	"flag"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	update = flag.Bool("update", false, "rewrite golden files")
	page   = flag.String("page", "", "also write an HTML page holding the golden charts to this path, to look at them")
)

// TestGolden pins the bytes of one example of each report chart.
func TestGolden(t *testing.T) {
	var svgs []template.HTML
	for _, tc := range reportCharts() {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.chart.SVG()
			require.NoError(t, err)
			svgs = append(svgs, got)
			path := filepath.Join("testdata", t.Name()+".svg")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./queries/chart -run TestGolden -update to create it")
			assert.Equal(t, string(want), string(got), "%s differs from its golden file (-update rewrites it)", path)
		})
	}
	if *page != "" {
		require.NoError(t, writePage(*page, svgs))
	}
}

// writePage writes an HTML page holding the charts two by two, so that all
// of them show in one A4-shaped screenshot.
func writePage(path string, svgs []template.HTML) error {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>slackaudit charts</title>\n<style>\n")
	b.WriteString("body { font-family: Helvetica, Arial, sans-serif; margin: 16px; display: grid; grid-template-columns: 1fr 1fr; gap: 24px 16px; }\n")
	b.WriteString("figure { margin: 0; }\n")
	b.WriteString(Stylesheet())
	b.WriteString("</style></head><body>\n")
	for _, s := range svgs {
		fmt.Fprintf(&b, "<figure>\n%s</figure>\n", s)
	}
	b.WriteString("</body></html>\n")
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
