package slackapi

import (
	"context"
	"fmt"
	"hash/maphash"
	"maps"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
)

// Stats counts what reading with one context did: records Slack listed
// more than once, of which one was kept, and the requests made per method.
// A caller that wants the counts attaches a Stats to the context it reads
// with (WithStats), as net/http/httptrace attaches hooks to a request's
// context.
type Stats struct {
	duplicates atomic.Int64
	mu         sync.Mutex
	calls      map[string]int64
}

// Duplicates is how many repeated records were dropped.
func (s *Stats) Duplicates() int64 { return s.duplicates.Load() }

// Calls are the requests made per method, retries included.
func (s *Stats) Calls() map[string]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

// countCall adds a request to method to the context's Stats, if any.
func countCall(ctx context.Context, method string) {
	if s, ok := ctx.Value(statsKey{}).(*Stats); ok {
		s.mu.Lock()
		if s.calls == nil {
			s.calls = map[string]int64{}
		}
		s.calls[method]++
		s.mu.Unlock()
	}
}

type statsKey struct{}

// WithStats returns a context whose reads count into the returned Stats.
func WithStats(ctx context.Context) (context.Context, *Stats) {
	s := &Stats{}
	return context.WithValue(ctx, statsKey{}, s), s
}

// countDuplicates adds n dropped repeats to the context's Stats, if any.
func countDuplicates(ctx context.Context, n int64) {
	if s, ok := ctx.Value(statsKey{}).(*Stats); ok && n > 0 {
		s.duplicates.Add(n)
	}
}

// dedup remembers the records of one data set by key, so a record Slack
// lists twice is kept once. Keys are 64-bit hashes: a few bytes a record
// whatever the IDs' length; two different keys share a hash about once in
// 10^19 pairs. They live in an open-addressing set of at most 3/4 load,
// about 11–21 bytes a record, where a map costs about twice that.
type dedup struct {
	h    maphash.Hash
	seen hashSet
}

func newDedup() *dedup {
	d := &dedup{}
	d.h.SetSeed(maphash.MakeSeed())
	return d
}

// key hashes the parts of a record's key.
func (d *dedup) key(parts ...string) uint64 {
	d.h.Reset()
	for _, s := range parts {
		d.h.WriteString(s)
		d.h.WriteByte(0)
	}
	return d.h.Sum64()
}

// add remembers k and reports whether it is new.
func (d *dedup) add(k uint64) bool { return d.seen.add(k) }

// hashSet is a set of 64-bit hashes with linear probing. Slot value 0
// means empty, so the key 0 is kept aside in zero.
type hashSet struct {
	slots []uint64 // a power of two long
	n     int      // keys in slots
	zero  bool     // the key 0 is in the set
}

// add inserts k and reports whether it was absent.
func (s *hashSet) add(k uint64) bool {
	if k == 0 {
		had := s.zero
		s.zero = true
		return !had
	}
	if (s.n+1)*4 > len(s.slots)*3 {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := k & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case k:
			return false
		case 0:
			s.slots[i] = k
			s.n++
			return true
		}
	}
}

// grow doubles the slots (1,024 at first) and re-inserts every key.
func (s *hashSet) grow() {
	old := s.slots
	s.slots = make([]uint64, max(2*len(old), 1024))
	s.n = 0
	for _, k := range old {
		if k != 0 {
			s.add(k)
		}
	}
}

// maxEmptyPages is how many pages in a row may list nothing yet give a next
// cursor (Slack may return short pages) before paging counts as stuck.
const maxEmptyPages = 5

// pager reads one paged list, for every paged method: it asks for page
// after page, decodes each (listSpec), keeps each record once by key, and
// ends with an error naming the method when Slack's paging stops making
// progress: a cursor that comes back, a page that lists only records
// already read, or empty pages that keep giving cursors.
type pager[T any] struct {
	c      *Client
	spec   listSpec[T]
	team   string     // workspace or enterprise: labels errors
	params url.Values // sent with every page
	key    func(d *dedup, it *T) uint64
	// expected, when set, says that a repeat of it is expected (the
	// access log's restart boundary) rather than Slack listing it twice.
	expected func(it *T) bool

	seen  *dedup
	pages int // pages read, across every run
	empty int // pages in a row that listed nothing but gave a cursor
}

func newPager[T any](c *Client, spec listSpec[T], team string, params url.Values, key func(*dedup, *T) uint64) *pager[T] {
	return &pager[T]{c: c, spec: spec, team: team, params: params, key: key, seen: newDedup()}
}

