package shell

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"slackaudit/queries"
)

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
	var lx lexer
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch lx.state {
		case inSQL:
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			case c == '-' && i+1 < len(text) && text[i+1] == '-':
				lx.state, start = inLineComment, i
				i++
			case c == '/' && i+1 < len(text) && text[i+1] == '*':
				lx.state, lx.depth, start = inBlockComment, 1, i
				i++
			case c == '\'':
				lx.state, start = inString, i
				if n := len(toks); n > 0 && strings.EqualFold(toks[n-1].text, "e") && toks[n-1].start == i-1 {
					lx.state = inEscapeString
					toks = toks[:n-1]
				}
			case c == '"':
				lx.state, start = inIdent, i
			case c == '$' && (i == 0 || !isIdentByte(text[i-1])):
				if tag, ok := dollarTag(text[i:]); ok {
					lx.state, lx.tag, start = inDollarQuote, tag, i
					i += len(tag) - 1
					break
				}
				j := i + 1
				for j < len(text) && isIdentByte(text[j]) {
					j++
				}
				toks = append(toks, token{text: text[i:j], start: i})
				i = j - 1
			case isIdentByte(c):
				j := i
				for j < len(text) && (isIdentByte(text[j]) || text[j] == '$') {
					j++
				}
				toks = append(toks, token{text: text[i:j], ident: !(c >= '0' && c <= '9'), start: i})
				i = j - 1
			default:
				toks = append(toks, token{text: text[i : i+1], start: i})
			}
		case inString, inIdent:
			q := byte('\'')
			if lx.state == inIdent {
				q = '"'
			}
			if c == q {
				if i+1 < len(text) && text[i+1] == q {
					i++
				} else {
					if lx.state == inIdent {
						toks = append(toks, token{text: text[start : i+1], ident: true, start: start})
					}
					lx.state = inSQL
				}
			}
		case inEscapeString:
			switch {
			case c == '\\':
				i++
			case c == '\'' && i+1 < len(text) && text[i+1] == '\'':
				i++
			case c == '\'':
				lx.state = inSQL
			}
		case inLineComment:
			if c == '\n' {
				lx.state = inSQL
			}
		case inBlockComment:
			switch {
			case c == '/' && i+1 < len(text) && text[i+1] == '*':
				lx.depth++
				i++
			case c == '*' && i+1 < len(text) && text[i+1] == '/':
				lx.depth--
				i++
				if lx.depth == 0 {
					lx.state = inSQL
				}
			}
		case inDollarQuote:
			if c == '$' && strings.HasPrefix(text[i:], lx.tag) {
				i += len(lx.tag) - 1
				lx.state = inSQL
			}
		}
	}
	return toks, lx.state, start
}

// relationKeywords are the words after which a table or view name comes.
var relationKeywords = map[string]bool{"FROM": true, "JOIN": true, "INTO": true, "UPDATE": true, "TABLE": true,
	"DESCRIBE": true, "SUMMARIZE": true}

// clauseKeywords end a FROM list: a comma after them is not between tables.
var clauseKeywords = map[string]bool{"SELECT": true, "WHERE": true, "GROUP": true, "ORDER": true, "HAVING": true,
	"QUALIFY": true, "WINDOW": true, "LIMIT": true, "ON": true, "USING": true, "SET": true, "VALUES": true,
	"RETURNING": true, "BY": true, "OFFSET": true}

// notAlias are words that may follow a table name without being its alias.
var notAlias = map[string]bool{"WHERE": true, "JOIN": true, "ON": true, "USING": true, "LEFT": true, "RIGHT": true,
	"INNER": true, "OUTER": true, "FULL": true, "CROSS": true, "NATURAL": true, "POSITIONAL": true, "ASOF": true,
	"ANTI": true, "SEMI": true, "LATERAL": true, "GROUP": true, "ORDER": true, "LIMIT": true, "OFFSET": true,
	"HAVING": true, "QUALIFY": true, "WINDOW": true, "UNION": true, "EXCEPT": true, "INTERSECT": true, "SET": true,
	"VALUES": true, "SELECT": true, "RETURNING": true, "DEFAULT": true, "BY": true, "TABLESAMPLE": true,
	"PIVOT": true, "UNPIVOT": true, "AS": true}

