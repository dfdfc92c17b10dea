package warehouse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	bindings "github.com/duckdb/duckdb-go-bindings"
)

// The lock-down (lockdown.go) is what keeps a session from the file system,
// extensions and settings. DuckDB leaves a few doors open even then, and a
// user's session closes them by what DuckDB's own parser and planner say a
// statement is, never by the words in it:
//   - PRAGMA statements that remain pragmas after DuckDB's rewriting change
//     how DuckDB runs (enable_profiling, enable_progress_bar…); the pragmas
//     that read (table_info, database_size…) become SELECTs and run;
//   - DuckDB's logging, profiling and parser functions change settings even
//     with the configuration locked;
//   - COPY, EXPORT DATABASE and ATTACH read or write files; without
//     AllowFiles they are refused outright, because DuckDB always lets a
//     session address the open warehouse's own files;
//   - INSTALL and LOAD add extensions; PREPARE and EXECUTE would hide any of
//     the above behind a name.

// Refusal is a kind of statement a locked-down session refuses.
type Refusal int

const (
	// RefusedFiles: reading or writing files, or attaching a database.
	RefusedFiles Refusal = iota + 1
	// RefusedSettings: changing DuckDB's settings.
	RefusedSettings
	// RefusedExtensions: installing or loading DuckDB extensions.
	RefusedExtensions
	// RefusedPrepared: SQL-level PREPARE and EXECUTE.
	RefusedPrepared
	// RefusedInternal: DuckDB's Arrow scan functions, which take raw memory
	// addresses, and the objects an earlier slackaudit left in the file
	// over them. DuckDB crashes while it prepares such a statement, before
	// any other check can run, so these are refused by name.
	RefusedInternal
)

func (k Refusal) String() string {
	switch k {
	case RefusedFiles:
		return "reading and writing files is off"
	case RefusedSettings:
		return "DuckDB's settings are locked"
	case RefusedExtensions:
		return "installing and loading DuckDB extensions is off"
	case RefusedPrepared:
		return "SQL PREPARE and EXECUTE are off"
	case RefusedInternal:
		return "it reads raw memory and would crash DuckDB; a leftover of an earlier slackaudit is removed by the next sync"
	}
	return "refused"
}

// RefusedError is a statement a locked-down session refused: by DuckDB's
// own controls (Err is DuckDB's error) or by the checks in this file.
type RefusedError struct {
	Kind Refusal
	What string // what was refused, when slackaudit refused it
	Err  error  // DuckDB's error, when DuckDB refused it
}

func (e *RefusedError) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return "refused " + e.What + ": " + e.Kind.String()
}

func (e *RefusedError) Unwrap() error { return e.Err }

// AsRefused reports whether err is a refusal, and which.
func AsRefused(err error) (*RefusedError, bool) {
	var r *RefusedError
	ok := errors.As(err, &r)
	return r, ok
}

// ErrMultipleStatements is DuckDB refusing to run more than one statement
// as one.
var ErrMultipleStatements = errors.New("more than one statement")

// duckError turns DuckDB's message into an error, recognising the refusals
// of the lock-down.
func duckError(msg string) error {
	err := errors.New(msg)
	switch {
	case strings.Contains(msg, "file system operations are disabled by configuration"),
		strings.Contains(msg, "has been disabled by configuration"):
		return &RefusedError{Kind: RefusedFiles, Err: err}
	case strings.Contains(msg, "the configuration has been locked"):
		return &RefusedError{Kind: RefusedSettings, Err: err}
	case strings.Contains(msg, "extensions is disabled"):
		return &RefusedError{Kind: RefusedExtensions, Err: err}
	case strings.Contains(msg, "Cannot prepare multiple statements at once"):
		return fmt.Errorf("%w: %s", ErrMultipleStatements, msg)
	}
	return err
}

// guard vets the statements of a user's session.
type guard struct {
	files    bool            // the session may read and write files (Options.AllowFiles)
	own      ownFiles        // the warehouse's own files, which no statement may name
	internal map[string]bool // lower-case names no statement may mention (see RefusedInternal)
}

// arrowScanFunctions are DuckDB's table functions over raw Arrow pointers.
var arrowScanFunctions = []string{"arrow_scan", "arrow_scan_dumb"}

// internalNames are the names a session refuses: the Arrow scan functions
// and the leftovers an earlier version left in the file.
func internalNames(leftovers []string) map[string]bool {
	m := map[string]bool{}
	for _, n := range append(slices.Clone(arrowScanFunctions), leftovers...) {
		m[strings.ToLower(n)] = true
	}
	return m
}

