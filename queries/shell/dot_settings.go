package shell

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"slackaudit/queries"
)

func (s *Shell) dotMode(_ context.Context, args []string) error {
	if len(args) == 0 {
		w, _, _ := s.peekTarget()
		fmt.Fprintf(w, "mode %s\n", s.mode)
		return nil
	}
	if len(args) > 1 {
		return usage("mode")
	}
	f, err := queries.ParseFormat(strings.ToLower(args[0]))
	if err != nil {
		return err
	}
	s.mode = f
	return nil
}

func onOff(name string, args []string) (bool, error) {
	if len(args) == 1 {
		switch strings.ToLower(args[0]) {
		case "on", "yes", "true", "1":
			return true, nil
		case "off", "no", "false", "0":
			return false, nil
		}
	}
	return false, usage(name)
}

func (s *Shell) dotHeaders(_ context.Context, args []string) error {
	v, err := onOff("headers", args)
	if err == nil {
		s.headers = v
	}
	return err
}

func (s *Shell) dotTimer(_ context.Context, args []string) error {
	v, err := onOff("timer", args)
	if err == nil {
		s.timer = v
	}
	return err
}

func (s *Shell) dotNullValue(_ context.Context, args []string) error {
	if len(args) != 1 {
		return usage("nullvalue")
	}
	s.nullValue = args[0]
	return nil
}

func (s *Shell) dotMaxRows(_ context.Context, args []string) error {
	if len(args) != 1 {
		return usage("maxrows")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 0 {
		return fmt.Errorf(".maxrows %q: give a number of rows, or 0 for all", args[0])
	}
	s.maxRows, s.maxRowsSet = n, true
	return nil
}

func (s *Shell) dotShow(_ context.Context, args []string) error {
	if len(args) > 0 {
		return usage("show")
	}
	w, _, done := s.target()
	defer done()
	rows := "all"
	switch {
	case s.maxRowsSet && s.maxRows > 0:
		rows = strconv.Itoa(s.maxRows)
	case !s.maxRowsSet && s.cfg.Interactive:
		rows = fmt.Sprintf("%d on the terminal, all in files", defaultTerminalRows)
	}
	null := s.nullValue
	if null == "" {
		null = "(NULL in tables, empty in csv)"
	} else {
		null = strconv.Quote(null)
	}
	output := "stdout"
	if s.outFile != nil {
		output = s.outFile.Name()
	}
	on := map[bool]string{true: "on", false: "off"}
	width := "the terminal's, no limit in files"
	if s.maxWidth > 0 {
		width = strconv.Itoa(s.maxWidth)
	}
	fmt.Fprintf(w, "warehouse: %s (%s)\n", s.path, s.access())
	fmt.Fprintf(w, "     mode: %s\n  headers: %s\nnullvalue: %s\n  maxrows: %s\n maxwidth: %s\n    timer: %s\n     echo: %s\n     bail: %s\n   output: %s\n",
		s.mode, on[s.headers], null, rows, width, on[s.timer], on[s.echo], on[s.bail], output)
	return nil
}