// tableRefs finds the relations a statement names after FROM, JOIN, UPDATE
// and INTO, with their aliases: alias (lower case) → relation.
func tableRefs(toks []token, cat *catalog) (refs []*relation, aliases map[string]*relation) {
	aliases = map[string]*relation{}
	add := func(r *relation, names ...string) {
		if !slices.Contains(refs, r) {
			refs = append(refs, r)
		}
		for _, n := range names {
			aliases[strings.ToLower(unquoteIdent(n))] = r
		}
	}
	for i := 0; i < len(toks); i++ {
		if !relationKeywords[toks[i].upper()] {
			continue
		}
		j := i + 1
		for j < len(toks) {
			// a name: ident ('.' ident)*
			if !toks[j].ident {
				break
			}
			name := toks[j].text
			k := j + 1
			for k+1 < len(toks) && toks[k].text == "." && toks[k+1].ident {
				name += "." + toks[k+1].text
				k += 2
			}
			if k < len(toks) && toks[k].text == "(" { // a table function
				break
			}
			r, ok := cat.lookup(name)
			last := name
			if p := strings.LastIndexByte(name, '.'); p >= 0 {
				last = name[p+1:]
			}
			if k < len(toks) && toks[k].upper() == "AS" {
				k++
			}
			alias := ""
			if k < len(toks) && toks[k].ident && !notAlias[toks[k].upper()] {
				alias = toks[k].text
				k++
			}
			if ok {
				if alias != "" {
					add(r, alias)
				} else {
					add(r, name, last)
				}
			}
			if k < len(toks) && toks[k].text == "," {
				j = k + 1
				continue
			}
			j = k
			break
		}
		i = j - 1
	}
	return refs, aliases
}

// complete returns the word before the cursor and the candidates that
// could replace it. pending is the unfinished statement from earlier lines;
// line is the line being edited and pos the cursor's byte offset in it.
func (s *Shell) complete(pending, line string, pos int) (word string, cands []string) {
	before := line[:pos]
	if strings.TrimSpace(pending) == "" && strings.HasPrefix(strings.TrimLeft(before, " \t"), ".") {
		return s.completeDot(strings.TrimLeft(before, " \t"))
	}
	cat := s.catalogForCompletion()
	text := pending + before
	toks, state, strStart := tokenize(text)
	switch state {
	case inString:
		return completePath(text[strStart+1:])
	case inSQL:
	default:
		return "", nil
	}
	// The word being typed: identifier characters and dots back from the cursor.
	i := len(text)
	for i > 0 && (isIdentByte(text[i-1]) || text[i-1] == '.' || text[i-1] == '"' || text[i-1] == '$') {
		i--
	}
	word = text[i:]
	if strings.HasPrefix(word, "$") {
		return word, nil
	}
	full := pending + line
	allToks, _, _ := tokenize(full)
	refs, aliases := tableRefs(allToks, cat)

	if dot := strings.LastIndexByte(word, '.'); dot >= 0 {
		qual, part := word[:dot], word[dot+1:]
		var cols []string
		if r, ok := aliases[strings.ToLower(unquoteIdent(qual))]; ok {
			cols = columnNames(r)
		} else if r, ok := cat.lookup(qual); ok {
			cols = columnNames(r)
		} else {
			// schema-qualified relation names
			for _, r := range cat.relations {
				if strings.HasPrefix(strings.ToLower(r.Name), strings.ToLower(qual)+".") {
					cols = append(cols, r.Name[dot+1:])
				}
			}
		}
		for _, c := range matching(cols, part) {
			cands = append(cands, qual+"."+c)
		}
		return word, cands
	}

	// What came before the word decides what fits.
	prev := ""
	n := len(toks)
	if n > 0 && toks[n-1].start+len(toks[n-1].text) == len(text) && word != "" {
		n-- // the word itself
	}
	if n > 0 {
		prev = toks[n-1].upper()
	}
	wantRelations := relationKeywords[prev]
	if prev == "," {
		for k := n - 2; k >= 0; k-- {
			u := toks[k].upper()
			if u == "FROM" || u == "JOIN" {
				wantRelations = true
				break
			}
			if clauseKeywords[u] {
				break
			}
		}
	}
	var relNames []string
	for _, r := range cat.relations {
		relNames = append(relNames, quoteIdent(r.Name))
	}
	if wantRelations {
		return word, matching(relNames, word)
	}
	var colNames []string
	for _, r := range refs {
		for _, c := range r.Columns {
			q := quoteIdent(c.Name)
			if !slices.Contains(colNames, q) {
				colNames = append(colNames, q)
			}
		}
	}
	sort.Strings(colNames)
	cands = append(cands, matching(colNames, word)...)
	if word == "" {
		return word, cands
	}
	for _, r := range matching(relNames, word) {
		if !slices.Contains(cands, r) {
			cands = append(cands, r)
		}
	}
	kws := matching(cat.keywords, word)
	if strings.ToLower(word) == word {
		for i, k := range kws {
			kws[i] = strings.ToLower(k)
		}
	}
	for _, k := range kws {
		if !slices.Contains(cands, k) {
			cands = append(cands, k)
		}
	}
	return word, cands
}