// vetInternal refuses a statement that names one of g.internal, as an
// identifier, quoted or not, never inside a string literal.
func (g *guard) vetInternal(toks []token) error {
	for _, t := range toks {
		name := t.text
		if len(name) > 1 && name[0] == '"' {
			name = strings.ReplaceAll(name[1:len(name)-1], `""`, `"`)
		}
		if g.internal[strings.ToLower(name)] {
			return &RefusedError{Kind: RefusedInternal, What: name}
		}
	}
	return nil
}

// fileStatements read or write files, or attach databases.
var fileStatements = map[bindings.StatementType]string{
	bindings.StatementTypeCopy:         "COPY",
	bindings.StatementTypeExport:       "EXPORT DATABASE",
	bindings.StatementTypeAttach:       "ATTACH",
	bindings.StatementTypeCopyDatabase: "COPY FROM DATABASE",
}

// plannedStatements are the statements that can run a query, and so a
// table function: their plan is checked.
var plannedStatements = map[bindings.StatementType]bool{
	bindings.StatementTypeSelect: true, bindings.StatementTypeInsert: true, bindings.StatementTypeUpdate: true,
	bindings.StatementTypeDelete: true, bindings.StatementTypeCreate: true, bindings.StatementTypeCopy: true,
	bindings.StatementTypeCall: true, bindings.StatementTypeVariableSet: true, bindings.StatementTypeMergeInto: true,
}

// vet refuses stmt (the prepared form of query) if the session must not run
// it. depth counts EXPLAINs around the statement.
func (g *guard) vet(ctx context.Context, s *Session, stmt bindings.PreparedStatement, query string, args []any, depth int) error {
	t := bindings.PreparedStatementType(stmt)
	switch t {
	case bindings.StatementTypePragma:
		return &RefusedError{Kind: RefusedSettings, What: "a PRAGMA that changes how DuckDB runs"}
	case bindings.StatementTypePrepare, bindings.StatementTypeExecute:
		return &RefusedError{Kind: RefusedPrepared, What: "PREPARE and EXECUTE"}
	case bindings.StatementTypeLoad, bindings.StatementTypeExtension, bindings.StatementTypeUpdateExtensions:
		return &RefusedError{Kind: RefusedExtensions, What: "INSTALL and LOAD"}
	case bindings.StatementTypeExplain:
		return g.vetExplain(ctx, s, query, args, depth)
	}
	if what, ok := fileStatements[t]; ok {
		if err := g.vetFile(t, what, query); err != nil {
			return err
		}
	}
	if !plannedStatements[t] {
		return nil
	}
	return g.vetPlan(ctx, s, query, args, t)
}

// fileStatementWords are the first words of the statements fileStatements
// lists. DuckDB creates an EXPORT's folder while it prepares the statement,
// before its type can be asked, so these are also vetted before DuckDB
// sees them.
var fileStatementWords = map[string]bindings.StatementType{
	"COPY": bindings.StatementTypeCopy, "EXPORT": bindings.StatementTypeExport, "ATTACH": bindings.StatementTypeAttach,
}

// preVet vets a statement that starts like one of fileStatements before
// DuckDB prepares it; vet checks it again by the type DuckDB gives it.
func (g *guard) preVet(query string) error {
	toks := lexSQL(query)
	if len(toks) == 0 {
		return nil
	}
	if err := g.vetInternal(toks); err != nil {
		return err
	}
	t, ok := fileStatementWords[strings.ToUpper(toks[0].text)]
	if !ok {
		return nil
	}
	if t == bindings.StatementTypeCopy && len(toks) > 2 && strings.EqualFold(toks[1].text, "FROM") && strings.EqualFold(toks[2].text, "DATABASE") {
		t = bindings.StatementTypeCopyDatabase
	}
	return g.vetFile(t, fileStatements[t], query)
}

// vetFile refuses a statement that reads or writes a file when the session
// may not, or when it names one of the warehouse's own files.
func (g *guard) vetFile(t bindings.StatementType, what, query string) error {
	if !g.files {
		return &RefusedError{Kind: RefusedFiles, What: what}
	}
	if t == bindings.StatementTypeCopyDatabase {
		return nil // between databases already attached
	}
	target, ok := fileTarget(t, query)
	if !ok {
		return &RefusedError{Kind: RefusedFiles, What: what + " that does not name its file as a plain quoted path"}
	}
	return g.own.check(target)
}

// vetExplain vets the statement an EXPLAIN shows: EXPLAIN ANALYZE runs it.
func (g *guard) vetExplain(ctx context.Context, s *Session, query string, args []any, depth int) error {
	inner, ok := explained(query)
	if !ok || depth > 2 {
		return &RefusedError{Kind: RefusedSettings, What: "an EXPLAIN slackaudit cannot check"}
	}
	var stmt bindings.PreparedStatement
	defer bindings.DestroyPrepare(&stmt)
	if bindings.Prepare(s.conn, inner, &stmt) == bindings.StateError {
		return duckError(bindings.PrepareError(stmt))
	}
	return g.vet(ctx, s, stmt, inner, args, depth+1)
}

