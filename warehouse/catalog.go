package warehouse

import (
	"errors"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/warehouse/schema"
)

// Catalog is every table and view of a warehouse: the tables a caller's
// data sets and derived tables land in, declared as Arrow schemas with
// warehouse/schema, and the warehouse's own bookkeeping tables (sync_runs,
// source_status, actions_log) with the views of each. Its DDL is generated
// from the schemas.
type Catalog struct {
	tables []table
	views  []schema.View
}

// NewCatalog is the catalogue of a warehouse holding tables, in that order
// between the sync's bookkeeping tables and the actions log. Each must be
// declared with warehouse/schema as a snapshot or history table, with
// types the warehouse stores; no two tables or views may share a name.
func NewCatalog(tables []*arrow.Schema) (*Catalog, error) {
	all := slices.Concat([]*arrow.Schema{syncRunsSchema, sourceStatusSchema}, tables, []*arrow.Schema{actionsLogSchema})
	c := &Catalog{}
	seen := map[string]bool{}
	for i, s := range all {
		t, err := newTable(s)
		if err != nil {
			return nil, fmt.Errorf("warehouse tables: %w", err)
		}
		own := i < 2 || i == len(all)-1
		if t.Kind == schema.Log && !own {
			return nil, fmt.Errorf("warehouse tables: %s is a log table: a sync loads snapshot and history tables; logs are the warehouse's own", t.Name)
		}
		for _, n := range append([]string{t.Name}, viewNames(t.Views)...) {
			if seen[n] {
				return nil, fmt.Errorf("warehouse tables: two tables or views are called %s", n)
			}
			seen[n] = true
		}
		c.tables = append(c.tables, t)
		c.views = append(c.views, t.Views...)
	}
	return c, nil
}

func viewNames(vs []schema.View) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Name
	}
	return out
}

// ownCatalog is the catalogue of a warehouse opened without its tables
// (read-only): the warehouse's own tables alone.
func ownCatalog() *Catalog {
	c, err := NewCatalog(nil)
	if err != nil {
		panic(err) // the warehouse's own declarations are wrong: every test finds it
	}
	return c
}

// TableNames lists the tables in catalogue order.
func (c *Catalog) TableNames() []string {
	out := make([]string, len(c.tables))
	for i, t := range c.tables {
		out[i] = t.Name
	}
	return out
}

// ViewNames lists the views, those of each table in catalogue order.
func (c *Catalog) ViewNames() []string { return viewNames(c.views) }

// Schemas are every table's schema, the warehouse's own included, in
// catalogue order.
func (c *Catalog) Schemas() []*arrow.Schema {
	out := make([]*arrow.Schema, len(c.tables))
	for i, t := range c.tables {
		out[i] = t.arrow
	}
	return out
}

// lookup returns the table called name.
func (c *Catalog) lookup(name string) (table, bool) {
	i := slices.IndexFunc(c.tables, func(t table) bool { return t.Name == name })
	if i < 0 {
		return table{}, false
	}
	return c.tables[i], true
}

// errNoTables is a warehouse opened for writing without the tables it holds.
var errNoTables = errors.New("opening the warehouse for writing needs the tables it holds (warehouse.Options.Tables: pipeline.Tables())")
