// Package pipeline owns a sync: it works out the connection mode and what
// to read from the token and the plan, reads the data sets concurrently,
// feeds the derivers in the order their declared inputs require, and lands
// everything in the warehouse as one snapshot. On any failure the previous
// snapshot stays whole and sync_runs records why. It prints nothing: the
// caller shows the Progress and the Result.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
	"slackaudit/transform"
	"slackaudit/warehouse"
)

// DefaultWindow is how far back daily analytics are read when
// Options.Window is zero.
const DefaultWindow = 90 * 24 * time.Hour

// Options are everything one sync needs; nothing is read from elsewhere.
type Options struct {
	Client *slackapi.Client // the Slack client, with its token
	DB     *warehouse.DB    // the warehouse, opened read-write
	// Team is one workspace (T…): the token's own when empty; with an
	// org-level token it limits the workspace data sets to that workspace.
	Team string
	// Mode is checked against what Slack says; DetectMode works it out.
	Mode Mode
	// Window is how far back daily analytics are read; DefaultWindow when zero.
	Window time.Duration
	// AsOf is the instant everything is computed against, kept to the
	// second in UTC; now when zero.
	AsOf time.Time
	// InactiveAfter is the Fair Billing window: a paid seat unused this
	// long is inactive (28 days when zero).
	InactiveAfter time.Duration
	// Prices are what licences are costed at (list prices when empty).
	Prices transform.Prices
	// Skip names data sets not to read this time: their tables are empty
	// in the snapshot and source_status says they were skipped.
	Skip map[string]bool
	// AllowShrink lets a sync land whose member count fell by more than
	// shrinkThreshold since the last successful sync.
	AllowShrink bool
	// Parallel is how many data sets are read at once; 4 when zero.
	Parallel int
	// Alloc allocates every Arrow batch the sync builds, in sources and
	// transforms; memory.DefaultAllocator when nil.
	Alloc memory.Allocator
	// Logger takes debug notes on the plan and each data set; none when nil.
	Logger *slog.Logger
	// Progress hears of rows landed and of rate-limit waits; none when nil.
	Progress Progress
}

// Progress is told how a sync is going, for a live progress line. Update
// is called from the loading goroutine, Wait from any source's goroutine:
// an implementation must be safe for concurrent use.
type Progress interface {
	// Update says that dataSet has landed rows rows so far.
	Update(dataSet string, rows int64)
	// Wait says that a call to method waits d for Slack's rate limit.
	Wait(method string, d time.Duration)
	// Done says that reading is over.
	Done()
}

// Result is what a finished sync reports.
type Result struct {
	RunID      int64
	Identity   slackapi.Identity
	Mode       Mode
	Title      string // what was synced, e.g. "Acme (T123, Slack Business+)"
	Workspaces []slackapi.Workspace
	AsOf       time.Time
	// Tables are the tables the sync lands and their rows, in the
	// warehouse's order (Tables).
	Tables []TableRows
	// Status says, per data set and workspace, whether it was read: first
	// what the mode cannot read or was skipped, then what was read.
	Status        []warehouse.SourceStatus
	APICalls      int64
	CallsByMethod string // the client's call summary, "users.list 3, …"
	Elapsed       time.Duration
}

// TableRows is one table of a snapshot and its row count.
type TableRows struct {
	Table string
	Rows  int64
}

// PanicError is a panic in one of a sync's goroutines, recovered so that it
// is reported as a bug with its stack instead of ending the process.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("internal error: %v", e.Value) }

// OptionError is an option that cannot be right for this sync, such as a
// Skip naming no data set: the caller's usage error.
type OptionError struct{ Msg string }

func (e *OptionError) Error() string { return e.Msg }

func optionErrorf(format string, args ...any) error {
	return &OptionError{Msg: fmt.Sprintf(format, args...)}
}

