package warehouse

import (
	"fmt"
	"strings"
)

// RunStatus is how a sync stands, as sync_runs.status stores it. The zero
// RunStatus is not a status.
type RunStatus uint8

// The states of a sync.
const (
	noRunStatus    RunStatus = iota
	RunRunning               // started; no outcome recorded yet
	RunSucceeded             // committed: its snapshot is the current one
	RunFailed                // abandoned on an error; the previous snapshot stays
	RunInterrupted           // cancelled, or the process stopped before recording an outcome
)

var runStatusNames = [...]string{noRunStatus: "", RunRunning: "running", RunSucceeded: "succeeded", RunFailed: "failed", RunInterrupted: "interrupted"}

// RunStatuses are the states of a sync, in the order a sync passes them.
func RunStatuses() []RunStatus {
	return []RunStatus{RunRunning, RunSucceeded, RunFailed, RunInterrupted}
}

// String is the status as the warehouse stores it: running, succeeded,
// failed or interrupted.
func (s RunStatus) String() string {
	if int(s) < len(runStatusNames) {
		return runStatusNames[s]
	}
	return fmt.Sprintf("RunStatus(%d)", uint8(s))
}

// ParseRunStatus reads a status as the warehouse stores it.
func ParseRunStatus(text string) (RunStatus, error) {
	return parseValue("sync status", text, RunStatuses())
}

// SourceState says whether a data set was read for a workspace, as
// source_status.status stores it. It is a string type so that the text
// reads as itself wherever a status is printed; build one only from the
// constants or [ParseSourceState].
type SourceState string

// The outcomes of reading a data set.
const (
	SourceOK          SourceState = "ok"          // read whole
	SourceUnavailable SourceState = "unavailable" // the plan, a scope or the token type does not allow it
	SourceSkipped     SourceState = "skipped"     // left out with --skip
	SourceFailed      SourceState = "failed"      // reading it failed, and with it the sync
)

// SourceStates are the outcomes of reading a data set.
func SourceStates() []SourceState {
	return []SourceState{SourceOK, SourceUnavailable, SourceSkipped, SourceFailed}
}

// String is the outcome as the warehouse stores it.
func (s SourceState) String() string { return string(s) }

// Read reports whether the data set was read.
func (s SourceState) Read() bool { return s == SourceOK }

// ParseSourceState reads an outcome as the warehouse stores it.
func ParseSourceState(text string) (SourceState, error) {
	return parseValue("data set status", text, SourceStates())
}

// parseValue finds the value of values whose String is text, or says what
// kind of value text is not and which texts are.
func parseValue[T fmt.Stringer](kind, text string, values []T) (T, error) {
	names := make([]string, 0, len(values))
	for _, v := range values {
		if v.String() == text {
			return v, nil
		}
		names = append(names, v.String())
	}
	var zero T
	return zero, fmt.Errorf("unknown %s %q: expected one of %s", kind, text, strings.Join(names, ", "))
}
