package shell

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Statement is one complete SQL statement cut from the input.
type Statement struct {
	Text string // without the terminating semicolon, trimmed of every Unicode space; never blank
	Line int    // line of the input (1-based) where the statement's first token is
}

// lexState is where the lexer is: in plain SQL or inside a quoted or
// commented stretch that a semicolon cannot end.
type lexState uint8

const (
	inSQL          lexState = iota
	inString                // '…', with '' for a quote
	inEscapeString          // E'…', with backslash escapes too
	inIdent                 // "…", with "" for a quote
	inLineComment           // -- … up to the end of the line
	inBlockComment          // /* … */, nested as in PostgreSQL and DuckDB
	inDollarQuote           // $tag$ … $tag$
)

func (s lexState) String() string {
	switch s {
	case inString, inEscapeString:
		return "a quoted string"
	case inIdent:
		return "a quoted identifier"
	case inLineComment, inBlockComment:
		return "a comment"
	case inDollarQuote:
		return "a dollar-quoted string"
	}
	return "SQL"
}

// lexer tracks the state across calls, so a statement can be scanned line by
// line without rescanning what came before.
type lexer struct {
	state lexState
	depth int    // block comment nesting
	tag   string // the closing $tag$ of a dollar quote
}

// Splitter cuts input, fed one line at a time, into statements that end at a
// semicolon. It knows SQL's quoting: semicolons inside '…', E'…', "…",
// $tag$…$tag$, -- comments and nested /* */ comments do not end a statement.
// Each line is scanned once, so a long pasted statement costs linear time.
type Splitter struct {
	lex        lexer
	buf        string // text not yet returned as a statement
	pos        int    // how far buf has been scanned
	line       int    // line number at pos
	hasContent bool   // buf holds something other than space and comments
	firstLine  int    // line of the first token of the pending statement
	first      int    // offset in buf of that token
}

// NewSplitter returns a splitter whose first line is line 1.
func NewSplitter() *Splitter { return &Splitter{line: 1} }

// Add feeds one line (without its line break) and returns the statements it
// completed, in order. Empty statements (";" alone, or only spaces of any
// kind and comments) are dropped.
func (s *Splitter) Add(line string) []Statement {
	s.buf += line + "\n"
	var out []Statement
	start := 0
	for s.pos < len(s.buf) {
		end, ok := s.scan()
		if !ok {
			break
		}
		if s.hasContent {
			out = append(out, Statement{Text: trimSpace(s.buf[s.first:end]), Line: s.firstLine})
		}
		start = end + 1
		s.hasContent = false
	}
	if start > 0 {
		s.buf = s.buf[start:]
		s.pos -= start
		s.first -= start
	}
	return out
}

// Pending reports whether an unfinished statement is buffered, or the input
// stopped inside a quote or comment: the prompt should say "go on".
func (s *Splitter) Pending() bool { return s.hasContent || s.lex.state != inSQL }

// Empty reports whether nothing but spaces and comments is buffered and the
// lexer is in plain SQL, so a line starting with '.' is a dot-command.
func (s *Splitter) Empty() bool {
	return !s.hasContent && (s.lex.state == inSQL || s.lex.state == inLineComment)
}

// Flush returns what is buffered as a final statement (a script's last
// statement may lack its semicolon) and resets the splitter. unterminated
// names the quote or comment the input ended in, if any.
func (s *Splitter) Flush() (st Statement, ok bool, unterminated string) {
	if s.lex.state != inSQL && s.lex.state != inLineComment {
		unterminated = s.lex.state.String()
	}
	if s.hasContent {
		st, ok = Statement{Text: trimSpace(s.buf[s.first:]), Line: s.firstLine}, true
	}
	s.Reset()
	return st, ok, unterminated
}

// Reset drops whatever is buffered (Ctrl-C at a continuation prompt). Line
// numbering goes on.
func (s *Splitter) Reset() {
	s.buf, s.pos, s.hasContent, s.lex = "", 0, false, lexer{}
}

// Buffered returns the text of the pending statement.
func (s *Splitter) Buffered() string { return s.buf }

// Line is the number of the next line to be added.
func (s *Splitter) Line() int { return s.line }

// scan advances s.pos through s.buf. It returns the offset of a terminating
// semicolon and true, or false when the buffer ends first.
func (s *Splitter) scan() (int, bool) {
	b := s.buf
	for i := s.pos; i < len(b); i++ {
		c := b[i]
		if c == '\n' {
			s.line++
		}
		switch s.lex.state {
		case inSQL:
			if c == ';' {
				s.pos = i + 1
				return i, true
			}
			i = s.sqlByte(b, i)
		case inString, inIdent:
			i = s.quoted(b, i)
		case inEscapeString:
			i = s.escapeString(b, i)
		case inLineComment:
			if c == '\n' {
				s.lex.state = inSQL
			}
		case inBlockComment:
			i = s.blockComment(b, i)
		case inDollarQuote:
			if c == '$' && strings.HasPrefix(b[i:], s.lex.tag) {
				i += len(s.lex.tag) - 1
				s.lex.state, s.lex.tag = inSQL, ""
			}
		}
	}
	s.pos = len(b)
	return 0, false
}

