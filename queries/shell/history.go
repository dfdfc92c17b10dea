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
	j := &joiner{text: text}
	for i := 0; i < len(text); {
		n, ok := j.step(i)
		if !ok {
			return "", false
		}
		i += n
	}
	return j.b.String(), true
}

// joiner folds a statement typed over several lines into one line.
type joiner struct {
	text string
	b    strings.Builder
	lx   lexer
}

// step folds what starts at text[i] and returns how many bytes it took;
// false when the statement cannot be one line.
func (j *joiner) step(i int) (int, bool) {
	switch j.lx.state {
	case inSQL:
		return j.sql(i), true
	case inString, inIdent:
		return j.quoted(i)
	case inBlockComment:
		return j.blockComment(i), true
	case inDollarQuote:
		return j.dollarQuoted(i)
	}
	j.b.WriteByte(j.text[i])
	return 1, true
}

// at reports whether s starts at text[i].
func (j *joiner) at(i int, s string) bool { return strings.HasPrefix(j.text[i:], s) }

// sql folds plain SQL: a line break is a space, a -- comment a /* */ one.
func (j *joiner) sql(i int) int {
	c := j.text[i]
	switch {
	case c == '\n' || c == '\r':
		j.b.WriteByte(' ')
		return 1
	case j.at(i, "--"):
		end := strings.IndexByte(j.text[i:], '\n')
		if end < 0 {
			end = len(j.text) - i
		}
		comment := strings.TrimSpace(j.text[i+2 : i+end])
		j.b.WriteString("/* " + strings.ReplaceAll(comment, "*/", "* /") + " */")
		return end
	case c == '\'':
		j.lx.state = inString
	case c == '"':
		j.lx.state = inIdent
	case j.at(i, "/*"):
		j.lx.state, j.lx.depth = inBlockComment, 1
		j.b.WriteString("/*")
		return 2
	case c == '$' && (i == 0 || !isIdentByte(j.text[i-1])):
		if tag, ok := dollarTag(j.text[i:]); ok {
			j.lx.state, j.lx.tag = inDollarQuote, tag
			j.b.WriteString(tag)
			return len(tag)
		}
	}
	j.b.WriteByte(c)
	return 1
}

// quoted copies a '…' string or "…" identifier, which cannot hold a line
// break on one line.
func (j *joiner) quoted(i int) (int, bool) {
	c := j.text[i]
	q := byte('\'')
	if j.lx.state == inIdent {
		q = '"'
	}
	switch {
	case c == '\n':
		return 0, false
	case c == q && i+1 < len(j.text) && j.text[i+1] == q:
		j.b.WriteByte(c)
		j.b.WriteByte(c)
		return 2, true
	case c == q:
		j.lx.state = inSQL
	}
	j.b.WriteByte(c)
	return 1, true
}

// blockComment copies a /* */ comment, nested ones too, with line breaks
// as spaces.
func (j *joiner) blockComment(i int) int {
	switch {
	case j.text[i] == '\n':
		j.b.WriteByte(' ')
		return 1
	case j.at(i, "/*"):
		j.lx.depth++
		j.b.WriteString("/*")
		return 2
	case j.at(i, "*/"):
		j.lx.depth--
		j.b.WriteString("*/")
		if j.lx.depth == 0 {
			j.lx.state = inSQL
		}
		return 2
	}
	j.b.WriteByte(j.text[i])
	return 1
}

// dollarQuoted copies a $tag$…$tag$ string, which cannot hold a line break
// on one line.
func (j *joiner) dollarQuoted(i int) (int, bool) {
	switch {
	case j.text[i] == '\n':
		return 0, false
	case j.text[i] == '$' && j.at(i, j.lx.tag):
		j.b.WriteString(j.lx.tag)
		j.lx.state = inSQL
		return len(j.lx.tag), true
	}
	j.b.WriteByte(j.text[i])
	return 1, true
}
