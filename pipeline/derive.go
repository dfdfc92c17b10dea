package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/extract"
	"slackaudit/warehouse"
)

// deriver computes tables from the batches a sync reads (pure Go over
// Arrow: the transform package). It sees every batch of its inputs once,
// then emits.
type deriver interface {
	Observe(table string, rec arrow.RecordBatch) error
	Emit(load func(table string, rec arrow.RecordBatch) error) error
}

// deriverSpec is a derived table's entry in the registry.
type deriverSpec struct {
	name string
	// inputs are the tables it observes: data sets, histories or other
	// derivers' outputs. It sees no other table.
	inputs []string
	// outputs are the tables it lands, declared in transform; landing
	// another is an error.
	outputs []*arrow.Schema
	new     func(p *plan) deriver
}

// lands reports whether the deriver declares table among its outputs.
func (d deriverSpec) lands(table string) bool {
	return slices.ContainsFunc(d.outputs, func(s *arrow.Schema) bool { return name(s) == table })
}

// orderDerivers puts the derivers in an order where each comes after the
// derivers whose outputs it reads, keeping registry order among those free
// to go. A deriver that reads a table nothing in the registry produces, two
// producers of one table, or a cycle, is an error: a sync must not land an
// empty table for want of its input.
func (r registry) orderDerivers() ([]deriverSpec, error) {
	produced := map[string]string{} // table → what produces it
	for _, g := range r.groups {
		for _, ds := range g.dataSets {
			produced[ds.name()] = "the data set " + ds.name()
		}
	}
	for _, h := range r.histories {
		produced[h.table] = "the data set " + h.table
	}
	outputs := map[string]string{}
	derivers := r.derivers()
	for _, d := range derivers {
		for _, t := range names(d.outputs...) {
			if by, ok := produced[t]; ok {
				return nil, fmt.Errorf("deriver %s lands %s, which %s lands too", d.name, t, by)
			}
			if by, ok := outputs[t]; ok {
				return nil, fmt.Errorf("deriver %s lands %s, which deriver %s lands too", d.name, t, by)
			}
			outputs[t] = d.name
		}
	}
	for _, d := range derivers {
		for _, in := range d.inputs {
			if _, ok := produced[in]; !ok && outputs[in] == "" {
				return nil, fmt.Errorf("deriver %s reads %s, which no data set, history or deriver produces", d.name, in)
			}
		}
	}
	return topoSort(derivers, produced)
}

// topoSort orders ds so that each comes after the producers of its inputs;
// ready holds the tables available before any deriver runs.
func topoSort(ds []deriverSpec, ready map[string]string) ([]deriverSpec, error) {
	have := map[string]bool{}
	for t := range ready {
		have[t] = true
	}
	left := slices.Clone(ds)
	out := make([]deriverSpec, 0, len(ds))
	for len(left) > 0 {
		i := slices.IndexFunc(left, func(d deriverSpec) bool {
			return !slices.ContainsFunc(d.inputs, func(in string) bool { return !have[in] })
		})
		if i < 0 {
			names := make([]string, len(left))
			for j, d := range left {
				names[j] = d.name
			}
			return nil, fmt.Errorf("derivers %s read each other's outputs in a cycle", strings.Join(names, ", "))
		}
		out = append(out, left[i])
		for _, t := range names(left[i].outputs...) {
			have[t] = true
		}
		left = slices.Delete(left, i, i+1)
	}
	return out, nil
}

// derivation is a sync's derivers, in order.
type derivation struct {
	steps []step
}

type step struct {
	spec deriverSpec
	d    deriver
}

// newDerivation makes the sync's derivers in order and shows them the
// history earlier syncs fetched.
func newDerivation(ctx context.Context, wr *warehouse.Run, p *plan, order []deriverSpec) (*derivation, error) {
	d := &derivation{}
	for _, s := range order {
		d.steps = append(d.steps, step{s, s.new(p)})
	}
	p.opts.Logger.Debug("derived tables planned", "order", strings.Join(d.names(), ", "))
	for _, h := range p.histories {
		if err := h.read(ctx, wr, p, func(rec arrow.RecordBatch) error { return d.observe(0, h.table, rec) }); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (d *derivation) names() []string {
	out := make([]string, len(d.steps))
	for i, s := range d.steps {
		out[i] = s.spec.name
	}
	return out
}

// observe shows rec, a batch of table, to the derivers from the from-th on
// that read table.
func (d *derivation) observe(from int, table string, rec arrow.RecordBatch) error {
	for _, s := range d.steps[from:] {
		if slices.Contains(s.spec.inputs, table) {
			if err := s.d.Observe(table, rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// emit loads each deriver's output, in order, and shows it to the
// derivers after it (licences read user_usage).
func (d *derivation) emit(ctx context.Context, wr *warehouse.Run) error {
	for i, s := range d.steps {
		err := s.d.Emit(func(table string, rec arrow.RecordBatch) error {
			if !s.spec.lands(table) {
				return fmt.Errorf("deriver %s landed %s, which it does not declare among its outputs", s.spec.name, table)
			}
			if err := wr.Load(ctx, table, rec); err != nil {
				return err
			}
			return d.observe(i+1, table, rec)
		})
		if err != nil {
			return fmt.Errorf("computing derived tables: %w", err)
		}
	}
	return nil
}

// A transform observes the tables it reads and emits batches of at most
// maxRows rows.
type observer interface {
	Observe(table string, rec arrow.RecordBatch) error
}

// oneTable is a deriver over a transform that lands one table (usage, apps).
type oneTable struct {
	table string
	t     interface {
		observer
		Emit(maxRows int, emit func(arrow.RecordBatch) error) error
	}
}

func (d oneTable) Observe(table string, rec arrow.RecordBatch) error { return d.t.Observe(table, rec) }

func (d oneTable) Emit(load func(string, arrow.RecordBatch) error) error {
	return d.t.Emit(extract.MaxBatchRows, func(rec arrow.RecordBatch) error { return load(d.table, rec) })
}

// manyTables is a deriver over a transform that names the table of each
// batch it lands (licences: licenses and seat_history).
type manyTables struct {
	t interface {
		observer
		Emit(maxRows int, load func(string, arrow.RecordBatch) error) error
	}
}

func (d manyTables) Observe(table string, rec arrow.RecordBatch) error {
	return d.t.Observe(table, rec)
}

func (d manyTables) Emit(load func(string, arrow.RecordBatch) error) error {
	return d.t.Emit(extract.MaxBatchRows, load)
}