// errFreePlan stops a sync of a Free workspace.
var errFreePlan = errors.New("this workspace is on Slack Free; slackaudit needs Pro, Business+ or Enterprise Grid")

// Run reads the organisation through o.Client and lands a new snapshot in
// o.DB. On any failure the previous snapshot stays whole and sync_runs
// records why.
func Run(ctx context.Context, o Options) (*Result, error) {
	return runRegistry(ctx, o, defaultRegistry())
}

// runRegistry runs a sync of what reg lists. A registry whose derivers
// cannot be ordered fails here, before anything is read or recorded.
func runRegistry(ctx context.Context, o Options, reg registry) (*Result, error) {
	start := time.Now()
	if o.Client == nil || o.DB == nil {
		return nil, errors.New("sync: the options need a Slack client and a warehouse")
	}
	order, err := reg.orderDerivers()
	if err != nil {
		return nil, fmt.Errorf("planning the derived tables: %w", err)
	}
	o = o.withDefaults(start)
	wr, err := o.DB.BeginRun(ctx, warehouse.RunInfo{AsOf: o.AsOf, TeamID: o.Team, Mode: o.Mode.String(), APIURL: o.Client.APIURL()})
	if err != nil {
		return nil, err
	}
	p, status, err := readAndDerive(ctx, wr, reg, order, o)
	if err != nil {
		wr.APICalls = o.Client.TotalCalls()
		return nil, wr.Fail(ctx, err)
	}
	calls := o.Client.TotalCalls()
	if err := wr.Commit(ctx, calls); err != nil {
		return nil, err
	}
	res := &Result{RunID: wr.ID, Identity: p.identity, Mode: p.mode, Title: p.title, Workspaces: p.workspaces,
		AsOf: o.AsOf, APICalls: calls, CallsByMethod: o.Client.CallSummary(), Elapsed: time.Since(start)}
	res.Status = append(p.unavailable, status...)
	for _, t := range names(reg.tables()...) {
		res.Tables = append(res.Tables, TableRows{t, wr.Rows(t)})
	}
	return res, nil
}

// readAndDerive plans the sync, reads its data sets, checks them and lands
// the derived tables: everything short of the commit.
func readAndDerive(ctx context.Context, wr *warehouse.Run, reg registry, order []deriverSpec, o Options) (*plan, []warehouse.SourceStatus, error) {
	p, err := planRun(ctx, wr, reg, o)
	if err != nil {
		return nil, nil, err
	}
	d, err := newDerivation(ctx, wr, p, order)
	if err != nil {
		return nil, nil, err
	}
	status, err := runSources(ctx, wr, p.sources, d, o)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range status {
		wr.SetStatus(s)
	}
	if err := checkMembers(status); err != nil {
		return nil, nil, err
	}
	if err := checkShrink(ctx, wr, o.AllowShrink); err != nil {
		return nil, nil, err
	}
	if err := d.emit(ctx, wr); err != nil {
		return nil, nil, err
	}
	return p, status, nil
}

// withDefaults fills in what o leaves unset: as_of (now, to the second),
// the analytics window, parallelism, the allocator, the logger and the
// progress. A nil allocator means Go's default here, at the top, and
// nowhere below.
func (o Options) withDefaults(now time.Time) Options {
	if o.AsOf.IsZero() {
		o.AsOf = now
	}
	o.AsOf = o.AsOf.UTC().Truncate(time.Second)
	if o.Window <= 0 {
		o.Window = DefaultWindow
	}
	if o.Parallel <= 0 {
		o.Parallel = 4
	}
	if o.Alloc == nil {
		o.Alloc = memory.DefaultAllocator
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Progress == nil {
		o.Progress = noProgress{}
	}
	return o
}

// noProgress is the Progress of a sync nobody watches.
type noProgress struct{}

func (noProgress) Update(string, int64)       {}
func (noProgress) Wait(string, time.Duration) {}
func (noProgress) Done()                      {}
