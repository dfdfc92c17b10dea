package warehouse

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// manifestGenerator marks a manifest.json that slackaudit export wrote.
const manifestGenerator = "slackaudit export"

// maxManifest is the largest manifest.json an export could have written.
const maxManifest = 4 << 20

// ExportRefusal is an export [Export] will not attempt, found before anything
// was touched: an option it cannot honour (format, tables, partition
// column) or an out folder it must not write. slackaudit export reports it
// as a usage error. Its messages name the export command's flags.
type ExportRefusal struct{ msg string }

func (e *ExportRefusal) Error() string { return e.msg }

func refusef(format string, args ...any) error {
	return &ExportRefusal{fmt.Sprintf(format, args...)}
}

// checkOut decides whether export may write o.Out, touching nothing. It
// refuses a folder whose loss would destroy something: the root, the home
// folder or a folder above it, the current folder or one above it, the
// warehouse file or a folder holding it. An existing folder must be empty,
// or, with Overwrite, hold exactly what an earlier export wrote (its
// manifest.json proves it).
func checkOut(o ExportOptions) error {
	out := o.Out
	target, err := resolve(out)
	if err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	if err := checkOutPlace(out, target, o); err != nil {
		return err
	}
	st, err := os.Stat(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("--out %s: %w", out, err)
	case !st.IsDir():
		return refusef("--out %s is a file, not a folder; nothing was touched", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if !o.Overwrite {
		return refusef("--out %s is not empty: pass --overwrite to replace an earlier export there, or choose another folder; nothing was touched", out)
	}
	if err := proveExport(out, entries); err != nil {
		return refusef("--out %s: %v; --overwrite replaces only a folder an earlier slackaudit export wrote, and nothing else: choose another folder, or empty it yourself; nothing was touched", out, err)
	}
	return nil
}

// checkOutPlace refuses the folders export must never replace.
func checkOutPlace(out, target string, o ExportOptions) error {
	if target == filepath.Dir(target) {
		return refusef("--out %s is the root folder: choose a folder for the export, such as ./slack-export; nothing was touched", out)
	}
	if o.Home != "" {
		if home, err := resolve(o.Home); err == nil && within(target, home) {
			return refusef("--out %s is your home folder or holds it: choose a folder for the export, such as %s; nothing was touched", out, filepath.Join(home, "slack-export"))
		}
	}
	if cwd, err := os.Getwd(); err == nil {
		if cwd, err = resolve(cwd); err == nil && within(target, cwd) {
			return refusef("--out %s is the current folder or holds it: choose a folder for the export, such as ./slack-export; nothing was touched", out)
		}
	}
	if db, err := resolve(o.Warehouse); err == nil && within(target, db) {
		return refusef("--out %s is the warehouse %s or holds it: choose another folder; nothing was touched", out, o.Warehouse)
	}
	return nil
}

// within reports whether path is dir or lies inside it; both are resolved.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// resolve makes p absolute and resolves symbolic links in the part of it
// that exists, so two names for one folder compare equal.
func resolve(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for cur := abs; ; cur = filepath.Dir(cur) {
		real, err := filepath.EvalSymlinks(cur)
		if err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if cur == filepath.Dir(cur) {
			return abs, nil
		}
		rest = append([]string{filepath.Base(cur)}, rest...)
	}
}

// proveExport checks that dir holds exactly what an earlier export wrote:
// a manifest.json with slackaudit's marker (or one from a version before
// the marker, in its exact shape) and only the files and partition folders
// it lists.
func proveExport(dir string, entries []os.DirEntry) error {
	m, err := readManifest(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return err
	}
	listed := map[string]ManifestTable{}
	for _, t := range m.Tables {
		listed[t.Path] = t
	}
	for _, en := range entries {
		name := en.Name()
		if name == "manifest.json" {
			continue
		}
		t, ok := listed[name]
		if !ok {
			return fmt.Errorf("it holds %s, which its manifest.json does not list", name)
		}
		if t.PartitionBy == "" {
			if !en.Type().IsRegular() {
				return fmt.Errorf("%s is not a file, as its manifest.json says", name)
			}
			continue
		}
		if err := provePartitions(filepath.Join(dir, name), t, m.Format); err != nil {
			return err
		}
	}
	return nil
}

// readManifest reads and checks an export's manifest.json.
func readManifest(path string) (*Manifest, error) {
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxManifest {
		return nil, errors.New("it holds no manifest.json of an export")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var m Manifest
	dec := json.NewDecoder(io.LimitReader(f, maxManifest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("its manifest.json is not an export's (%v)", err)
	}
	switch {
	case m.Generator != manifestGenerator && m.Generator != "":
		return nil, fmt.Errorf("its manifest.json was written by %q, not %s", m.Generator, manifestGenerator)
	case m.RunID <= 0 || !slices.Contains(exportFormats, m.Format) || len(m.Tables) == 0:
		return nil, errors.New("its manifest.json is not an export's (no sync, format or tables)")
	}
	for _, t := range m.Tables {
		want := t.Name + "." + string(m.Format)
		if t.PartitionBy != "" {
			want = t.Name
		}
		if !isIdentifier(t.Name) || t.Path != want || (t.PartitionBy != "" && !isIdentifier(t.PartitionBy)) {
			return nil, fmt.Errorf("its manifest.json lists %q, which no export writes", t.Path)
		}
	}
	return &m, nil
}

// partitionFile is the name export and DuckDB give a partition's files.
var partitionFile = regexp.MustCompile(`^data_[0-9]+\.`)

// provePartitions checks a partitioned table's folder: only column=value
// folders holding only data_N.<format> files, or, for a table of no rows,
// the one data_0.<format> file holding its columns.
func provePartitions(dir string, t ManifestTable, format ExportFormat) error {
	parts, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, p := range parts {
		if t.Rows == 0 && p.Type().IsRegular() && p.Name() == "data_0."+string(format) {
			continue
		}
		if !p.IsDir() || !strings.HasPrefix(p.Name(), t.PartitionBy+"=") {
			return fmt.Errorf("%s holds %s, which no export writes", filepath.Base(dir), p.Name())
		}
		files, err := os.ReadDir(filepath.Join(dir, p.Name()))
		if err != nil {
			return err
		}
		for _, f := range files {
			if !f.Type().IsRegular() || !partitionFile.MatchString(f.Name()) || filepath.Ext(f.Name()) != "."+string(format) {
				return fmt.Errorf("%s holds %s, which no export writes", filepath.Join(filepath.Base(dir), p.Name()), f.Name())
			}
		}
	}
	return nil
}

// makeParents creates the missing folders above path and returns a
// function that removes them again if they are still empty (the export
// failed).
func makeParents(path string) (undo func(), err error) {
	var missing []string
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(dir); err == nil || dir == filepath.Dir(dir) {
			break
		}
		missing = append(missing, dir)
	}
	undo = func() {
		for _, d := range missing {
			os.Remove(d)
		}
	}
	if len(missing) == 0 {
		return undo, nil
	}
	if err := os.MkdirAll(missing[0], 0o755); err != nil {
		return undo, fmt.Errorf("creating the folder for --out: %w", err)
	}
	return undo, nil
}
