package schema

import "fmt"

// Kind says how a sync writes a table.
type Kind uint8

const (
	// Snapshot tables are rebuilt by every sync: the sync loads a staging
	// copy and swaps it in at commit, so readers always see one whole
	// snapshot.
	Snapshot Kind = iota
	// History tables keep rows from every sync: the sync stages new rows
	// and appends them at commit (daily analytics, seat history).
	History
	// Log tables are the warehouse's own, written directly, outside any
	// snapshot (sync_runs, source_status, actions_log).
	Log
)

// String is the kind's name in the schema's metadata: snapshot, history
// or log.
func (k Kind) String() string {
	switch k {
	case Snapshot:
		return "snapshot"
	case History:
		return "history"
	case Log:
		return "log"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// ParseKind reads a kind's name.
func ParseKind(s string) (Kind, error) {
	for _, k := range []Kind{Snapshot, History, Log} {
		if k.String() == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("kind %q (metadata %s): use snapshot, history or log", s, KeyKind)
}

func (k Kind) check() error {
	_, err := ParseKind(k.String())
	return err
}
