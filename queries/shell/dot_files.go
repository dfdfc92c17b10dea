package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

func createOutput(name string) (*os.File, error) {
	f, err := os.Create(expandHome(name))
	if err != nil {
		return nil, fmt.Errorf("opening output file: %w", err)
	}
	return f, nil
}

func (s *Shell) dotOutput(_ context.Context, args []string) error {
	if len(args) > 1 {
		return usage("output")
	}
	if s.outFile != nil {
		if err := s.outFile.Close(); err != nil {
			return fmt.Errorf("closing %s: %w", s.outFile.Name(), err)
		}
		s.outFile = nil
	}
	if len(args) == 0 || args[0] == "stdout" || args[0] == "-" {
		return nil
	}
	if err := s.checkOutputFile("output", args[0]); err != nil {
		return err
	}
	f, err := createOutput(args[0])
	if err != nil {
		return err
	}
	s.outFile = f
	return nil
}

func (s *Shell) dotOnce(_ context.Context, args []string) error {
	if len(args) != 1 {
		return usage("once")
	}
	if err := s.checkOutputFile("once", args[0]); err != nil {
		return err
	}
	f, err := createOutput(args[0])
	if err != nil {
		return err
	}
	if s.onceFile != nil {
		s.onceFile.Close()
	}
	s.onceFile = f
	return nil
}

// maxReadDepth stops .read files that read themselves.
const maxReadDepth = 16

func (s *Shell) dotRead(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return usage("read")
	}
	if s.depth >= maxReadDepth {
		return fmt.Errorf(".read nested more than %d deep: does %s read itself?", maxReadDepth, args[0])
	}
	name := expandHome(args[0])
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf(".read: %w", err)
	}
	defer f.Close()
	s.depth++
	defer func() { s.depth-- }()
	return s.script(ctx, f, args[0], func() bool { return true })
}

func (s *Shell) dotOpen(ctx context.Context, args []string) error {
	if len(args) == 0 {
		w, _, _ := s.peekTarget()
		fmt.Fprintf(w, "%s (%s)\n", s.path, s.access())
		return nil
	}
	if len(args) > 1 {
		return usage("open")
	}
	old := s.path
	if err := s.closeDB(); err != nil {
		return err
	}
	if err := s.open(ctx, expandHome(args[0])); err != nil {
		if rerr := s.open(ctx, old); rerr != nil {
			return fmt.Errorf("%w; reopening %s also failed: %v", err, old, rerr)
		}
		return fmt.Errorf("%w; still on %s", err, old)
	}
	return nil
}

func (s *Shell) access() string {
	if s.cfg.Write {
		return "read-write"
	}
	return "read-only"
}

func (s *Shell) dotSync(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usage("sync")
	}
	if s.cfg.Sync == nil {
		msg := ".sync is not available in this session"
		if s.cfg.SyncHelp != "" {
			msg += ": " + s.cfg.SyncHelp
		}
		return errors.New(msg)
	}
	path := s.path
	if err := s.closeDB(); err != nil {
		return err
	}
	var progress io.Writer
	if s.cfg.Interactive {
		progress = s.stderr
	}
	summary, err := s.cfg.Sync(ctx, path, progress)
	if rerr := s.open(context.WithoutCancel(ctx), path); rerr != nil {
		return errors.Join(err, fmt.Errorf("reopening %s after the sync: %w", path, rerr))
	}
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("sync cancelled; the previous snapshot is intact")
		}
		return fmt.Errorf("sync: %w", err)
	}
	w, _, done := s.target()
	defer done()
	fmt.Fprint(w, summary)
	if !strings.HasSuffix(summary, "\n") {
		fmt.Fprintln(w)
	}
	return nil
}
