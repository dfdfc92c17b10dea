package extract

import (
	"context"
	"net/url"
	"slices"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
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
// per account, from team.billableInfo. slack-go's GetBillableInfo cannot send
// a cursor and drops next_cursor, so this pages with the raw caller.
type Billable struct {
	Client   *Client
	TeamID   string
	PageSize int // overrides BillablePageSize (tests)
}

func (Billable) Name() string          { return "billable_info" }
func (Billable) Table() string         { return "billable_info" }
func (Billable) Schema() *arrow.Schema { return BillableSchema }

func (s Billable) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	ctx = withTeam(ctx, s.TeamID)
	const method = "team.billableInfo"
	size := s.PageSize
	if size <= 0 {
		size = BillablePageSize
	}
	b := newBatcher(BillableSchema, emit)
	defer b.Release()
	team := b.Field(0).(*array.StringBuilder)
	user := b.Field(1).(*array.StringBuilder)
	active := b.Field(2).(*array.BooleanBuilder)
	cursor := ""
	for {
		var r struct {
			Envelope
			BillableInfo map[string]struct {
				BillingActive *bool `json:"billing_active"`
			} `json:"billable_info"`
		}
		params := url.Values{"limit": {strconv.Itoa(size)}, "cursor": {cursor}, "team_id": {s.TeamID}}
		if err := s.Client.Call(ctx, method, s.TeamID, params, &r); err != nil {
			return err
		}
		if r.BillableInfo == nil {
			return errorf(method, s.TeamID, KindMalformed, "malformed response: field billable_info is missing")
		}
		ids := make([]string, 0, len(r.BillableInfo))
		for id := range r.BillableInfo {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			v := r.BillableInfo[id]
			if v.BillingActive == nil {
				return errorf(method, s.TeamID, KindMalformed, "malformed response: field billable_info.%s.billing_active is missing", id)
			}
			team.Append(s.TeamID)
			user.Append(id)
			active.Append(*v.BillingActive)
			if err := b.Row(); err != nil {
				return err
			}
		}
		next := r.ResponseMetadata.NextCursor
		if next == "" {
			break
		}
		if next == cursor {
			return errorf(method, s.TeamID, KindMalformed, "paging stopped making progress: Slack returned the same next_cursor twice")
		}
		cursor = next
	}
	return b.Flush()
}
