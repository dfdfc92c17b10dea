package shell

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"slackaudit/queries"
)

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
	word = typedWord(text)
	if strings.HasPrefix(word, "$") {
		return word, nil
	}
	allToks, _, _ := tokenize(pending + line)
	refs, aliases := tableRefs(allToks, cat)
	if dot := strings.LastIndexByte(word, '.'); dot >= 0 {
		return word, qualifiedNames(cat, aliases, word[:dot], word[dot+1:])
	}
	var relNames []string
	for _, r := range cat.relations {
		relNames = append(relNames, quoteIdent(r.Name))
	}
	if wantsRelations(toks, text, word) {
		return word, matching(relNames, word)
	}
	return word, wordCandidates(cat, refs, relNames, word)
}

// typedWord is the word being typed at the end of text: identifier
// characters, dots, quotes and $ back from the cursor.
func typedWord(text string) string {
	i := len(text)
	for i > 0 && (isIdentByte(text[i-1]) || text[i-1] == '.' || text[i-1] == '"' || text[i-1] == '$') {
		i--
	}
	return text[i:]
}

// qualifiedNames completes qual.part: the columns of the relation or alias
// qual, or the relations of the schema qual.
func qualifiedNames(cat *catalog, aliases map[string]*relation, qual, part string) []string {
	var cols []string
	if r, ok := aliases[strings.ToLower(unquoteIdent(qual))]; ok {
		cols = columnNames(r)
	} else if r, ok := cat.lookup(qual); ok {
		cols = columnNames(r)
	} else {
		// schema-qualified relation names
		for _, r := range cat.relations {
			if strings.HasPrefix(strings.ToLower(r.Name), strings.ToLower(qual)+".") {
				cols = append(cols, r.Name[len(qual)+1:])
			}
		}
	}
	var cands []string
	for _, c := range matching(cols, part) {
		cands = append(cands, qual+"."+c)
	}
	return cands
}

// wantsRelations reports whether what came before the word being typed
// asks for a table or view: FROM, JOIN, INTO…, or a comma in a FROM list.
func wantsRelations(toks []token, text, word string) bool {
	prev := ""
	n := len(toks)
	if n > 0 && toks[n-1].start+len(toks[n-1].text) == len(text) && word != "" {
		n-- // the word itself
	}
	if n > 0 {
		prev = toks[n-1].upper()
	}
	if prev != "," {
		return relationKeywords[prev]
	}
	for k := n - 2; k >= 0; k-- {
		u := toks[k].upper()
		if u == "FROM" || u == "JOIN" {
			return true
		}
		if clauseKeywords[u] {
			break
		}
	}
	return false
}

// wordCandidates completes a bare word: the columns of the statement's
// relations first, then relations and keywords (in the case typed).
func wordCandidates(cat *catalog, refs []*relation, relNames []string, word string) []string {
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
	cands := matching(colNames, word)
	if word == "" {
		return cands
	}
	kws := matching(cat.keywords, word)
	if strings.ToLower(word) == word {
		for i, k := range kws {
			kws[i] = strings.ToLower(k)
		}
	}
	for _, c := range append(matching(relNames, word), kws...) {
		if !slices.Contains(cands, c) {
			cands = append(cands, c)
		}
	}
	return cands
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
