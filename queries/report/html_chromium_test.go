//go:build chromium

// The browser tests run with the chromium build tag (.ci/run installs
// Debian's chromium and runs them after the main suite), so that
// `go test -tags duckdb_arrow ./...` needs nothing but Go, while CI always
// opens the report in a real browser.

package report_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/queries/report"
)

// chromium finds Debian's chromium; the test fails without it, saying how
// to install it (.ci/run installs it when it is missing).
func chromium(t *testing.T) string {
	t.Helper()
	if bin, err := exec.LookPath("chromium"); err == nil {
		return bin
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	t.Fatal("chromium is not installed: the HTML report is checked in Debian's headless chromium; " +
		"install it with: apt-get install -y chromium")
	return ""
}

// screenshot opens page in headless chromium at 1240×1754 (A4 at 150 dpi),
// writes a PNG of the first screen to shot and returns what chromium
// logged, console messages included. Chromium gets a profile of its own and
// no network services, so it reads the page only.
func screenshot(t *testing.T, page, shot string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	u := url.URL{Scheme: "file", Path: page}
	cmd := exec.CommandContext(ctx, chromium(t), "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--hide-scrollbars", "--user-data-dir="+t.TempDir(), "--screenshot="+shot, "--window-size=1240,1754",
		"--enable-logging=stderr", "--v=0", u.String())
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	require.NoError(t, cmd.Run(), "chromium:\n%s", log.String())
	return log.String()
}

// consoleMessages are the lines of chromium's log that the page's console
// wrote: errors, warnings and uncaught exceptions alike.
func consoleMessages(log string) []string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, ":CONSOLE") || strings.Contains(line, "Uncaught") {
			out = append(out, line)
		}
	}
	return out
}

// ink measures a screenshot: the share of pixels that are not near white,
// and of those that are coloured (the charts' bars and lines; text is grey).
func ink(t *testing.T, path string) (img image.Image, dark, coloured float64) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err, "chromium wrote no screenshot")
	defer f.Close()
	img, err = png.Decode(f)
	require.NoError(t, err, "the screenshot is not a PNG")
	b := img.Bounds()
	var nDark, nColour int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			lo, hi := min(r, g, bl)>>8, max(r, g, bl)>>8
			if lo < 230 {
				nDark++
			}
			if hi-lo > 80 {
				nColour++
			}
		}
	}
	all := float64(b.Dx() * b.Dy())
	return img, float64(nDark) / all, float64(nColour) / all
}

// TestRenderHTMLInChromium opens the report in headless chromium: the page
// draws (text and charts on the first screen) and its console stays
// silent. SLACKAUDIT_SCREENSHOT names where to keep the screenshot (the
// README's picture is made from it); by default it goes to a temporary
// folder.
func TestRenderHTMLInChromium(t *testing.T) {
	t.Parallel()
	t.Run("report", func(t *testing.T) {
		t.Parallel()
		r := read(t, threeAccounts(t), report.Options{Top: 10, PlanTitle: plans})
		var b bytes.Buffer
		require.NoError(t, report.RenderHTML(&b, r))
		page := filepath.Join(t.TempDir(), "report.html")
		require.NoError(t, os.WriteFile(page, b.Bytes(), 0o644))
		shot := filepath.Join(t.TempDir(), "report.png")
		if p := os.Getenv("SLACKAUDIT_SCREENSHOT"); p != "" {
			var err error
			shot, err = filepath.Abs(p)
			require.NoError(t, err)
		}
		log := screenshot(t, page, shot)
		assert.Empty(t, consoleMessages(log), "the page logged to the console:\n%s", log)
		img, dark, coloured := ink(t, shot)
		assert.Equal(t, image.Rect(0, 0, 1240, 1754), img.Bounds())
		assert.Greater(t, dark, 0.03, "share of the screen with text or marks")
		assert.Greater(t, coloured, 0.005, "share of the screen in the charts' colours")
		t.Logf("screenshot %s: %.1f %% ink, %.1f %% in colour", shot, 100*dark, 100*coloured)
	})
	t.Run("a page with script errors is caught", func(t *testing.T) {
		t.Parallel()
		page := filepath.Join(t.TempDir(), "broken.html")
		require.NoError(t, os.WriteFile(page, []byte(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">`+
			`<title>broken</title></head><body><script>console.error("broken on purpose"); notDefined();</script></body></html>`), 0o644))
		shot := filepath.Join(t.TempDir(), "broken.png")
		got := consoleMessages(screenshot(t, page, shot))
		require.Len(t, got, 2)
		assert.Contains(t, got[0], "broken on purpose")
		assert.Contains(t, got[1], "Uncaught ReferenceError: notDefined is not defined")
		_, dark, _ := ink(t, shot)
		assert.Less(t, dark, 0.01, "a page with nothing on it counts as blank")
	})
}
