// Package schema declares slackaudit's tables once, as Arrow schemas that
// carry what the warehouse needs to create them: the table's name, kind and
// comment in the schema's metadata, each column's comment in its field's
// metadata (CloudQuery's convention), and the views derived from the table.
// Data sets (extract), derived tables (transform) and the warehouse's own
// bookkeeping tables are all declared with it; the warehouse generates its
// DDL from the schemas it is given (warehouse.Options.Tables).
//
// The package imports only Arrow, so extract and transform use it without
// DuckDB, and the warehouse without extract or transform.
package schema

import (
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Metadata keys. A schema's metadata holds KeyTable, KeyKind and KeyComment,
// and for each view KeyView+name (its SQL) and KeyViewComment+name; each
// field's metadata holds KeyComment.
const (
	KeyTable       = "slackaudit:table"
	KeyKind        = "slackaudit:kind"
	KeyComment     = "slackaudit:comment"
	KeyView        = "slackaudit:view:"
	KeyViewComment = "slackaudit:view-comment:"
)

// Table is a table as declared: what Declare turns into a schema and
// Describe reads back.
type Table struct {
	Name    string
	Kind    Kind
	Comment string // the table's DuckDB COMMENT: what a row is, where it comes from
	Columns []Column
	// Views are derived from the table (and may read others); the
	// warehouse recreates them on every writable open.
	Views []View
}

// Column is one column: its Arrow type decides its DuckDB type. Comment
// explains the Slack field behind it; the shell's .describe shows it.
type Column struct {
	Name     string
	Type     arrow.DataType
	Nullable bool
	Comment  string
}

// View is a view over the warehouse's tables.
type View struct {
	Name    string
	Comment string
	SQL     string // the SELECT the view is made of
}

// Declare returns t as an Arrow schema. A table declared without a name, a
// kind, or a comment on itself or any column is a programming error: it
// panics, so every test that loads the package finds it.
func Declare(t Table) *arrow.Schema {
	if err := t.check(); err != nil {
		panic(err)
	}
	keys := []string{KeyTable, KeyKind, KeyComment}
	vals := []string{t.Name, t.Kind.String(), t.Comment}
	for _, v := range t.Views {
		keys = append(keys, KeyView+v.Name, KeyViewComment+v.Name)
		vals = append(vals, v.SQL, v.Comment)
	}
	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type, Nullable: c.Nullable,
			Metadata: arrow.NewMetadata([]string{KeyComment}, []string{c.Comment})}
	}
	md := arrow.NewMetadata(keys, vals)
	return arrow.NewSchema(fields, &md)
}

// Describe reads back the table a schema declares. Its error names what is
// missing, for schemas not made by Declare.
func Describe(s *arrow.Schema) (Table, error) {
	if s == nil {
		return Table{}, errors.New("schema: no schema")
	}
	md := s.Metadata()
	name, _ := md.GetValue(KeyTable)
	t := Table{Name: name}
	t.Comment, _ = md.GetValue(KeyComment)
	kind, _ := md.GetValue(KeyKind)
	var err error
	if t.Kind, err = ParseKind(kind); err != nil {
		return Table{}, fmt.Errorf("schema of table %q: %w", name, err)
	}
	for _, f := range s.Fields() {
		comment, _ := f.Metadata.GetValue(KeyComment)
		t.Columns = append(t.Columns, Column{Name: f.Name, Type: f.Type, Nullable: f.Nullable, Comment: comment})
	}
	t.Views = views(md)
	return t, t.check()
}

// views reads the views out of a schema's metadata, in declaration order.
func views(md arrow.Metadata) []View {
	var out []View
	for i, k := range md.Keys() {
		name, ok := strings.CutPrefix(k, KeyView)
		if !ok {
			continue
		}
		comment, _ := md.GetValue(KeyViewComment + name)
		out = append(out, View{Name: name, SQL: md.Values()[i], Comment: comment})
	}
	return out
}

// TableName is the name of the table s declares; "" when s declares none.
func TableName(s *arrow.Schema) string {
	name, _ := s.Metadata().GetValue(KeyTable)
	return name
}

// check says what a declaration lacks.
func (t Table) check() error {
	switch {
	case t.Name == "":
		return errors.New("schema: a table needs a name (metadata " + KeyTable + ")")
	case t.Comment == "":
		return fmt.Errorf("schema: table %s needs a comment (metadata %s)", t.Name, KeyComment)
	case len(t.Columns) == 0:
		return fmt.Errorf("schema: table %s has no columns", t.Name)
	}
	if err := t.Kind.check(); err != nil {
		return fmt.Errorf("schema: table %s: %w", t.Name, err)
	}
	seen := map[string]bool{}
	for _, c := range t.Columns {
		switch {
		case c.Name == "" || c.Type == nil:
			return fmt.Errorf("schema: table %s has a column without a name or type", t.Name)
		case seen[c.Name]:
			return fmt.Errorf("schema: table %s declares %s twice", t.Name, c.Name)
		case c.Comment == "":
			return fmt.Errorf("schema: column %s.%s needs a comment (field metadata %s)", t.Name, c.Name, KeyComment)
		}
		seen[c.Name] = true
	}
	for _, v := range t.Views {
		if v.Name == "" || v.SQL == "" || v.Comment == "" {
			return fmt.Errorf("schema: view %q of table %s needs a name, SQL and a comment", v.Name, t.Name)
		}
	}
	return nil
}
