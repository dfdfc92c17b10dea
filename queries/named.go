// Package queries holds slackaudit's named SQL (embedded .sql files), the
// runner that binds their parameters, the result formatters and the shell.
package queries

import (
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

//go:embed *.sql
var sqlFiles embed.FS

// Param is one parameter of a named query, bound as $name.
type Param struct {
	Name        string
	Type        string // INTEGER, DOUBLE, VARCHAR, BOOLEAN or DATE
	Default     string // used when the caller gives none; empty means required
	Description string
}

// Named is a named query: a .sql file whose header names and describes it.
//
//	-- name: inactive_paid_seats
//	-- description: Paid seats nobody has used in the last $days days.
//	-- param: days INTEGER 90 Days without use after which a seat counts as inactive.
//
// An optional "-- group: report" header files it under a group: listings
// show a group's queries after the others, under the group's title.
type Named struct {
	Name        string
	Description string
	Params      []Param
	SQL         string
	Group       string // "" or GroupReport
}

// GroupReport is the group of the queries slackaudit report reads its
// sections through; they run on their own like any other.
const GroupReport = "report"

// GroupTitle is the heading a listing shows above a group's queries.
func GroupTitle(group string) string {
	switch group {
	case GroupReport:
		return "Sections of slackaudit report (the report runs these; run them on their own too):"
	}
	return ""
}

var named = mustLoad()

func mustLoad() []Named {
	out, err := load(sqlFiles)
	if err != nil {
		panic(err)
	}
	return out
}

var headerRE = regexp.MustCompile(`^--\s*(name|description|param|group):\s*(.*)$`)

// identRE is what a query or parameter name must be: an ASCII identifier,
// usable as a file name and as a bound $parameter.
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func load(fsys fs.FS) ([]Named, error) {
	files, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var out []Named
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		n, err := parse(string(b))
		if err != nil {
			return nil, fmt.Errorf("queries/%s: %w", f, err)
		}
		if n.Name+".sql" != f {
			return nil, fmt.Errorf("queries/%s: header names it %q; the file must be called %s.sql", f, n.Name, n.Name)
		}
		out = append(out, n)
	}
	// Ungrouped queries first, then each group's; by name within each.
	slices.SortStableFunc(out, func(a, b Named) int { return strings.Compare(a.Group, b.Group) })
	return out, nil
}

// parse reads a named query's header and SQL. The name and every parameter
// name are identifiers, and parameter names are unique.
func parse(text string) (Named, error) {
	var n Named
	var body []string
	inHeader := true
	for _, line := range strings.Split(text, "\n") {
		m := headerRE.FindStringSubmatch(strings.TrimSpace(line))
		if inHeader && m != nil {
			if err := n.header(m[1], m[2]); err != nil {
				return n, err
			}
			continue
		}
		if inHeader && strings.HasPrefix(strings.TrimSpace(line), "--") {
			continue
		}
		inHeader = false
		body = append(body, line)
	}
	n.SQL = strings.TrimSpace(strings.Join(body, "\n"))
	switch {
	case n.Name == "":
		return n, fmt.Errorf("missing '-- name:' header")
	case !identRE.MatchString(n.Name):
		return n, fmt.Errorf("name %q: use letters, digits and underscores, starting with a letter", n.Name)
	case n.Description == "":
		return n, fmt.Errorf("missing '-- description:' header")
	case n.SQL == "":
		return n, fmt.Errorf("no SQL after the header")
	}
	return n, nil
}

// header applies one header line (key: value) to n.
func (n *Named) header(key, value string) error {
	switch key {
	case "name":
		if n.Name != "" {
			return fmt.Errorf("two '-- name:' headers (%q and %q)", n.Name, strings.TrimSpace(value))
		}
		n.Name = strings.TrimSpace(value)
	case "description":
		if n.Description != "" {
			n.Description += " "
		}
		n.Description += strings.TrimSpace(value)
	case "group":
		if n.Group != "" {
			return fmt.Errorf("two '-- group:' headers (%q and %q)", n.Group, strings.TrimSpace(value))
		}
		n.Group = strings.TrimSpace(value)
		if GroupTitle(n.Group) == "" {
			return fmt.Errorf("group %q: the only group is %s", n.Group, GroupReport)
		}
	case "param":
		p, err := parseParam(value)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(n.Params, func(q Param) bool { return q.Name == p.Name }) {
			return fmt.Errorf("param %s is declared twice", p.Name)
		}
		n.Params = append(n.Params, p)
	}
	return nil
}

