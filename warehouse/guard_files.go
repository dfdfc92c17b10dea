package warehouse

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	bindings "github.com/duckdb/duckdb-go-bindings"
)

// With AllowFiles, DuckDB lets statements reach the allowed folders and,
// always, the open warehouse's own files: the database file, its
// write-ahead logs and its spill folder (DuckDB adds them to allowed_paths
// itself and they cannot be removed). A COPY ... TO '<warehouse>'
// (USE_TMP_FILE false) would overwrite the warehouse, even one opened
// read-only. So a COPY, EXPORT DATABASE or ATTACH in such a session must
// name its file as a plain quoted path, which DuckDB's grammar requires
// anyway, and that path must not be one of the warehouse's own.

// ownFiles are the warehouse's own files and spill folder.
type ownFiles struct {
	files  []string // the database file and its write-ahead logs
	spill  string   // DuckDB's spill folder beside the file
	infos  []os.FileInfo
	homeFn func() (string, error)
}

func newOwnFiles(path string) ownFiles {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	o := ownFiles{spill: abs + ".tmp", homeFn: os.UserHomeDir}
	for _, suffix := range []string{"", ".wal", ".wal.checkpoint", ".wal.recovery"} {
		o.files = append(o.files, abs+suffix)
		if st, err := os.Stat(abs + suffix); err == nil {
			o.infos = append(o.infos, st)
		}
	}
	return o
}

// check refuses target when it is, or leads to, one of the warehouse's
// own files, or lies in its spill folder.
func (o ownFiles) check(target string) error {
	if strings.HasPrefix(target, "~/") || target == "~" {
		home, err := o.homeFn()
		if err != nil {
			return &RefusedError{Kind: RefusedFiles, What: "a path under ~ (no home folder to expand it)"}
		}
		target = filepath.Join(home, strings.TrimPrefix(target, "~"))
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		return &RefusedError{Kind: RefusedFiles, What: "the path " + target}
	}
	forms := []string{abs}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		forms = append(forms, filepath.Join(dir, filepath.Base(abs)))
	}
	for _, p := range forms {
		for _, f := range append(o.files, o.spill) {
			if p == f || strings.HasPrefix(p, o.spill+string(filepath.Separator)) {
				return ownFileRefusal(target)
			}
		}
	}
	if st, err := os.Stat(abs); err == nil {
		for _, own := range o.infos {
			if os.SameFile(st, own) {
				return ownFileRefusal(target)
			}
		}
	}
	return nil
}

func ownFileRefusal(target string) error {
	return &RefusedError{Kind: RefusedFiles, What: "writing or attaching the warehouse's own files (" + target + ")"}
}

// fileTarget returns the path a COPY, EXPORT DATABASE or ATTACH statement
// names; ok is false when it is not a plain quoted path where DuckDB's
// grammar puts it.
func fileTarget(t bindings.StatementType, query string) (string, bool) {
	toks := lexSQL(query)
	if len(toks) < 2 {
		return "", false
	}
	start := 1
	if t == bindings.StatementTypeCopy {
		// COPY source TO|FROM 'path': the source may hold literals of its own.
		start = -1
		for i, tk := range toks {
			if i > 0 && tk.depth == 0 && (strings.EqualFold(tk.text, "TO") || strings.EqualFold(tk.text, "FROM")) {
				start = i + 1
				break
			}
		}
		if start < 0 || start >= len(toks) {
			return "", false
		}
		return toks[start].literal()
	}
	// EXPORT DATABASE [name] 'path', ATTACH [DATABASE] [IF NOT EXISTS] 'path'.
	for _, tk := range toks[start:] {
		if tk.depth == 0 && tk.quote() {
			return tk.literal()
		}
	}
	return "", false
}

// token is one SQL token: a word, a quoted literal or identifier, or a
// punctuation character, with the parenthesis depth it appears at.
type token struct {
	text  string
	depth int
}

func (t token) quote() bool {
	return strings.HasPrefix(t.text, "'") || strings.HasPrefix(t.text, "$") ||
		len(t.text) > 1 && strings.ContainsRune("eE", rune(t.text[0])) && t.text[1] == '\''
}

// literal returns a plain '...' string literal's value.
func (t token) literal() (string, bool) {
	s := t.text
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", false
	}
	return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), true
}

// lexSQL splits query into tokens, skipping white space and comments. An
// unterminated literal or comment ends the list.
func lexSQL(query string) []token {
	var toks []token
	depth := 0
	for s := skipSpace(query); s != ""; s = skipSpace(s) {
		n := tokenLen(s)
		if n <= 0 {
			break
		}
		switch s[0] {
		case '(':
			toks = append(toks, token{"(", depth})
			depth++
		case ')':
			depth--
			toks = append(toks, token{")", depth})
		default:
			toks = append(toks, token{s[:n], depth})
		}
		s = s[n:]
	}
	return toks
}

// tokenLen is the length of the token s starts with; 0 when it does not
// end.
func tokenLen(s string) int {
	switch c := s[0]; {
	case c == '\'' || c == '"':
		return quotedLen(s, c)
	case (c == 'e' || c == 'E') && len(s) > 1 && s[1] == '\'':
		if n := quotedLen(s[1:], '\''); n > 0 {
			return n + 1
		}
		return 0
	case c == '$':
		end := strings.IndexByte(s[1:], '$')
		if end < 0 {
			return 1
		}
		tag := s[:end+2]
		if close := strings.Index(s[len(tag):], tag); close >= 0 {
			return len(tag) + close + len(tag)
		}
		return 0
	case isWordByte(c):
		n := 1
		for n < len(s) && isWordByte(s[n]) {
			n++
		}
		return n
	}
	return 1
}

// quotedLen is the length of the literal or identifier quoted with q that
// s starts with, doubled quotes included; 0 when it does not end.
func quotedLen(s string, q byte) int {
	for i := 1; i < len(s); i++ {
		if s[i] != q {
			continue
		}
		if i+1 < len(s) && s[i+1] == q {
			i++
			continue
		}
		return i + 1
	}
	return 0
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// CheckOutput refuses a file slackaudit is asked to write (a report, a
// page) when it is, or leads to, one of the warehouse's own files: writing
// it would replace the warehouse.
func (db *DB) CheckOutput(path string) error {
	if err := newOwnFiles(db.path).check(path); err != nil {
		return fmt.Errorf("%w; choose another file", err)
	}
	return nil
}
