package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"slackaudit/queries"
	"slackaudit/queries/textcell"
)

func (s *Shell) dotTables(ctx context.Context, args []string) error {
	if len(args) > 1 {
		return usage("tables")
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		return err
	}
	pattern := ""
	if len(args) == 1 {
		pattern = args[0]
	}
	var rows [][]any
	for _, r := range cat.relations {
		if pattern != "" && !nameMatches(r.Name, pattern) {
			continue
		}
		var n any
		if r.Rows.Valid {
			n = r.Rows.Int64
		}
		rows = append(rows, []any{r.Name, r.Kind, n, r.Comment})
	}
	if len(rows) == 0 && pattern != "" {
		return fmt.Errorf("no table or view matches %q; .tables lists them all", pattern)
	}
	return s.writeValues([]queries.Column{{Name: "name", Type: "VARCHAR"}, {Name: "kind", Type: "VARCHAR"},
		{Name: "rows", Type: "BIGINT"}, {Name: "description", Type: "VARCHAR"}}, rows, false)
}

// nameMatches matches a .tables pattern: * and ? are wildcards (so are %
// and _ when the pattern has no * or ?); without wildcards it is a
// substring. Case is ignored.
func nameMatches(name, pattern string) bool {
	name, pattern = strings.ToLower(name), strings.ToLower(pattern)
	if !strings.ContainsAny(pattern, "*?%") {
		return strings.Contains(name, pattern)
	}
	if !strings.ContainsAny(pattern, "*?") {
		pattern = strings.NewReplacer("%", "*", "_", "?").Replace(pattern)
	}
	pattern = strings.NewReplacer("[", `\[`, `\`, `\\`).Replace(pattern)
	ok, _ := path.Match(pattern, name)
	return ok
}

// writeValues writes a Go-built result with the session's settings, wrapping
// long descriptions in table output instead of cutting them.
func (s *Shell) writeValues(cols []queries.Column, rows [][]any, wrap bool) error {
	w, terminal, done := s.target()
	defer done()
	opts := s.writeOptions(terminal)
	opts.MaxRows = 0
	opts.Wrap = wrap
	if s.nullValue == "" && opts.Format != queries.CSV {
		opts.NullValue = "-" // a view's row count: not known, rather than NULL
	}
	_, err := queries.WriteValues(w, cols, rows, opts)
	return err
}

func (s *Shell) lookupRelation(ctx context.Context, name string) (*relation, error) {
	cat, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	r, ok := cat.lookup(name)
	if !ok {
		cat, err = s.reloadCatalog(ctx)
		if err != nil {
			return nil, err
		}
		if r, ok = cat.lookup(name); !ok {
			msg := fmt.Sprintf("no table or view called %q", name)
			if sim := cat.similar(name); len(sim) > 0 {
				msg += "; did you mean " + strings.Join(sim, ", ") + "?"
			} else {
				msg += "; .tables lists them"
			}
			return nil, errors.New(msg)
		}
	}
	return r, nil
}

func (s *Shell) reloadCatalog(ctx context.Context) (*catalog, error) {
	s.cat = nil
	return s.catalog(ctx)
}

func (s *Shell) dotDescribe(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return usage("describe")
	}
	r, err := s.lookupRelation(ctx, args[0])
	if err != nil {
		return err
	}
	if s.mode != queries.CSV && s.mode != queries.JSON && s.mode != queries.JSONL {
		w, terminal, _ := s.peekTarget()
		title := r.Name + " (" + r.Kind
		if r.Rows.Valid {
			title += ", about " + queries.Thousands(r.Rows.Int64) + " " + plural(r.Rows.Int64, "row", "rows")
		}
		title += ")"
		if r.Comment != "" {
			title += ": " + r.Comment
		}
		width := 0
		if terminal {
			width = s.width()
		}
		for _, l := range wrapText(title, width) {
			fmt.Fprintln(w, l)
		}
	}
	rows := make([][]any, len(r.Columns))
	for i, c := range r.Columns {
		rows[i] = []any{c.Name, c.Type, c.Comment}
	}
	return s.writeValues([]queries.Column{{Name: "column", Type: "VARCHAR"}, {Name: "type", Type: "VARCHAR"},
		{Name: "description", Type: "VARCHAR"}}, rows, true)
}

// peekTarget is target without consuming a .once file.
func (s *Shell) peekTarget() (io.Writer, bool, func() error) {
	switch {
	case s.onceFile != nil:
		return s.onceFile, false, nil
	case s.outFile != nil:
		return s.outFile, false, nil
	}
	return s.stdout, s.stdoutTerm, nil
}

// wrapText breaks text into lines of at most width cells at spaces; width 0
// means no limit. A word longer than width has a line of its own.
func wrapText(text string, width int) []string {
	if width <= 0 {
		return []string{text}
	}
	var lines []string
	var cur strings.Builder
	n := 0
	for _, word := range strings.Fields(text) {
		wl := textcell.Width(word)
		if n > 0 && n+1+wl > width {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(word)
		n += wl
	}
	if n > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

func (s *Shell) dotSchema(ctx context.Context, args []string) error {
	if len(args) > 1 {
		return usage("schema")
	}
	var rels []*relation
	if len(args) == 1 {
		r, err := s.lookupRelation(ctx, args[0])
		if err != nil {
			return err
		}
		rels = append(rels, r)
	} else {
		cat, err := s.catalog(ctx)
		if err != nil {
			return err
		}
		for i := range cat.relations {
			rels = append(rels, &cat.relations[i])
		}
	}
	w, _, done := s.target()
	defer done()
	for i, r := range rels {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprint(w, ddl(r))
	}
	return nil
}

// ddl writes a relation's CREATE statement with its comments: the table's
// above it, each column's beside it.
func ddl(r *relation) string {
	var b strings.Builder
	for _, l := range wrapText(r.Comment, 100) {
		if l != "" {
			fmt.Fprintf(&b, "-- %s\n", l)
		}
	}
	if r.Kind == "view" && r.SQL != "" {
		b.WriteString(strings.TrimRight(strings.TrimSpace(r.SQL), ";") + ";\n")
		return b.String()
	}
	fmt.Fprintf(&b, "CREATE TABLE %s (\n", quoteName(r.Name))
	defs := make([]string, len(r.Columns))
	width := 0
	for i, c := range r.Columns {
		defs[i] = "  " + quoteIdent(c.Name) + " " + c.Type
		if !c.Nullable {
			defs[i] += " NOT NULL"
		}
		if i < len(r.Columns)-1 {
			defs[i] += ","
		}
		width = max(width, len(defs[i]))
	}
	for i, c := range r.Columns {
		if c.Comment == "" {
			fmt.Fprintln(&b, defs[i])
			continue
		}
		fmt.Fprintf(&b, "%-*s -- %s\n", width, defs[i], strings.ReplaceAll(c.Comment, "\n", " "))
	}
	b.WriteString(");\n")
	return b.String()
}

// quoteName quotes each part of a possibly qualified name as needed.
func quoteName(name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = quoteIdent(p)
	}
	return strings.Join(parts, ".")
}

func (s *Shell) dotQueries(_ context.Context, args []string) error {
	if len(args) > 0 {
		return usage("queries")
	}
	w, terminal, done := s.target()
	defer done()
	width := 0
	if terminal {
		width = s.width()
	}
	group := ""
	for i, n := range queries.All() {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if n.Group != group {
			group = n.Group
			fmt.Fprintf(w, "%s\n\n", queries.GroupTitle(group))
		}
		writeNamed(w, n, width)
	}
	return nil
}

// writeNamed describes one named query, its parameters and how to run it,
// wrapped to width (0: no wrapping).
func writeNamed(w io.Writer, n queries.Named, width int) {
	fmt.Fprintln(w, n.Name)
	for _, l := range wrapText(n.Description, width-4) {
		fmt.Fprintf(w, "    %s\n", l)
	}
	example := ".run " + n.Name
	for _, p := range n.Params {
		def := "required"
		if p.Default != "" {
			def = "default " + p.Default
		}
		for j, l := range wrapText(fmt.Sprintf("%s %s (%s): %s", p.Name, p.Type, def, p.Description), width-6) {
			if j == 0 {
				fmt.Fprintf(w, "    %s\n", l)
			} else {
				fmt.Fprintf(w, "      %s\n", l)
			}
		}
		v := p.Default
		if v == "" {
			v = "…"
		}
		example += " " + p.Name + "=" + v
	}
	fmt.Fprintf(w, "    %s\n", example)
}

func (s *Shell) dotRun(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: .run NAME [param=value ...]; named queries: %s", strings.Join(queries.Names(), ", "))
	}
	n, err := queries.Lookup(args[0])
	if err != nil {
		return err
	}
	given, err := queries.ParseParams(args[1:])
	if err != nil {
		return err
	}
	bound, err := n.Args(given)
	if err != nil {
		return errors.New(strings.ReplaceAll(err.Error(), "--param ", ".run "+n.Name+" "))
	}
	return s.execSQL(ctx, n.SQL, bound...)
}
