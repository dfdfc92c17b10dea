package shell

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxLine is the longest input line a script may have (a pasted INSERT).
const maxLine = 64 << 20

// ScriptError is returned when a script with Bail off had failing
// statements; each was printed as it happened.
type ScriptError struct {
	Failed int // statements and dot-commands that failed
	Lines  []int
}

func (e *ScriptError) Error() string {
	lines := make([]string, len(e.Lines))
	for i, l := range e.Lines {
		lines[i] = fmt.Sprint(l)
	}
	return fmt.Sprintf("%d %s failed (line %s); see the errors above", e.Failed, plural(int64(e.Failed), "statement", "statements"),
		strings.Join(lines, ", "))
}

// script runs r as a script: statements and dot-commands in order, no
// prompt, no history. With bail, the first error (placed at its line) ends
// it; without, errors are printed and counted. file names r in errors ("" for
// stdin).
func (s *Shell) script(ctx context.Context, r io.Reader, file string, bail func() bool) error {
	sp := NewSplitter()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var failed ScriptError
	fail := func(err error) error {
		if bail() {
			return err
		}
		var l *located
		if errors.As(err, &l) {
			failed.Lines = append(failed.Lines, l.line)
		}
		failed.Failed++
		s.report(err)
		return nil
	}
	run := func(st Statement) error {
		s.echoed(st.Text + ";")
		if err := s.execSQL(ctx, st.Text); err != nil {
			return fail(locate(file, st, err))
		}
		return nil
	}
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if sp.Empty() && isDotLine(line) {
			st := Statement{Text: line, Line: sp.Line()}
			sp.Skip()
			if err := s.dot(ctx, line); err != nil {
				var l *located
				if !errors.As(err, &l) { // a nested .read places its own errors
					err = &located{file: file, line: st.Line, err: err}
				}
				if err := fail(err); err != nil {
					return err
				}
			}
			if s.quit {
				// .exit after a failed statement still fails the script.
				if failed.Failed > 0 {
					return &failed
				}
				return nil
			}
			continue
		}
		for _, st := range sp.Add(line) {
			if err := run(st); err != nil {
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
	}
	if err := sc.Err(); err != nil {
		name := file
		if name == "" {
			name = "stdin"
		}
		return fmt.Errorf("reading %s: %w", name, err)
	}
	st, ok, unterminated := sp.Flush()
	if ok {
		if unterminated != "" {
			err := fmt.Errorf("the script ends inside %s that starts here; close it", unterminated)
			if e := fail(&located{file: file, line: st.Line, err: err}); e != nil {
				return e
			}
		} else if err := run(st); err != nil {
			return err
		}
	}
	if failed.Failed > 0 {
		return &failed
	}
	return nil
}
