package extract

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// BillablePageSize is the largest page team.billableInfo allows.
const BillablePageSize = 1000

// BillableSchema is the schema of the billable_info table.
var BillableSchema = arrow.NewSchema([]arrow.Field{
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "user_id", Type: arrow.BinaryTypes.String},
	{Name: "billing_active", Type: arrow.FixedWidthTypes.Boolean},
}, nil)

// Billable is the Source of the billable_info table: Slack's billing flag
// per account, from team.billableInfo, each account once. slack-go's
// GetBillableInfo cannot send a cursor and drops next_cursor, so this pages
// with the raw caller.
type Billable struct {
	Client *Client
	TeamID string
	// MustList is a user the list must include: the token's own (auth.test
	// user_id). Slack lists every account of the workspace, so when set an
	// empty list or one without that user fails, as for Users: an empty
	// billable_info would count no seat as billed.
	MustList string
	Alloc    memory.Allocator // memory.DefaultAllocator when nil
	PageSize int              // overrides BillablePageSize (tests)
}

func (Billable) Name() string          { return "billable_info" }
func (Billable) Table() string         { return "billable_info" }
func (Billable) Schema() *arrow.Schema { return BillableSchema }

// billableRecord is one entry of billable_info: the account and its flag.
type billableRecord struct {
	userID string
	active bool
}

// billableList decodes team.billableInfo pages: an object from user ID to
// {"billing_active": bool}, read in user order.
var billableList = listSpec[billableRecord]{method: "team.billableInfo", field: "billable_info", keyed: true,
	order: func(a, b *billableRecord) int { return strings.Compare(a.userID, b.userID) },
	item: func(p *flatObject, key string, r *billableRecord) error {
		r.userID = key
		known := false
		err := p.object(func(k []byte) (err error) {
			if string(k) != "billing_active" {
				return p.skip()
			}
			r.active, known, err = p.flag()
			return err
		})
		switch {
		case err != nil:
			return err
		case key == "":
			return &fieldError{got: "an empty user ID", want: "a user ID"}
		case !known:
			return missing("billing_active")
		}
		return nil
	}}

// decodeBillablePage decodes one team.billableInfo answer.
func decodeBillablePage(body []byte) (page[billableRecord], error) { return billableList.decode(body) }

func (s Billable) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	ctx = withTeam(ctx, s.TeamID)
	size := s.PageSize
	if size <= 0 {
		size = BillablePageSize
	}
	b := newBatcher(s.Alloc, BillableSchema, emit)
	defer b.Release()
	team := b.Field(0).(*array.StringBuilder)
	user := b.Field(1).(*array.StringBuilder)
	active := b.Field(2).(*array.BooleanBuilder)
	pg := newPager(s.Client, billableList, s.TeamID, url.Values{"limit": {strconv.Itoa(size)}, "team_id": {s.TeamID}},
		func(d *dedup, r *billableRecord) uint64 { return d.key(s.TeamID, r.userID) })
	listed, own := 0, false
	err := pg.byCursor(ctx, func(r *billableRecord) error {
		listed++
		own = own || r.userID == s.MustList
		team.Append(s.TeamID)
		user.Append(r.userID)
		active.Append(r.active)
		return b.Row()
	})
	if err != nil {
		return err
	}
	must := mustList{method: "team.billableInfo", team: s.TeamID, of: "workspace", noun: "billing flag", user: s.MustList}
	if err := must.check(listed, own); err != nil {
		return err
	}
	return b.Flush()
}
