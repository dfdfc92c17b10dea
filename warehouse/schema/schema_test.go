package schema_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse/schema"
)

var notes = schema.Table{
	Name: "notes", Kind: schema.History, Comment: "One note per person.",
	Columns: []schema.Column{
		schema.String("user_id", "Slack user ID."),
		schema.String("text", "What was noted.").Optional(),
		schema.Bool("flagged", "Flagged for review."),
		schema.Int64("count", "How often."),
		schema.Int32("days", "Days since."),
		schema.Float64("cost", "Cost per month."),
		schema.Date("day", "UTC day."),
		schema.Timestamp("at", "When (UTC).").Optional(),
		schema.Strings("tags", "Tags."),
	},
	Views: []schema.View{{Name: "flagged_notes", Comment: "Flagged notes.", SQL: "SELECT * FROM notes WHERE flagged"}},
}

func TestDeclareDescribeRoundTrip(t *testing.T) {
	s := schema.Declare(notes)
	assert.Equal(t, "notes", schema.TableName(s))
	got, err := schema.Describe(s)
	require.NoError(t, err)
	assert.Equal(t, notes, got)

	v, _ := s.Metadata().GetValue("slackaudit:view:flagged_notes")
	assert.Equal(t, "SELECT * FROM notes WHERE flagged", v, "views are schema metadata")
	c, _ := s.Field(1).Metadata.GetValue("slackaudit:comment")
	assert.Equal(t, "What was noted.", c, "column comments are field metadata")
	assert.True(t, s.Field(1).Nullable)
	assert.False(t, s.Field(0).Nullable)
	assert.Equal(t, arrow.ListOf(arrow.BinaryTypes.String), s.Field(8).Type)
}

func TestDeclareRefusesWhatIsMissing(t *testing.T) {
	for name, change := range map[string]func(*schema.Table){
		"no name":               func(t *schema.Table) { t.Name = "" },
		"no table comment":      func(t *schema.Table) { t.Comment = "" },
		"a bad kind":            func(t *schema.Table) { t.Kind = 9 },
		"no columns":            func(t *schema.Table) { t.Columns = nil },
		"no column comment":     func(t *schema.Table) { t.Columns[2].Comment = "" },
		"a column twice":        func(t *schema.Table) { t.Columns[2].Name = "user_id" },
		"no view comment":       func(t *schema.Table) { t.Views[0].Comment = "" },
		"a column with no type": func(t *schema.Table) { t.Columns[0].Type = nil },
	} {
		tb := notes
		tb.Columns = append([]schema.Column(nil), notes.Columns...)
		tb.Views = append([]schema.View(nil), notes.Views...)
		change(&tb)
		assert.Panics(t, func() { schema.Declare(tb) }, name)
	}
}

func TestDescribeNamesWhatIsMissing(t *testing.T) {
	plain := arrow.NewSchema([]arrow.Field{{Name: "user_id", Type: arrow.BinaryTypes.String}}, nil)
	_, err := schema.Describe(plain)
	assert.ErrorContains(t, err, `kind "" (metadata slackaudit:kind)`)

	md := arrow.NewMetadata([]string{"slackaudit:table", "slackaudit:kind", "slackaudit:comment"}, []string{"t", "snapshot", "A table."})
	_, err = schema.Describe(arrow.NewSchema(plain.Fields(), &md))
	assert.EqualError(t, err, "schema: column t.user_id needs a comment (field metadata slackaudit:comment)")

	_, err = schema.Describe(nil)
	assert.Error(t, err)
}

func TestKindNames(t *testing.T) {
	for _, k := range []schema.Kind{schema.Snapshot, schema.History, schema.Log} {
		got, err := schema.ParseKind(k.String())
		require.NoError(t, err)
		assert.Equal(t, k, got)
	}
	_, err := schema.ParseKind("table")
	assert.ErrorContains(t, err, "use snapshot, history or log")
}

func TestBuilderByName(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	var batches []int64
	var users []string
	b := schema.NewBuilder(mem, schema.Declare(notes), 2, func(rec arrow.RecordBatch) error {
		batches = append(batches, rec.NumRows())
		col := rec.Column(0).(*array.String)
		for i := 0; i < col.Len(); i++ {
			users = append(users, col.Value(i))
		}
		return nil
	})
	defer b.Release()
	user, text, tags := b.String("user_id"), b.String("text"), b.Strings("tags")
	flags, counts := b.Bools("flagged"), b.Int64s("count")
	days, cost, day, at := b.Int32("days"), b.Float64("cost"), b.Date("day"), b.Timestamp("at")
	for i, id := range []string{"U1", "U2", "U3"} {
		user.Append(id)
		text.AppendNull()
		flags[0].Append(i == 1)
		counts[0].Append(int64(i))
		days.Append(int32(i))
		cost.Append(1.5)
		day.Append(arrow.Date32(20000))
		at.AppendNull()
		tags.Append([]string{"a", id})
		require.NoError(t, b.Row())
	}
	assert.Equal(t, 1, b.Rows())
	require.NoError(t, b.Flush())
	require.NoError(t, b.Flush(), "nothing left to emit")
	assert.Equal(t, []int64{2, 1}, batches)
	assert.Equal(t, []string{"U1", "U2", "U3"}, users)
}

func TestBuilderPanicsOnAColumnTheTableLacks(t *testing.T) {
	b := schema.NewBuilder(nil, schema.Declare(notes), 0, func(arrow.RecordBatch) error { return nil })
	defer b.Release()
	assert.PanicsWithValue(t, `schema: table notes has no column "user"`, func() { b.String("user") })
	assert.Panics(t, func() { b.Bool("user_id") }, "a text column is not built as a boolean")
	assert.Panics(t, func() { b.Strings("user_id") })
}
