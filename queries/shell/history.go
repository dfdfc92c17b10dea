package shell

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// HistoryEnv overrides where the history is kept; "off" keeps none.
const HistoryEnv = "SLACKAUDIT_HISTORY"

// historyLimit is how many entries the history file keeps.
const historyLimit = 5000

// HistoryPath returns where interactive sessions keep their history:
// $SLACKAUDIT_HISTORY ("off" for nowhere), else
// $XDG_CONFIG_HOME/slackaudit/history, else ~/.config/slackaudit/history.
// It returns "" when there is nowhere to keep it.
func HistoryPath(getenv func(string) string) string {
	if p := getenv(HistoryEnv); p != "" {
		if p == "off" {
			return ""
		}
		return p
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "slackaudit", "history")
	}
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		home = h
	}
	return filepath.Join(home, ".config", "slackaudit", "history")
}

// history is the file of past statements and dot-commands, one per line,
// readable only by its owner (queries name people).
type history struct {
	f *os.File
}

// openHistory creates the history file if needed (folders 0700, file
// 0600), returns its entries, oldest first, and keeps it open for appending.
// A file longer than historyLimit entries is cut to the newest ones.
func openHistory(path string) (*history, []string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, fmt.Errorf("history: %w", err)
	}
	var entries []string
	if f, err := os.Open(path); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" {
				entries = append(entries, l)
			}
		}
		f.Close()
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("history: %w", err)
	}
	if len(entries) > historyLimit {
		entries = entries[len(entries)-historyLimit:]
		if err := rewriteHistory(path, entries); err != nil {
			return nil, nil, err
		}
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("history: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("history: %w", err)
	}
	return &history{f: f}, entries, nil
}

func rewriteHistory(path string, entries []string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".history-*")
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	w := bufio.NewWriter(tmp)
	for _, e := range entries {
		w.WriteString(e + "\n")
	}
	err = errors.Join(w.Flush(), tmp.Chmod(0o600), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("history: %w", err)
	}
	return nil
}

func (h *history) add(entry string) error {
	if h == nil {
		return nil
	}
	_, err := h.f.WriteString(entry + "\n")
	return err
}

func (h *history) close() error {
	if h == nil {
		return nil
	}
	return h.f.Close()
}

// historyEntry turns a statement as typed over several lines into one line,
// so Up and Ctrl-R bring it back whole: line breaks become spaces and
// -- comments become /* */ comments. ok is false when a quoted string holds
// a line break, which one line cannot keep.
func historyEntry(text string) (entry string, ok bool) {
	if !strings.Contains(text, "\n") {
		return text, true
	}
	var b strings.Builder
	var lx lexer
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch lx.state {
		case inSQL:
			switch {
			case c == '\n' || c == '\r':
				b.WriteByte(' ')
				continue
			case c == '-' && i+1 < len(text) && text[i+1] == '-':
				end := strings.IndexByte(text[i:], '\n')
				if end < 0 {
					end = len(text) - i
				}
				comment := strings.TrimSpace(text[i+2 : i+end])
				b.WriteString("/* " + strings.ReplaceAll(comment, "*/", "* /") + " */")
				i += end - 1
				continue
			case c == '\'':
				lx.state = inString
			case c == '"':
				lx.state = inIdent
			case c == '/' && i+1 < len(text) && text[i+1] == '*':
				lx.state, lx.depth = inBlockComment, 1
				b.WriteString("/*")
				i++
				continue
			case c == '$' && (i == 0 || !isIdentByte(text[i-1])):
				if tag, ok := dollarTag(text[i:]); ok {
					lx.state, lx.tag = inDollarQuote, tag
					b.WriteString(tag)
					i += len(tag) - 1
					continue
				}
			}
		case inString, inIdent:
			q := byte('\'')
			if lx.state == inIdent {
				q = '"'
			}
			if c == '\n' {
				return "", false
			}
			if c == q {
				if i+1 < len(text) && text[i+1] == q {
					b.WriteByte(c)
					i++
				} else {
					lx.state = inSQL
				}
			}
		case inBlockComment:
			switch {
			case c == '\n':
				b.WriteByte(' ')
				continue
			case c == '/' && i+1 < len(text) && text[i+1] == '*':
				lx.depth++
				b.WriteString("/*")
				i++
				continue
			case c == '*' && i+1 < len(text) && text[i+1] == '/':
				lx.depth--
				b.WriteString("*/")
				i++
				if lx.depth == 0 {
					lx.state = inSQL
				}
				continue
			}
		case inDollarQuote:
			if c == '\n' {
				return "", false
			}
			if c == '$' && strings.HasPrefix(text[i:], lx.tag) {
				b.WriteString(lx.tag)
				i += len(lx.tag) - 1
				lx.state = inSQL
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String(), true
}
