package shell

import "strings"

// token is one lexical token of SQL outside strings and comments.
type token struct {
	text  string
	ident bool // a word or a "quoted identifier"
	start int
}

func (t token) upper() string { return strings.ToUpper(t.text) }

// tokenize lexes SQL text for completion. It returns the tokens, the state
// the text ends in, and where the unfinished quote or comment began.
func tokenize(text string) (toks []token, end lexState, endStart int) {
	sc := &scanner{text: text}
	for i := 0; i < len(text); i++ {
		i = sc.step(i)
	}
	return sc.toks, sc.lx.state, sc.start
}

// scanner is tokenize's state: the tokens so far, the lexer's state and
// where the current quote or comment began.
type scanner struct {
	text  string
	toks  []token
	lx    lexer
	start int
}

// step scans text[i] and returns the index of the last byte it took.
func (sc *scanner) step(i int) int {
	switch sc.lx.state {
	case inSQL:
		return sc.sql(i)
	case inString, inIdent:
		return sc.quoted(i)
	case inEscapeString:
		return sc.escapeString(i)
	case inLineComment:
		if sc.text[i] == '\n' {
			sc.lx.state = inSQL
		}
	case inBlockComment:
		return sc.blockComment(i)
	case inDollarQuote:
		if sc.text[i] == '$' && strings.HasPrefix(sc.text[i:], sc.lx.tag) {
			sc.lx.state = inSQL
			return i + len(sc.lx.tag) - 1
		}
	}
	return i
}

// sql scans outside quotes and comments: words, symbols, and the start of
// a quote or comment.
func (sc *scanner) sql(i int) int {
	text, c := sc.text, sc.text[i]
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
	case strings.HasPrefix(text[i:], "--"):
		sc.lx.state, sc.start = inLineComment, i
		return i + 1
	case strings.HasPrefix(text[i:], "/*"):
		sc.lx.state, sc.lx.depth, sc.start = inBlockComment, 1, i
		return i + 1
	case c == '\'':
		sc.lx.state, sc.start = inString, i
		if n := len(sc.toks); n > 0 && strings.EqualFold(sc.toks[n-1].text, "e") && sc.toks[n-1].start == i-1 {
			sc.lx.state = inEscapeString
			sc.toks = sc.toks[:n-1]
		}
	case c == '"':
		sc.lx.state, sc.start = inIdent, i
	case c == '$' && (i == 0 || !isIdentByte(text[i-1])):
		return sc.dollar(i)
	case isIdentByte(c):
		j := i
		for j < len(text) && (isIdentByte(text[j]) || text[j] == '$') {
			j++
		}
		sc.toks = append(sc.toks, token{text: text[i:j], ident: !(c >= '0' && c <= '9'), start: i})
		return j - 1
	default:
		sc.toks = append(sc.toks, token{text: text[i : i+1], start: i})
	}
	return i
}

// dollar scans a $: the start of a $tag$ quote, or a $parameter.
func (sc *scanner) dollar(i int) int {
	text := sc.text
	if tag, ok := dollarTag(text[i:]); ok {
		sc.lx.state, sc.lx.tag, sc.start = inDollarQuote, tag, i
		return i + len(tag) - 1
	}
	j := i + 1
	for j < len(text) && isIdentByte(text[j]) {
		j++
	}
	sc.toks = append(sc.toks, token{text: text[i:j], start: i})
	return j - 1
}

// quoted scans inside '…' or "…"; a closed "identifier" is a token.
func (sc *scanner) quoted(i int) int {
	text := sc.text
	q := byte('\'')
	if sc.lx.state == inIdent {
		q = '"'
	}
	switch {
	case text[i] != q:
	case i+1 < len(text) && text[i+1] == q:
		return i + 1
	default:
		if sc.lx.state == inIdent {
			sc.toks = append(sc.toks, token{text: text[sc.start : i+1], ident: true, start: sc.start})
		}
		sc.lx.state = inSQL
	}
	return i
}

// escapeString scans inside E'…', where a backslash escapes.
func (sc *scanner) escapeString(i int) int {
	text := sc.text
	switch {
	case text[i] == '\\':
		return i + 1
	case strings.HasPrefix(text[i:], "''"):
		return i + 1
	case text[i] == '\'':
		sc.lx.state = inSQL
	}
	return i
}

// blockComment scans inside a /* */ comment, which may nest.
func (sc *scanner) blockComment(i int) int {
	switch {
	case strings.HasPrefix(sc.text[i:], "/*"):
		sc.lx.depth++
		return i + 1
	case strings.HasPrefix(sc.text[i:], "*/"):
		sc.lx.depth--
		if sc.lx.depth == 0 {
			sc.lx.state = inSQL
		}
		return i + 1
	}
	return i
}
