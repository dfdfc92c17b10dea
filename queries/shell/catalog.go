package shell

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// relation is a table or view in the warehouse, as DuckDB's catalog lists it.
type relation struct {
	Name    string // as the user types it: bare for the main schema and temp, else schema.name
	Kind    string // "table" or "view"
	Comment string
	Rows    sql.NullInt64 // DuckDB's estimate; NULL for views
	SQL     string        // a view's definition
	Columns []column
}

type column struct {
	Name, Type, Comment string
	Nullable            bool
}

// catalog is what completion and the catalog dot-commands know about the
// warehouse. It is read lazily and marked stale after DDL, .open and .sync.
type catalog struct {
	relations []relation // sorted by name
	keywords  []string   // upper case, from duckdb_keywords()
	loaded    bool
}

// queryer is the part of *sql.Conn the catalog reads through.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const relationsSQL = `
SELECT database_name, schema_name, table_name, 'table', coalesce(comment, ''), estimated_size, ''
FROM duckdb_tables() WHERE NOT internal
UNION ALL
SELECT database_name, schema_name, view_name, 'view', coalesce(comment, ''), NULL, coalesce(sql, '')
FROM duckdb_views() WHERE NOT internal`

const columnsSQL = `
SELECT database_name, schema_name, table_name, column_name, data_type, coalesce(comment, ''), is_nullable
FROM duckdb_columns() WHERE NOT internal
ORDER BY database_name, schema_name, table_name, column_index`

// loadCatalog reads the tables, views, columns and comments of every
// attached database, hiding hidden: the leftovers of an earlier version of
// slackaudit in the warehouse (see warehouse.DB.Leftovers).
func loadCatalog(ctx context.Context, q queryer, hidden []string) (*catalog, error) {
	var current string
	if err := scanOne(ctx, q, "SELECT current_database()", &current); err != nil {
		return nil, fmt.Errorf("reading the catalog: %w", err)
	}
	display := func(db, schema, name string) string {
		switch {
		case (db == current || db == "temp") && schema == "main":
			return name
		case db == current || db == "temp":
			return schema + "." + name
		}
		return db + "." + schema + "." + name
	}
	byKey := map[string]int{}
	c := &catalog{loaded: true}
	rows, err := q.QueryContext(ctx, relationsSQL)
	if err != nil {
		return nil, fmt.Errorf("reading the catalog: %w", err)
	}
	for rows.Next() {
		var db, schema string
		var r relation
		if err := rows.Scan(&db, &schema, &r.Name, &r.Kind, &r.Comment, &r.Rows, &r.SQL); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading the catalog: %w", err)
		}
		if db == current && schema == "main" && slices.Contains(hidden, r.Name) {
			continue
		}
		key := db + "\x00" + schema + "\x00" + r.Name
		r.Name = display(db, schema, r.Name)
		byKey[key] = len(c.relations)
		c.relations = append(c.relations, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the catalog: %w", err)
	}
	rows, err = q.QueryContext(ctx, columnsSQL)
	if err != nil {
		return nil, fmt.Errorf("reading the catalog: %w", err)
	}
	for rows.Next() {
		var db, schema, table string
		var col column
		if err := rows.Scan(&db, &schema, &table, &col.Name, &col.Type, &col.Comment, &col.Nullable); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading the catalog: %w", err)
		}
		if i, ok := byKey[db+"\x00"+schema+"\x00"+table]; ok {
			c.relations[i].Columns = append(c.relations[i].Columns, col)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the catalog: %w", err)
	}
	sort.SliceStable(c.relations, func(i, j int) bool { return c.relations[i].Name < c.relations[j].Name })

	rows, err = q.QueryContext(ctx, "SELECT DISTINCT upper(keyword_name) FROM duckdb_keywords() ORDER BY 1")
	if err == nil {
		for rows.Next() {
			var k string
			if rows.Scan(&k) == nil {
				c.keywords = append(c.keywords, k)
			}
		}
		rows.Close()
	}
	if len(c.keywords) == 0 {
		c.keywords = fallbackKeywords
	}
	return c, nil
}

func scanOne(ctx context.Context, q queryer, query string, dst ...any) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	return rows.Scan(dst...)
}

// lookup finds a relation by the name the user typed: exact first, then
// ignoring case and quotes, then by its bare name in any schema.
func (c *catalog) lookup(name string) (*relation, bool) {
	name = unquoteIdent(name)
	for i := range c.relations {
		if c.relations[i].Name == name {
			return &c.relations[i], true
		}
	}
	for i := range c.relations {
		if strings.EqualFold(c.relations[i].Name, name) {
			return &c.relations[i], true
		}
	}
	for i := range c.relations {
		n := c.relations[i].Name
		if j := strings.LastIndexByte(n, '.'); j >= 0 && strings.EqualFold(n[j+1:], name) {
			return &c.relations[i], true
		}
	}
	return nil, false
}

// similar lists relation names that contain name or start like it, for
// "did you mean" hints.
func (c *catalog) similar(name string) []string {
	name = strings.ToLower(unquoteIdent(name))
	var out []string
	for _, r := range c.relations {
		n := strings.ToLower(r.Name)
		if strings.Contains(n, name) || strings.Contains(name, n) || (len(name) >= 3 && strings.HasPrefix(n, name[:3])) {
			out = append(out, r.Name)
		}
	}
	return out
}

func unquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}

// quoteIdent quotes an identifier when it needs it.
func quoteIdent(s string) string {
	plain := s != ""
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9')) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// fallbackKeywords are offered when duckdb_keywords() cannot be read.
var fallbackKeywords = strings.Fields(`ALL AND ANY AS ASC BETWEEN BY CASE CAST COPY CREATE DELETE DESC DESCRIBE DISTINCT DROP ELSE END
EXCEPT EXISTS EXPLAIN FALSE FILTER FROM FULL GROUP HAVING ILIKE IN INNER INSERT INTERSECT INTERVAL INTO IS JOIN LEFT
LIKE LIMIT NOT NULL OFFSET ON OR ORDER OUTER OVER PARTITION QUALIFY RIGHT SELECT SET SHOW SUMMARIZE TABLE THEN TRUE
UNION UPDATE USING VALUES VIEW WHEN WHERE WINDOW WITH`)
