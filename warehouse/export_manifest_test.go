package warehouse_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/warehouse"
	"slackaudit/warehouse/schema"
)

// writtenManifest reads an export's manifest.json.
func writtenManifest(t *testing.T, out string) warehouse.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	require.NoError(t, err)
	var m warehouse.Manifest
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// filesIn lists the files under out but manifest.json, with /.
func filesIn(t *testing.T, out string) []string {
	t.Helper()
	var files []string
	require.NoError(t, filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == filepath.Join(out, "manifest.json") {
			return err
		}
		rel, err := filepath.Rel(out, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	}))
	return files
}

func TestExportManifestChecksumsAndColumns(t *testing.T) {
	t.Parallel()
	db, _ := exported(t)
	declared := map[string]*arrow.Schema{}
	for _, s := range contract {
		declared[schema.TableName(s)] = s
	}
	for _, format := range []warehouse.ExportFormat{warehouse.ExportParquet, warehouse.ExportCSV, warehouse.ExportJSON} {
		out := filepath.Join(t.TempDir(), "export")
		o := exportOptions(out, format, "users", "member_activity", "licenses", "seat_history")
		o.PartitionBy = "team_id"
		_, err := warehouse.Export(ctx, db, o)
		require.NoError(t, err, format)
		m := writtenManifest(t, out)
		var listed []string
		for _, table := range m.Tables {
			assert.Equal(t, declaredColumns(t, declared[table.Name]), table.Columns, "%s %s: the declared columns", format, table.Name)
			require.NotEmpty(t, table.Files, "%s %s", format, table.Name)
			for _, f := range table.Files {
				body, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
				require.NoError(t, err, "%s lists %s", format, f.Path)
				sum := sha256.Sum256(body)
				assert.Equal(t, hex.EncodeToString(sum[:]), f.SHA256, "%s %s", format, f.Path)
				assert.Equal(t, int64(len(body)), f.Bytes, "%s %s", format, f.Path)
				listed = append(listed, f.Path)
			}
		}
		assert.ElementsMatch(t, filesIn(t, out), listed, "%s: every file is listed once", format)
		assert.Contains(t, listed, "users/team_id=T2/data_0."+string(format))
	}
}

func TestExportManifestNamesTheVersions(t *testing.T) {
	t.Parallel()
	db, _ := exported(t)
	out := filepath.Join(t.TempDir(), "export")
	o := exportOptions(out, warehouse.ExportParquet, "users")
	o.Version = "v1.4.0"
	_, err := warehouse.Export(ctx, db, o)
	require.NoError(t, err)
	m := writtenManifest(t, out)
	assert.Equal(t, "v1.4.0", m.Version)
	assert.Equal(t, schemaVersion(t), m.SchemaVersion)
	assert.Regexp(t, `^[0-9a-f]{16}$`, m.SchemaVersion)

	var raw map[string]any
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &raw))
	assert.Equal(t, "v1.4.0", raw["slackaudit_version"])
	assert.Equal(t, m.SchemaVersion, raw["schema_version"])
}

func TestSchemaVersionChangesWithTheTables(t *testing.T) {
	t.Parallel()
	base := schemaVersion(t)
	reordered := slices.Clone(contract)
	slices.Reverse(reordered)
	v, err := warehouse.SchemaVersion(reordered)
	require.NoError(t, err)
	assert.Equal(t, base, v, "the order tables are given in does not count")

	recommented := slices.Clone(contract)
	recommented[0] = schema.Declare(schema.Table{Name: "users", Kind: schema.Snapshot, Comment: "Other words.",
		Columns: usersColumns(func(c schema.Column) schema.Column { c.Comment = "Reworded."; return c })})
	v, err = warehouse.SchemaVersion(recommented)
	require.NoError(t, err)
	assert.Equal(t, base, v, "comments do not count")

	widened := slices.Clone(contract)
	widened[0] = schema.Declare(schema.Table{Name: "users", Kind: schema.Snapshot, Comment: "Every account.",
		Columns: append(usersColumns(nil), schema.String("pronouns", "Pronouns.").Optional())})
	v, err = warehouse.SchemaVersion(widened)
	require.NoError(t, err)
	assert.NotEqual(t, base, v, "an added column changes it")

	retyped := slices.Clone(contract)
	retyped[0] = schema.Declare(schema.Table{Name: "users", Kind: schema.Snapshot, Comment: "Every account.",
		Columns: usersColumns(func(c schema.Column) schema.Column {
			if c.Name == "title" {
				c.Type = arrow.PrimitiveTypes.Int64
			}
			return c
		})})
	v, err = warehouse.SchemaVersion(retyped)
	require.NoError(t, err)
	assert.NotEqual(t, base, v, "a changed type changes it")
}

// usersColumns are the test users table's columns, each changed by change
// when given.
func usersColumns(change func(schema.Column) schema.Column) []schema.Column {
	desc, err := schema.Describe(usersTable)
	if err != nil {
		panic(err)
	}
	cols := desc.Columns
	if change != nil {
		for i := range cols {
			cols[i] = change(cols[i])
		}
	}
	return cols
}
