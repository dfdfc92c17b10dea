package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listedPackage is what `go list -json` says of one package.
type listedPackage struct {
	ImportPath string
	Standard   bool
	Imports    []string
}

// importGraph maps each package to its direct imports; std marks the
// standard library's.
type importGraph struct {
	imports map[string][]string
	std     map[string]bool
}

// loadImportGraph lists slackaudit's packages and everything they import,
// as built with the duckdb_arrow tag (test files aside).
func loadImportGraph(t *testing.T) importGraph {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-json", "-tags", "duckdb_arrow", "slackaudit/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", stderr.String())
	g := importGraph{imports: map[string][]string{}, std: map[string]bool{}}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		g.imports[p.ImportPath] = p.Imports
		g.std[p.ImportPath] = p.Standard
	}
	return g
}

// standard reports whether path is in the standard library; C, cgo's
// pseudo-package, is imported by the standard library's own net.
func (g importGraph) standard(path string) bool { return g.std[path] || path == "C" }

// importRule forbids the packages under from to import, directly or not,
// any package forbidden matches.
type importRule struct {
	from      string // an import path; "/..." covers the packages below it
	forbidden func(g importGraph, path string) bool
	why       string
}

// under reports whether path is prefix or a package below it.
func under(path, prefix string) bool { return path == prefix || strings.HasPrefix(path, prefix+"/") }

func prefixes(ps ...string) func(importGraph, string) bool {
	return func(_ importGraph, path string) bool {
		for _, p := range ps {
			if under(path, p) {
				return true
			}
		}
		return false
	}
}

// The import directions of ARCHITECTURE.md: the stages pass data as Arrow
// batches and *sql.DB, and DuckDB stays inside warehouse.
var importRules = []importRule{
	{"slackaudit/transform", prefixes("github.com/duckdb", "github.com/slack-go"), "transform is pure Go over Arrow: no DuckDB, no Slack client"},
	{"slackaudit/extract", prefixes("github.com/duckdb"), "extract reads Slack into Arrow: no DuckDB"},
	{"slackaudit/actions", prefixes("github.com/duckdb"), "actions act on Slack: no DuckDB"},
	{"slackaudit/extract/slacktest", func(g importGraph, path string) bool { return !g.standard(path) },
		"the synthetic org is the standard library only, so any test can serve it cheaply"},
	{"slackaudit/warehouse", prefixes("slackaudit/extract", "slackaudit/transform"), "warehouse knows tables from Arrow schemas, not the stages that make them"},
	{"slackaudit/queries", prefixes("slackaudit/extract", "slackaudit/actions"), "queries read the warehouse only"},
	{"slackaudit", prefixes("slackaudit/cmd"), "nothing imports the CLI"},
	{"slackaudit/extract", prefixes("slackaudit/pipeline"), "pipeline wires the stages; no stage imports it"},
	{"slackaudit/transform", prefixes("slackaudit/pipeline"), "pipeline wires the stages; no stage imports it"},
	{"slackaudit/warehouse", prefixes("slackaudit/pipeline"), "pipeline wires the stages; no stage imports it"},
	{"slackaudit/queries", prefixes("slackaudit/pipeline"), "pipeline wires the stages; no stage imports it"},
	{"slackaudit/actions", prefixes("slackaudit/pipeline"), "pipeline wires the stages; no stage imports it"},
}

// violations lists, for each rule, every package under its from that
// reaches a forbidden package, as the chain of imports that gets there.
func (g importGraph) violations(rules []importRule) []string {
	var out []string
	for _, r := range rules {
		for pkg := range g.imports {
			if !under(pkg, r.from) || (r.from == "slackaudit" && under(pkg, "slackaudit/cmd")) {
				continue
			}
			if chain := g.chainTo(pkg, func(p string) bool { return p != pkg && r.forbidden(g, p) }); chain != nil {
				out = append(out, strings.Join(chain, " → ")+": "+r.why)
			}
		}
	}
	return out
}

// chainTo is the shortest import chain from pkg to a package that match
// accepts; nil when there is none.
func (g importGraph) chainTo(pkg string, match func(string) bool) []string {
	parent := map[string]string{pkg: ""}
	queue := []string{pkg}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, imp := range g.imports[p] {
			if _, seen := parent[imp]; seen {
				continue
			}
			parent[imp] = p
			if match(imp) {
				chain := []string{imp}
				for q := p; q != ""; q = parent[q] {
					chain = append([]string{q}, chain...)
				}
				return chain
			}
			queue = append(queue, imp)
		}
	}
	return nil
}

func TestImportDirections(t *testing.T) {
	t.Parallel()
	g := loadImportGraph(t)
	for _, pkg := range []string{"slackaudit/transform", "slackaudit/extract", "slackaudit/extract/slackapi",
		"slackaudit/extract/slacktest", "slackaudit/warehouse", "slackaudit/queries", "slackaudit/queries/shell", "slackaudit/queries/report", "slackaudit/actions", "slackaudit/pipeline", "slackaudit/warehouse/schema"} {
		require.Contains(t, g.imports, pkg, "go list did not list %s", pkg)
	}
	assert.Empty(t, g.violations(importRules))
}

// TestImportDirectionsNameTheChain checks the checker on a graph with known
// faults: each is found, named by its chain of imports.
func TestImportDirectionsNameTheChain(t *testing.T) {
	t.Parallel()
	g := importGraph{
		imports: map[string][]string{
			"slackaudit/transform":         {"slackaudit/extract", "fmt"},
			"slackaudit/extract":           {"slackaudit/extract/slackapi"},
			"slackaudit/extract/slackapi":  {"github.com/duckdb/duckdb-go/v2"},
			"slackaudit/extract/slacktest": {"net/http", "github.com/google/uuid"},
			"slackaudit/queries/shell":     {"slackaudit/cmd/slackaudit"},
			"slackaudit/cmd/slackaudit":    {"slackaudit/actions"},
			"slackaudit/actions":           {},
			"slackaudit/warehouse":         {"slackaudit/pipeline"},
			"slackaudit/pipeline":          {},
			"github.com/google/uuid":       {},
			"net/http":                     {},
			"fmt":                          {},
		},
		std: map[string]bool{"net/http": true, "fmt": true},
	}
	got := g.violations(importRules)
	for _, want := range []string{
		"slackaudit/transform → slackaudit/extract → slackaudit/extract/slackapi → github.com/duckdb/duckdb-go/v2: transform",
		"slackaudit/extract → slackaudit/extract/slackapi → github.com/duckdb/duckdb-go/v2: extract",
		"slackaudit/extract/slackapi → github.com/duckdb/duckdb-go/v2: extract",
		"slackaudit/extract/slacktest → github.com/google/uuid: the synthetic org",
		"slackaudit/queries/shell → slackaudit/cmd/slackaudit → slackaudit/actions: queries",
		"slackaudit/queries/shell → slackaudit/cmd/slackaudit: nothing imports the CLI",
		"slackaudit/warehouse → slackaudit/pipeline: pipeline wires the stages",
	} {
		found := false
		for _, v := range got {
			found = found || strings.HasPrefix(v, want)
		}
		assert.True(t, found, "missing %q in\n%s", want, strings.Join(got, "\n"))
	}
	assert.Len(t, got, 7)
}
