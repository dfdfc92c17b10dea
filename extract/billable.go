package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
	"slackaudit/warehouse/schema"
)

// BillableSchema is the billable_info table.
var BillableSchema = schema.Declare(schema.Table{
	Name: "billable_info", Kind: schema.Snapshot,
	Comment: "Slack's own billing flag per account (team.billableInfo). It is recomputed periodically and often reads true for nearly everyone.",
	Columns: []schema.Column{
		schema.String("team_id", "Workspace (T…)."),
		schema.String("user_id", "Slack user ID."),
		schema.Bool("billing_active", "Slack says it bills this account under the Fair Billing Policy."),
	},
})

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

func (Billable) Schema() *arrow.Schema { return BillableSchema }

func (s Billable) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(s.Alloc, BillableSchema, emit)
	defer b.Release()
	team, user, active := b.String("team_id"), b.String("user_id"), b.Bool("billing_active")
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