// sqlByte handles b[i] in plain SQL (not a semicolon): space, the start of
// a comment, quote or dollar quote, or a token. It returns the offset of the
// last byte it consumed.
func (s *Splitter) sqlByte(b string, i int) int {
	c := b[i]
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
		return i
	case c >= utf8.RuneSelf:
		// A space outside ASCII (no-break, em, ideographic, …) is no more
		// a statement than an ASCII one.
		r, size := utf8.DecodeRuneInString(b[i:])
		if !isSpace(r) {
			s.content(i)
		}
		return i + size - 1
	case c == '-' && i+1 < len(b) && b[i+1] == '-':
		s.lex.state = inLineComment
		return i + 1
	case c == '/' && i+1 < len(b) && b[i+1] == '*':
		s.lex.state, s.lex.depth = inBlockComment, 1
		return i + 1
	}
	s.content(i)
	switch c {
	case '\'':
		s.lex.state = inString
		if i > 0 && (b[i-1] == 'E' || b[i-1] == 'e') && (i < 2 || !isIdentByte(b[i-2])) {
			s.lex.state = inEscapeString
		}
	case '"':
		s.lex.state = inIdent
	case '$':
		if i > 0 && isIdentByte(b[i-1]) {
			return i
		}
		if tag, ok := dollarTag(b[i:]); ok {
			s.lex.state, s.lex.tag = inDollarQuote, tag
			return i + len(tag) - 1
		}
	}
	return i
}

// quoted handles b[i] inside '…' or "…", where a doubled quote is a quote.
func (s *Splitter) quoted(b string, i int) int {
	q := byte('\'')
	if s.lex.state == inIdent {
		q = '"'
	}
	if b[i] == q {
		if i+1 < len(b) && b[i+1] == q {
			return i + 1
		}
		s.lex.state = inSQL
	}
	return i
}

// escapeString handles b[i] inside E'…', where a backslash escapes.
func (s *Splitter) escapeString(b string, i int) int {
	switch c := b[i]; {
	case c == '\\' && i+1 < len(b):
		i++
		if b[i] == '\n' {
			s.line++
		}
	case c == '\'' && i+1 < len(b) && b[i+1] == '\'':
		i++
	case c == '\'':
		s.lex.state = inSQL
	}
	return i
}

// blockComment handles b[i] inside /* … */, which nest.
func (s *Splitter) blockComment(b string, i int) int {
	switch c := b[i]; {
	case c == '/' && i+1 < len(b) && b[i+1] == '*':
		s.lex.depth++
		i++
	case c == '*' && i+1 < len(b) && b[i+1] == '/':
		s.lex.depth--
		i++
		if s.lex.depth == 0 {
			s.lex.state = inSQL
		}
	}
	return i
}

// isSpace reports whether r is space between tokens: any Unicode space,
// and the byte-order mark an editor may leave at the start of a file.
func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' }

// trimSpace trims what isSpace calls space from both ends of s.
func trimSpace(s string) string { return strings.TrimFunc(s, isSpace) }

// content notes that the pending statement has a real token, and where.
func (s *Splitter) content(i int) {
	if !s.hasContent {
		s.hasContent, s.firstLine, s.first = true, s.line, i
	}
}

// Skip counts a line that was not SQL (a dot-command), keeping line numbers
// right.
func (s *Splitter) Skip() { s.line++ }

// dollarTag returns the opening "$tag$" at the start of b, if there is one:
// "$$" or "$" + an identifier that does not start with a digit + "$". "$1"
// and "$name" (parameters) are not tags.
func dollarTag(b string) (string, bool) {
	for j := 1; j < len(b); j++ {
		c := b[j]
		switch {
		case c == '$':
			return b[:j+1], true
		case c >= '0' && c <= '9':
			if j == 1 {
				return "", false
			}
		case !isIdentByte(c):
			return "", false
		}
	}
	return "", false
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// SplitScript cuts a whole text into statements, the last one possibly
// without its semicolon.
func SplitScript(text string) []Statement {
	sp := NewSplitter()
	var out []Statement
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		out = append(out, sp.Add(line)...)
	}
	if st, ok, _ := sp.Flush(); ok {
		out = append(out, st)
	}
	return out
}
