package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/pipeline"
	"slackaudit/warehouse"
)

// treeHash is a digest of every name, mode, size and file content under
// root: equal before and after means nothing was touched.
func treeHash(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fmt.Fprintf(h, "%s %v %d\n", rel, info.Mode(), info.Size())
		if d.Type().IsRegular() {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			if _, err := io.Copy(h, f); err != nil {
				return err
			}
		}
		return nil
	})
	require.NoError(t, err)
	return hex.EncodeToString(h.Sum(nil))
}

func TestExportRefusesFoldersItMustNeverReplace(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	dbDir := filepath.Dir(db)
	require.NoError(t, os.WriteFile(filepath.Join(dbDir, "notes.txt"), []byte("unrelated"), 0o644))
	home := filepath.Join(t.TempDir(), "home", "ann")
	require.NoError(t, os.MkdirAll(filepath.Join(home, "docs"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(home, "docs", "cv.txt"), []byte("mine"), 0o644))
	c.env["HOME"] = home
	link := filepath.Join(t.TempDir(), "to-warehouse")
	require.NoError(t, os.Symlink(dbDir, link))
	cwd, err := os.Getwd()
	require.NoError(t, err)
	relDB, err := filepath.Rel(cwd, dbDir)
	require.NoError(t, err)

	cases := []struct{ name, out, want string }{
		{"the warehouse's folder", dbDir, "is the warehouse " + db + " or holds it"},
		{"the warehouse file", db, "is the warehouse"},
		{"a folder above the warehouse", filepath.Dir(dbDir), "or holds it"},
		{"a symlink to the warehouse's folder", link, "is the warehouse"},
		{"a relative path to the warehouse's folder", relDB, "is the warehouse"},
		{"the warehouse's folder spelt with ..", filepath.Join(dbDir, "x", ".."), "is the warehouse"},
		{"the current folder", ".", "is the current folder or holds it"},
		{"the current folder with a slash", "./", "is the current folder"},
		{"the current folder's parent", "..", "is the current folder or holds it"},
		{"the root", "/", "is the root folder"},
		{"the home folder", home, "is your home folder or holds it"},
		{"the home folder's parent", filepath.Dir(home), "is your home folder or holds it"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			watched := []string{dbDir, home, filepath.Dir(link)}
			if tc.out == "." || tc.out == "./" || tc.out == ".." {
				watched = append(watched, cwd)
			}
			before := map[string]string{}
			for _, w := range watched {
				before[w] = treeHash(t, w)
			}
			for _, overwrite := range []bool{false, true} {
				args := []string{"export", "--db", db, "--out", tc.out}
				if overwrite {
					args = append(args, "--overwrite")
				}
				r := c.run(args...)
				assert.Equal(t, exitUsage, r.code, r.stderr)
				assert.Contains(t, r.stderr, tc.want)
				assert.Contains(t, r.stderr, "nothing was touched")
				assert.Empty(t, r.stdout)
			}
			for _, w := range watched {
				assert.Equal(t, before[w], treeHash(t, w), "%s changed", w)
			}
		})
	}
}

func TestExportOverwriteReplacesOnlyAnEarlierExport(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	out := filepath.Join(t.TempDir(), "export")
	r := c.run("export", "--db", db, "--out", out, "--tables", "users,licenses")
	require.Equal(t, exitOK, r.code, r.stderr)
	var m warehouse.Manifest
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "slackaudit export", m.Generator, "the manifest says who wrote it")

	r = c.run("export", "--db", db, "--out", out, "--overwrite", "--format", "csv", "--tables", "users")
	require.Equal(t, exitOK, r.code, "an earlier export is replaced: %s", r.stderr)
	assert.FileExists(t, filepath.Join(out, "users.csv"))
	assert.NoFileExists(t, filepath.Join(out, "users.parquet"))
	assert.NoFileExists(t, filepath.Join(out, "licenses.parquet"))

	// An export written before manifests carried the marker.
	var legacy map[string]any
	b, err = os.ReadFile(filepath.Join(out, "manifest.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &legacy))
	delete(legacy, "generator")
	b, err = json.Marshal(legacy)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(out, "manifest.json"), b, 0o644))
	r = c.run("export", "--db", db, "--out", out, "--overwrite", "--tables", "licenses")
	require.Equal(t, exitOK, r.code, "an export from before the marker is replaced: %s", r.stderr)
	assert.FileExists(t, filepath.Join(out, "licenses.parquet"))
	assert.NoFileExists(t, filepath.Join(out, "users.csv"))
}

