package pipeline

import (
	"context"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"slackaudit/extract"
)

// DefaultMemoryBudget is Options.MemoryBudget when zero.
const DefaultMemoryBudget = 1 << 30

// budget bounds the memory of the batches a sync holds: each data set
// being read holds about one batch, being built or waiting to land.
// Data sets start while their batch fits in what is left, and as many at
// once as the budget allows (at most limit, when set); one whose batch
// alone exceeds the budget starts when nothing else is being read.
type budget struct {
	mu      sync.Mutex
	free    int64
	running int
	limit   int           // most data sets at once; 0: no limit but memory
	freed   chan struct{} // closed, and replaced, when a data set ends
}

func newBudget(bytes int64, limit int) *budget {
	return &budget{free: bytes, limit: limit, freed: make(chan struct{})}
}

// acquire waits until cost fits, and takes it; false when ctx ended first.
func (b *budget) acquire(ctx context.Context, cost int64) bool {
	for {
		b.mu.Lock()
		fits := (cost <= b.free || b.running == 0) && (b.limit <= 0 || b.running < b.limit)
		if fits {
			b.free -= cost
			b.running++
			b.mu.Unlock()
			return true
		}
		freed := b.freed
		b.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return false
		}
	}
}

// release gives back what acquire took.
func (b *budget) release(cost int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.free += cost
	b.running--
	close(b.freed)
	b.freed = make(chan struct{})
}

// batchBytes is about how much memory one full batch of s takes:
// extract.MaxBatchRows rows of its columns, strings guessed at 24 bytes
// and lists at 4 strings.
func batchBytes(s *arrow.Schema) int64 {
	var row int64
	for _, f := range s.Fields() {
		row += valueBytes(f.Type) + 1 // and a validity bit, rounded up
	}
	return row * extract.MaxBatchRows
}

func valueBytes(t arrow.DataType) int64 {
	switch t := t.(type) {
	case arrow.FixedWidthDataType:
		return int64(max(t.BitWidth()/8, 1))
	case *arrow.ListType:
		return 4 + 4*valueBytes(t.Elem())
	default: // strings and binary: an offset and the bytes
		return 4 + 24
	}
}