// parseParam reads "name TYPE [default|-] description".
func parseParam(s string) (Param, error) {
	f := strings.Fields(s)
	if len(f) < 3 {
		return Param{}, fmt.Errorf("param %q: want 'name TYPE default description' (default '-' for required)", s)
	}
	p := Param{Name: f[0], Type: strings.ToUpper(f[1]), Default: f[2], Description: strings.Join(f[3:], " ")}
	if !identRE.MatchString(p.Name) {
		return Param{}, fmt.Errorf("param %q: name it with letters, digits and underscores, starting with a letter", p.Name)
	}
	if p.Default == "-" {
		p.Default = ""
	}
	if _, err := p.convert("", true); err != nil && p.Default != "" {
		return Param{}, fmt.Errorf("param %s: default %q: %w", p.Name, p.Default, err)
	}
	switch p.Type {
	case "INTEGER", "DOUBLE", "VARCHAR", "BOOLEAN", "DATE":
	default:
		return Param{}, fmt.Errorf("param %s: unknown type %s", p.Name, p.Type)
	}
	return p, nil
}

// convert turns the text value (or the default) into a Go value of the
// parameter's type.
func (p Param) convert(v string, useDefault bool) (any, error) {
	if useDefault {
		v = p.Default
	}
	switch p.Type {
	case "INTEGER":
		return strconv.ParseInt(v, 10, 64)
	case "DOUBLE":
		return strconv.ParseFloat(v, 64)
	case "BOOLEAN":
		return strconv.ParseBool(v)
	case "DATE":
		return time.Parse("2006-01-02", v)
	}
	return v, nil
}

// All returns every named query: the ungrouped ones sorted by name, then
// each group's (see [GroupTitle]) sorted by name.
func All() []Named { return slices.Clone(named) }

// Names lists the named queries.
func Names() []string {
	out := make([]string, len(named))
	for i, n := range named {
		out[i] = n.Name
	}
	return out
}

// Lookup finds a named query; the error lists the valid names.
func Lookup(name string) (Named, error) {
	for _, n := range named {
		if n.Name == name {
			return n, nil
		}
	}
	return Named{}, fmt.Errorf("no named query %q; named queries: %s", name, strings.Join(Names(), ", "))
}

// Args validates the given parameters against the query's and returns them as
// bound arguments, with defaults for those not given. Values are bound, never
// spliced into the SQL.
func (n Named) Args(given map[string]string) ([]any, error) {
	for k := range given {
		if !slices.ContainsFunc(n.Params, func(p Param) bool { return p.Name == k }) {
			return nil, fmt.Errorf("named query %s has no parameter %q; %s", n.Name, k, n.paramList())
		}
	}
	args := make([]any, 0, len(n.Params))
	for _, p := range n.Params {
		v, ok := given[p.Name]
		if !ok && p.Default == "" {
			return nil, fmt.Errorf("named query %s needs --param %s=… (%s)", n.Name, p.Name, p.Description)
		}
		val, err := p.convert(v, !ok)
		if err != nil {
			return nil, fmt.Errorf("parameter %s of %s: %q is not a valid %s", p.Name, n.Name, v, p.Type)
		}
		args = append(args, sql.Named(p.Name, val))
	}
	return args, nil
}

func (n Named) paramList() string {
	if len(n.Params) == 0 {
		return "it takes none"
	}
	parts := make([]string, len(n.Params))
	for i, p := range n.Params {
		parts[i] = p.Name + " (" + p.Type + ")"
	}
	return "its parameters: " + strings.Join(parts, ", ")
}

// ParseParams reads k=v pairs.
func ParseParams(pairs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("parameter %q: want name=value", kv)
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, nil
}
