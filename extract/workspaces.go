package extract

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"slackaudit/extract/slackapi"
)

// WorkspacesSchema is the schema of the workspaces table.
var WorkspacesSchema = arrow.NewSchema([]arrow.Field{
	{Name: "team_id", Type: arrow.BinaryTypes.String},
	{Name: "name", Type: arrow.BinaryTypes.String},
	{Name: "domain", Type: arrow.BinaryTypes.String},
	{Name: "email_domain", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "enterprise_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "enterprise_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "plan", Type: arrow.BinaryTypes.String},
	{Name: "plan_code", Type: arrow.BinaryTypes.String},
}, nil)

// Workspaces is the Source of the workspaces table: the workspaces Discover
// or AdminTeams already read, so it makes no calls.
type Workspaces struct {
	List  []slackapi.Workspace
	Alloc memory.Allocator // memory.DefaultAllocator when nil
}

func (Workspaces) Name() string          { return "workspaces" }
func (Workspaces) Table() string         { return "workspaces" }
func (Workspaces) Schema() *arrow.Schema { return WorkspacesSchema }

func (ws Workspaces) Extract(ctx context.Context, emit func(arrow.RecordBatch) error) error {
	b := newBatcher(ws.Alloc, WorkspacesSchema, emit)
	defer b.Release()
	for _, w := range ws.List {
		b.Field(0).(*array.StringBuilder).Append(w.TeamID)
		b.Field(1).(*array.StringBuilder).Append(w.Name)
		b.Field(2).(*array.StringBuilder).Append(w.Domain)
		appendString(b.Field(3).(*array.StringBuilder), w.EmailDomain)
		appendString(b.Field(4).(*array.StringBuilder), w.EnterpriseID)
		appendString(b.Field(5).(*array.StringBuilder), w.EnterpriseName)
		b.Field(6).(*array.StringBuilder).Append(w.Plan.String())
		b.Field(7).(*array.StringBuilder).Append(w.Plan.Code())
		if err := b.Row(); err != nil {
			return err
		}
	}
	return b.Flush()
}
