package warehouse

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// Manifest describes an export; Export writes it as manifest.json.
// Generator marks it as slackaudit's, so a later Overwrite knows the folder
// is an export (manifests written before the marker have none, nor the
// versions, columns and files).
type Manifest struct {
	Generator string `json:"generator,omitempty"`
	// Version is the slackaudit version that wrote the export.
	Version string `json:"slackaudit_version,omitempty"`
	// SchemaVersion identifies the warehouse's declared tables (see
	// [SchemaVersion]).
	SchemaVersion string          `json:"schema_version,omitempty"`
	RunID         int64           `json:"run_id"`
	AsOf          time.Time       `json:"as_of"`
	ExportedAt    time.Time       `json:"exported_at"`
	Format        ExportFormat    `json:"format"`
	Tables        []ManifestTable `json:"tables"`
}

// ManifestTable is one exported table: its rows, columns and where they are.
type ManifestTable struct {
	Name        string `json:"name"`
	Rows        int64  `json:"rows"`
	Path        string `json:"path"`
	PartitionBy string `json:"partition_by,omitempty"`
	// Columns are the table's columns as the warehouse holds them, in
	// order, the partition column included.
	Columns []ManifestColumn `json:"columns,omitempty"`
	// Files are every file written for the table, by path.
	Files []ManifestFile `json:"files,omitempty"`
}

// ManifestColumn is a column's name and DuckDB type.
type ManifestColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// ManifestFile is one written file: its path inside the export (with /),
// size and SHA-256 checksum (hex).
type ManifestFile struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// unknownVersion is the manifest's slackaudit_version when the export was
// not told it.
const unknownVersion = "unknown"

// newManifest starts the manifest of an export with o.
func newManifest(o ExportOptions) (*Manifest, error) {
	schemaVersion, err := SchemaVersion(o.Contract)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	m := &Manifest{Generator: manifestGenerator, Version: o.Version, SchemaVersion: schemaVersion,
		Format: o.Format, ExportedAt: o.Now().UTC()}
	if m.Version == "" {
		m.Version = unknownVersion
	}
	return m, nil
}

// SchemaVersion identifies the tables of a warehouse holding tables (the
// contract, pipeline.Tables()) with its own: 16 hex digits of the SHA-256
// of every table's name, kind and columns with their DuckDB types, and
// every view's name and SQL, by name. Comments do not count. Two
// warehouses with the same value have the same tables, columns and views;
// any added column or changed view changes it.
func SchemaVersion(tables []*arrow.Schema) (string, error) {
	cat, err := NewCatalog(tables)
	if err != nil {
		return "", err
	}
	var lines []string
	for _, t := range cat.tables {
		var b strings.Builder
		fmt.Fprintf(&b, "table %s %s\n", t.Name, t.Kind)
		for i, c := range t.Columns {
			fmt.Fprintf(&b, "  %s %s\n", c.Name, t.types[i])
		}
		lines = append(lines, b.String())
	}
	for _, v := range cat.views {
		lines = append(lines, fmt.Sprintf("view %s\n%s\n", v.Name, v.SQL))
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "")))
	return hex.EncodeToString(sum[:8]), nil
}

// fileSums lists the files at rel inside dir (a file, or a folder's files
// in lexical order) with their sizes and checksums.
func fileSums(dir, rel string) ([]ManifestFile, error) {
	var files []ManifestFile
	err := filepath.WalkDir(filepath.Join(dir, rel), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := fileSum(p)
		if err != nil {
			return err
		}
		r, err := filepath.Rel(dir, p)
		f.Path = filepath.ToSlash(r)
		files = append(files, f)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("checksumming %s: %w", rel, err)
	}
	return files, nil
}

// fileSum reads a file's size and SHA-256 checksum.
func fileSum(path string) (ManifestFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return ManifestFile{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return ManifestFile{Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, err
}