// byCursor reads every page of a cursor-paged list, calling each for every
// record not read before.
func (p *pager[T]) byCursor(ctx context.Context, each func(*T) error) error {
	cursors := map[string]int{} // cursor → the page that gave it
	cursor := ""
	for {
		pg, err := p.fetch(ctx, "cursor", cursor)
		if err != nil {
			return err
		}
		if err := p.take(ctx, pg, each); err != nil {
			return err
		}
		if pg.next == "" {
			return nil
		}
		if first, ok := cursors[pg.next]; ok {
			return p.stalled("Slack returned cursor %s again after %d pages (page %d gave it first)",
				quoteShort(pg.next), p.pages, first)
		}
		cursors[pg.next] = p.pages
		cursor = pg.next
	}
}

// byPage reads count/page paging: page 1, 2, … until a page is short or
// paging.pages is reached, or maxPages pages were read (0: no cap), which
// capped reports. A listing that ends before paging.total says it does
// (a short or empty page amid it, or paging that always claims one more
// page) fails, naming the method: the records after it were never read.
func (p *pager[T]) byPage(ctx context.Context, size, maxPages int, each func(*T) error) (capped bool, err error) {
	p.params.Set("count", strconv.Itoa(size))
	for n := 1; maxPages <= 0 || n <= maxPages; n++ {
		pg, err := p.fetch(ctx, "page", strconv.Itoa(n))
		if err != nil {
			return false, err
		}
		if err := p.take(ctx, pg, each); err != nil {
			return false, err
		}
		if len(pg.items) < size || (pg.pages > 0 && n >= pg.pages) {
			return false, p.endsWhole(n, size, pg)
		}
	}
	return true, nil
}

// endsWhole checks that a count/page listing ending at page n, whose
// pages hold size records, listed every record paging.total counts.
func (p *pager[T]) endsWhole(n, size int, pg page[T]) error {
	listed := (n-1)*size + len(pg.items)
	if pg.total < 0 || listed >= pg.total {
		return nil
	}
	return &Error{Method: p.spec.method, TeamID: p.team, Kind: KindMalformed,
		Detail: fmt.Sprintf("paging ended short: page %d listed %d of the %d asked for, yet paging counts %d in all over %s, leaving %d unlisted",
			n, len(pg.items), size, pg.total, plural(pg.pages, "page"), pg.total-listed)}
}

// fetch reads and decodes one page, with param set to value.
func (p *pager[T]) fetch(ctx context.Context, param, value string) (page[T], error) {
	p.params.Set(param, value)
	method := p.spec.method
	body, err := p.c.body(ctx, method, p.params)
	if err != nil {
		return page[T]{}, classify(method, p.team, err)
	}
	p.pages++
	pg, err := p.spec.decode(body)
	if err != nil {
		err = classify(method, p.team, err)
		if e, ok := err.(*Error); ok && p.pages > 1 && e.Kind == KindMalformed {
			e.Detail = fmt.Sprintf("page %d: %s", p.pages, e.Detail)
		}
		return pg, err
	}
	return pg, nil
}

// take passes the page's new records to each and drops repeats, counting
// the unexpected ones; a page of nothing but unexpected repeats, or too
// many empty pages in a row, stops paging.
func (p *pager[T]) take(ctx context.Context, pg page[T], each func(*T) error) error {
	var fresh, expected, repeats int
	for i := range pg.items {
		it := &pg.items[i]
		switch {
		case p.seen.add(p.key(p.seen, it)):
			fresh++
			if err := each(it); err != nil {
				return err
			}
		case p.expected != nil && p.expected(it):
			expected++
		default:
			repeats++
		}
	}
	countDuplicates(ctx, int64(repeats))
	switch {
	case repeats > 0 && fresh == 0 && expected == 0:
		return p.stalled("page %d listed only records already read (%d)", p.pages, repeats)
	case len(pg.items) > 0:
		p.empty = 0
	case pg.next != "":
		if p.empty++; p.empty > maxEmptyPages {
			return p.stalled("%d pages in a row listed nothing yet gave a next cursor", p.empty)
		}
	}
	return nil
}

func (p *pager[T]) stalled(format string, args ...any) error {
	return &Error{Method: p.spec.method, TeamID: p.team, Kind: KindMalformed,
		Detail: "paging stopped making progress: " + fmt.Sprintf(format, args...)}
}

// plural is "1 account" or "2 accounts".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