func TestExportOverwriteReplacesAPartitionedExport(t *testing.T) {
	t.Parallel()
	fx := gridFixture(120, "--since", "7d")
	_, tok := fx.serve(t)
	db := syncedCopy(t, fx)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	for _, format := range []string{"parquet", "csv"} {
		out := filepath.Join(t.TempDir(), format)
		args := []string{"export", "--db", db, "--out", out, "--format", format, "--partition-by", "team_id", "--tables", "users,licenses"}
		require.Equal(t, exitOK, c.run(args...).code)
		r := c.run(append(args, "--overwrite")...)
		require.Equal(t, exitOK, r.code, "%s: %s", format, r.stderr)

		// A file someone put inside a partition folder is not the export's.
		parts, err := filepath.Glob(filepath.Join(out, "users", "team_id=*"))
		require.NoError(t, err)
		require.NotEmpty(t, parts)
		stray := filepath.Join(parts[0], "notes.txt")
		require.NoError(t, os.WriteFile(stray, []byte("mine"), 0o644))
		before := treeHash(t, out)
		r = c.run(append(args, "--overwrite")...)
		assert.Equal(t, exitUsage, r.code, format)
		assert.Contains(t, r.stderr, "holds notes.txt, which no export writes", format)
		assert.Equal(t, before, treeHash(t, out), "%s: nothing touched", format)
	}
}

func TestExportOverwriteRefusesAFolderHoldingMoreThanAnExport(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	cases := []struct {
		name  string
		spoil func(t *testing.T, out string)
		want  string
	}{
		{"an extra file of the user's", func(t *testing.T, out string) {
			require.NoError(t, os.WriteFile(filepath.Join(out, "budget.xlsx"), []byte("mine"), 0o644))
		}, "it holds budget.xlsx, which its manifest.json does not list"},
		{"an extra folder", func(t *testing.T, out string) {
			require.NoError(t, os.MkdirAll(filepath.Join(out, "photos"), 0o755))
		}, "it holds photos, which its manifest.json does not list"},
		{"no manifest", func(t *testing.T, out string) {
			require.NoError(t, os.Remove(filepath.Join(out, "manifest.json")))
		}, "it holds no manifest.json of an export"},
		{"another program's manifest", func(t *testing.T, out string) {
			rewriteManifest(t, out, func(m map[string]any) { m["generator"] = "someone else" })
		}, `its manifest.json was written by "someone else"`},
		{"a manifest with fields no export writes", func(t *testing.T, out string) {
			rewriteManifest(t, out, func(m map[string]any) { m["owner"] = "ann" })
		}, "its manifest.json is not an export's"},
		{"a manifest listing a path outside the folder", func(t *testing.T, out string) {
			rewriteManifest(t, out, func(m map[string]any) {
				m["tables"] = []map[string]any{{"name": "users", "rows": 1, "path": "../users.parquet"}}
			})
		}, `lists "../users.parquet", which no export writes`},
		{"a symlink where a table file was", func(t *testing.T, out string) {
			target := filepath.Join(out, "users.parquet")
			require.NoError(t, os.Remove(target))
			require.NoError(t, os.Symlink(db, target))
		}, "users.parquet is not a file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "export")
			require.Equal(t, exitOK, c.run("export", "--db", db, "--out", out, "--tables", "users").code)
			tc.spoil(t, out)
			before, dbBefore := treeHash(t, out), treeHash(t, filepath.Dir(db))
			r := c.run("export", "--db", db, "--out", out, "--overwrite")
			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, tc.want)
			assert.Contains(t, r.stderr, "--overwrite replaces only a folder an earlier slackaudit export wrote")
			assert.Equal(t, before, treeHash(t, out), "nothing touched")
			assert.Equal(t, dbBefore, treeHash(t, filepath.Dir(db)))
		})
	}
}

func rewriteManifest(t *testing.T, out string, change func(map[string]any)) {
	t.Helper()
	path := filepath.Join(out, "manifest.json")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	change(m)
	b, err = json.Marshal(m)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o644))
}

func TestExportCreatesMissingParentsAndRemovesThemOnFailure(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	base := t.TempDir()
	out := filepath.Join(base, "a", "b", "c", "export")
	r := c.run("export", "--db", db, "--out", out, "--tables", "users")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.FileExists(t, filepath.Join(out, "users.parquet"))

	empty := tempDB(t)
	w, err := warehouse.Open(context.Background(), empty, warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	require.NoError(t, w.Close())
	r = c.run("export", "--db", empty, "--out", filepath.Join(base, "x", "y", "export"))
	assert.Equal(t, exitFailure, r.code)
	assert.NoDirExists(t, filepath.Join(base, "x"), "the folders created for a failed export are removed")
}

// TestExportSaysWhyTheLatestSyncCannotBeRead: only an empty latest_sync
// means "no sync yet"; any other error is reported as it is.
func TestExportSaysWhyTheLatestSyncCannotBeRead(t *testing.T) {
	t.Parallel()
	db, c := syncedDB(t)
	w, err := warehouse.Open(context.Background(), db, warehouse.Options{Tables: pipeline.Tables()})
	require.NoError(t, err)
	_, err = w.SQL().Exec(`CREATE OR REPLACE VIEW latest_sync AS SELECT 1::BIGINT AS run_id, 'not a time'::TIMESTAMPTZ AS as_of`)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	r := c.run("export", "--db", db, "--out", filepath.Join(t.TempDir(), "x"))
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "reading the latest sync (latest_sync): ")
	assert.NotContains(t, r.stderr, "run slackaudit sync first")
	assert.True(t, strings.Contains(r.stderr, "Conversion Error") || strings.Contains(r.stderr, "not a time"), r.stderr)
}
