package shell

import (
	"io"
	"os"
	"strconv"

	"github.com/chzyer/readline"
)

// TerminalWidth is the width to fit tables to when writing to w: 0 (no
// limit) unless w is a terminal; then COLUMNS when it holds a positive
// number, else the terminal's own width.
func TerminalWidth(w io.Writer, getenv func(string) string) int {
	f, ok := w.(*os.File)
	if !ok || !isTerminal(f) {
		return 0
	}
	if n, err := strconv.Atoi(getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if n, _, err := readline.GetSize(int(f.Fd())); err == nil && n > 0 {
		return n
	}
	return 80
}