// unsafeFunctions are DuckDB's table functions that change its settings
// behind its configuration lock, as operator names in DuckDB's plans.
var unsafeFunctions = map[string]Refusal{
	"ENABLE_LOGGING":       RefusedSettings,
	"DISABLE_LOGGING":      RefusedSettings,
	"TRUNCATE_DUCKDB_LOGS": RefusedSettings,
	"ENABLE_PROFILING":     RefusedSettings,
	"DISABLE_PROFILING":    RefusedSettings,
	"ENABLE_PEG_PARSER":    RefusedSettings,
	"DISABLE_PEG_PARSER":   RefusedSettings,
}

// planNode is one operator of DuckDB's EXPLAIN (FORMAT json) output.
type planNode struct {
	Name     string         `json:"name"`
	Children []planNode     `json:"children"`
	Extra    map[string]any `json:"extra_info"`
}

// vetPlan asks DuckDB to plan the statement, without running it, and
// refuses it if the plan calls an unsafe function.
func (g *guard) vetPlan(ctx context.Context, s *Session, query string, args []any, t bindings.StatementType) error {
	plan, err := explainPlan(ctx, s.conn, query, args)
	if err != nil {
		word, _ := leadingWord(skipSpace(query))
		switch {
		case t == bindings.StatementTypeCreate:
			return nil // CREATE MACRO, TYPE, SEQUENCE…: no plan, nothing runs
		case strings.EqualFold(word, "PRAGMA"):
			return nil // a pragma DuckDB rewrote into a SELECT of its own: it reads
		}
		return fmt.Errorf("checking the statement before running it: %w", err)
	}
	var nodes []planNode
	if err := json.Unmarshal([]byte(plan), &nodes); err != nil {
		return fmt.Errorf("reading DuckDB's plan of the statement: %w", err)
	}
	return walkPlan(nodes)
}

func walkPlan(nodes []planNode) error {
	for _, n := range nodes {
		names := []string{strings.ToUpper(n.Name)}
		if f, ok := n.Extra["Function"].(string); ok {
			names = append(names, strings.ToUpper(f))
		}
		for _, name := range names {
			if kind, ok := unsafeFunctions[name]; ok {
				return &RefusedError{Kind: kind, What: strings.ToLower(name)}
			}
		}
		if err := walkPlan(n.Children); err != nil {
			return err
		}
	}
	return nil
}

// explainPlan returns DuckDB's physical plan of query as JSON.
func explainPlan(ctx context.Context, conn bindings.Connection, query string, args []any) (string, error) {
	plain := &Session{conn: conn}
	rows, err := plain.stream(ctx, "EXPLAIN (FORMAT json) "+query, args)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var key, value any
		if err := rows.Scan(&key, &value); err != nil {
			return "", err
		}
		if v, ok := value.(string); ok {
			plan.WriteString(v)
		}
	}
	return plan.String(), rows.Err()
}

// explained returns the statement an EXPLAIN [ANALYZE] [(options)] shows,
// skipping comments; ok is false when query does not have that shape.
func explained(query string) (inner string, ok bool) {
	rest := skipSpace(query)
	word, rest := leadingWord(rest)
	if !strings.EqualFold(word, "EXPLAIN") {
		return "", false
	}
	rest = skipSpace(rest)
	if word, after := leadingWord(rest); strings.EqualFold(word, "ANALYZE") || strings.EqualFold(word, "ANALYSE") {
		rest = skipSpace(after)
	}
	if strings.HasPrefix(rest, "(") {
		end := strings.IndexByte(rest, ')')
		if end < 0 || strings.ContainsAny(rest[:end], "'\"") {
			return "", false
		}
		rest = skipSpace(rest[end+1:])
	}
	return rest, rest != ""
}

// skipSpace skips white space and SQL comments.
func skipSpace(s string) string {
	for {
		t := strings.TrimLeft(s, " \t\r\n\f\v")
		switch {
		case strings.HasPrefix(t, "--"):
			i := strings.IndexByte(t, '\n')
			if i < 0 {
				return ""
			}
			s = t[i+1:]
		case strings.HasPrefix(t, "/*"):
			i := strings.Index(t, "*/")
			if i < 0 {
				return ""
			}
			s = t[i+2:]
		default:
			return t
		}
	}
}

// leadingWord splits off the letters s starts with.
func leadingWord(s string) (word, rest string) {
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	return s[:i], s[i:]
}
