package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

// BillableSchema is the schema of the billable_info table.
var BillableSchema = arrow.NewSchema([]arrow.Field{
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "user_id", Type: arrow.BinaryTypes.String},
	{Name: "billing_active", Type: arrow.FixedWidthTypes.Boolean},
}, nil)

// Billable is the Source of the billable_info table: Slack's billing flag
// per account, from team.billableInfo (slackapi's BillableInfo), each
// account once.
type Billable struct {
	Client *slackapi.Client
	TeamID string
	// MustList is a user the list must include: the token's own (see
	// slackapi.ListBillable).
	MustList string
	Alloc    memory.Allocator // memory.DefaultAllocator when nil
	PageSize int              // overrides slackapi.BillablePageSize (tests)
}

func (Billable) Name() string          { return "billable_info" }
func (Billable) Table() string         { return "billable_info" }
func (Billable) Schema() *arrow.Schema { return BillableSchema }

func (s Billable) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, BillableSchema, emit)
	defer b.Release()
	team := b.Field(0).(*array.StringBuilder)
	user := b.Field(1).(*array.StringBuilder)
	active := b.Field(2).(*array.BooleanBuilder)
	for r, err := range s.Client.BillableInfo(ctx, slackapi.ListBillable{TeamID: s.TeamID, MustList: s.MustList, PageSize: s.PageSize}) {
		if err != nil {
			return err
		}
		team.Append(s.TeamID)
		user.Append(r.UserID)
		active.Append(r.BillingActive)
		if err := b.Row(); err != nil {
			return err
		}
	}
	return b.Flush()
}