func columnNames(r *relation) []string {
	out := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		out[i] = quoteIdent(c.Name)
	}
	return out
}

// matching returns the candidates that start with prefix, ignoring case.
func matching(cands []string, prefix string) []string {
	var out []string
	lp := strings.ToLower(prefix)
	for _, c := range cands {
		if strings.HasPrefix(strings.ToLower(c), lp) {
			out = append(out, c)
		}
	}
	return out
}

// completeDot completes a dot-command line: the command, then its arguments.
func (s *Shell) completeDot(before string) (string, []string) {
	words := strings.Fields(before)
	if len(words) == 0 {
		return "", nil
	}
	if len(words) == 1 && !strings.HasSuffix(before, " ") {
		var names []string
		for _, c := range dotCommands() {
			names = append(names, "."+c.name)
		}
		return words[0], matching(names, words[0])
	}
	cmd, err := lookupDot(strings.TrimPrefix(words[0], "."))
	if err != nil {
		return "", nil
	}
	word := ""
	if !strings.HasSuffix(before, " ") {
		word = words[len(words)-1]
		words = words[:len(words)-1]
	}
	args := words[1:]
	switch cmd.complete {
	case argRelation:
		if len(args) > 0 {
			return word, nil
		}
		var names []string
		for _, r := range s.catalogForCompletion().relations {
			names = append(names, r.Name)
		}
		return word, matching(names, word)
	case argQuery:
		if len(args) == 0 {
			return word, matching(queries.Names(), word)
		}
		n, err := queries.Lookup(args[0])
		if err != nil {
			return word, nil
		}
		var ps []string
		for _, p := range n.Params {
			given := slices.ContainsFunc(args[1:], func(a string) bool { return strings.HasPrefix(a, p.Name+"=") })
			if !given {
				ps = append(ps, p.Name+"=")
			}
		}
		return word, matching(ps, word)
	case argFormat:
		var fs []string
		for _, f := range queries.Formats {
			fs = append(fs, string(f))
		}
		return word, matching(fs, word)
	case argOnOff:
		return word, matching([]string{"on", "off"}, word)
	case argPath:
		return completePath(word)
	case argCommand:
		var names []string
		for _, c := range dotCommands() {
			names = append(names, c.name)
		}
		return word, matching(names, strings.TrimPrefix(word, "."))
	}
	return word, nil
}

// completePath lists files and folders that start with the partial path p;
// folders end in "/".
func completePath(p string) (string, []string) {
	dir, base := filepath.Split(p)
	listDir := dir
	if listDir == "" {
		listDir = "."
	}
	listDir = expandHome(listDir)
	entries, err := os.ReadDir(listDir)
	if err != nil {
		return p, nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		if e.IsDir() {
			name += "/"
		}
		out = append(out, dir+name)
	}
	return p, out
}

// expandHome turns a leading "~/" into the home folder.
func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}

// readlineCompleter adapts Shell.complete to readline's AutoCompleter: it
// returns what to append for each candidate and how many runes they share
// with the line.
type readlineCompleter struct{ s *Shell }

func (c readlineCompleter) Do(line []rune, pos int) ([][]rune, int) {
	before := string(line[:pos])
	word, cands := c.s.complete(c.s.split.Buffered(), string(line), len(before))
	n := len([]rune(word))
	out := make([][]rune, 0, len(cands))
	for _, cand := range cands {
		r := []rune(cand)
		if len(r) < n {
			continue
		}
		out = append(out, r[n:])
	}
	return out, n
}
