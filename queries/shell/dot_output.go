package shell

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// dotMaxWidth sets the width tables are fitted to: on every output, the
// terminal or not; 0 goes back to the terminal's own width (and no limit
// for files and pipes).
func (s *Shell) dotMaxWidth(_ context.Context, args []string) error {
	if len(args) != 1 {
		return usage("maxwidth")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 0 {
		return fmt.Errorf(".maxwidth %q: give a width in characters, or 0 for the terminal's width", args[0])
	}
	s.maxWidth = n
	return nil
}

// dotWidth fixes the widths of the first columns, as sqlite's .width does:
// 0 leaves a column to its values, a negative width right-aligns it; no
// arguments clears them all.
func (s *Shell) dotWidth(_ context.Context, args []string) error {
	widths := make([]int, len(args))
	for i, a := range args {
		n, err := strconv.Atoi(a)
		if err != nil {
			return fmt.Errorf(".width %q: give each column's width as a number (0: fit its values; negative: align right)", a)
		}
		widths[i] = n
	}
	s.widths = widths
	return nil
}

// dotPrint writes its arguments, joined by spaces, to the output.
func (s *Shell) dotPrint(_ context.Context, args []string) error {
	w, _, _ := s.peekTarget()
	_, err := fmt.Fprintln(w, strings.Join(args, " "))
	return err
}

func (s *Shell) dotEcho(_ context.Context, args []string) error {
	v, err := onOff("echo", args)
	if err == nil {
		s.echo = v
	}
	return err
}

func (s *Shell) dotBail(_ context.Context, args []string) error {
	v, err := onOff("bail", args)
	if err == nil {
		s.bail = v
	}
	return err
}

// echoed writes a statement or dot-command to the output before it runs,
// when .echo is on.
func (s *Shell) echoed(text string) {
	if s.echo {
		w, _, _ := s.peekTarget()
		fmt.Fprintln(w, strings.TrimSpace(text))
	}
}

// checkOutputFile refuses a file a read-only session may not write: like
// the files statements read and write, .output and .once files must be in
// a folder --allow-files names. A session opened with --write may write
// where the user can.
func (s *Shell) checkOutputFile(cmd, name string) error {
	if s.cfg.Write {
		return nil
	}
	if len(s.cfg.AllowFiles) == 0 {
		return fmt.Errorf(".%s %s: this read-only shell writes no files; start it with --allow-files DIR to write files in DIR", cmd, name)
	}
	dir, err := resolveDir(filepath.Dir(expandHome(name)))
	if err != nil {
		return fmt.Errorf(".%s %s: %w", cmd, name, err)
	}
	for _, a := range s.cfg.AllowFiles {
		if allowed, err := resolveDir(a); err == nil && inside(allowed, dir) {
			return nil
		}
	}
	return fmt.Errorf(".%s %s: this read-only shell writes files only in %s; start it with --allow-files DIR for another folder",
		cmd, name, strings.Join(s.cfg.AllowFiles, ", "))
}

// resolveDir is dir made absolute with its symbolic links followed, so that
// a link cannot lead out of an allowed folder.
func resolveDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if os.IsNotExist(err) {
			return "", fmt.Errorf("no folder %s", dir)
		}
		return "", err
	}
	return real, nil
}

// inside reports whether path is dir or lies within it.
func inside(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
