package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"slackaudit/queries/textcell"
)

// argKind says what Tab completes in a dot-command's arguments.
type argKind int

const (
	argNone argKind = iota
	argRelation
	argQuery
	argFormat
	argOnOff
	argPath
	argCommand
)

// dotCommand is one of the shell's dot-commands.
type dotCommand struct {
	name     string
	args     string
	short    string
	long     string
	complete argKind
	hidden   bool // an alias, left out of .help
	run      func(s *Shell, ctx context.Context, args []string) error
}

// dotCommands lists the dot-commands in .help order. It is a function, not
// a variable, because .help, which it lists, reads it back.
func dotCommands() []*dotCommand {
	return []*dotCommand{
		{name: "help", args: "[COMMAND]", short: "list the dot-commands, or explain one", complete: argCommand, run: (*Shell).dotHelp},
		{name: "tables", args: "[PATTERN]", short: "list tables and views with their row counts and what they hold",
			long:     "PATTERN filters names: * and ? are wildcards; without them, names containing PATTERN are listed.",
			complete: argRelation, run: (*Shell).dotTables},
		{name: "schema", args: "[TABLE]", short: "show CREATE statements, with what each column means as a comment",
			complete: argRelation, run: (*Shell).dotSchema},
		{name: "describe", args: "TABLE", short: "show a table's columns, types and what each Slack field means",
			complete: argRelation, run: (*Shell).dotDescribe},
		{name: "queries", short: "list the named queries with their descriptions and parameters", run: (*Shell).dotQueries},
		{name: "run", args: "NAME [param=value ...]", short: "run a named query; its parameters are bound, never pasted into SQL",
			complete: argQuery, run: (*Shell).dotRun},
		{name: "mode", args: "[duckbox|box|table|line|list|csv|json|jsonl|markdown]", short: "set the output format (no argument: show it)",
			long: "duckbox (the default on a terminal, as in DuckDB), box, table and markdown fit the terminal's width: long values are cut " +
				"with …, and when the columns still do not fit, the first and last are kept and a … column stands for the rest. " +
				"line shows one column per line, for wide rows. Numbers are grouped in thousands in these formats. " +
				"list, csv, json and jsonl keep values exact and are never cut; files and pipes are never cut in any format.",
			complete: argFormat, run: (*Shell).dotMode},
		{name: "headers", args: "on|off", short: "show or hide column headers", complete: argOnOff, run: (*Shell).dotHeaders},
		{name: "nullvalue", args: "TEXT", short: `text shown for NULL (default: NULL in tables, empty in csv; .nullvalue "" for empty)`,
			run: (*Shell).dotNullValue},
		{name: "maxrows", args: "N", short: fmt.Sprintf("show at most N rows of a result, 0 for all (default: %d on a terminal, all elsewhere)", defaultTerminalRows),
			long: "A footer says how many rows were not shown.", run: (*Shell).dotMaxRows},
		{name: "maxwidth", args: "N", short: "fit tables to N characters, on files too; 0 for the terminal's width (and no limit in files)",
			run: (*Shell).dotMaxWidth},
		{name: "width", args: "[N ...]", short: "fix the widths of the first columns (0: fit the values; negative: align right); none: clear",
			run: (*Shell).dotWidth},
		{name: "timer", args: "on|off", short: "print how long each statement takes", complete: argOnOff, run: (*Shell).dotTimer},
		{name: "output", args: "[FILE]", short: "write results to FILE (replacing it); no FILE: back to the terminal",
			long:     "A read-only shell writes files only in the folders --allow-files names, as for statements.",
			complete: argPath, run: (*Shell).dotOutput},
		{name: "once", args: "FILE", short: "write the next result only to FILE",
			long:     "A read-only shell writes files only in the folders --allow-files names, as for statements.",
			complete: argPath, run: (*Shell).dotOnce},
		{name: "print", args: "TEXT ...", short: "write TEXT to the output", run: (*Shell).dotPrint},
		{name: "echo", args: "on|off", short: "write each statement and dot-command to the output before running it",
			complete: argOnOff, run: (*Shell).dotEcho},
		{name: "bail", args: "on|off", short: "stop a script at its first error (on by default; --bail=false starts with it off)",
			complete: argOnOff, run: (*Shell).dotBail},
		{name: "read", args: "FILE", short: "run the statements and dot-commands in FILE, stopping at the first error",
			complete: argPath, run: (*Shell).dotRead},
		{name: "open", args: "[PATH]", short: "close this warehouse and open another (no PATH: show which is open)",
			complete: argPath, run: (*Shell).dotOpen},
		{name: "sync", short: "sync Slack into this warehouse now, with the shell's connection flags",
			long: "The shell closes the warehouse while the sync holds its write lock, then reopens it. Ctrl-C stops the sync and keeps the previous snapshot.",
			run:  (*Shell).dotSync},
		{name: "show", short: "show the current settings", run: (*Shell).dotShow},
		{name: "quit", short: "leave the shell (Ctrl-D does too)", run: (*Shell).dotQuit},
		{name: "exit", short: "leave the shell; a script exits 1 if a statement before it failed", run: (*Shell).dotQuit},
	}
}

// lookupDot finds a command by name or unambiguous prefix.
func lookupDot(name string) (*dotCommand, error) {
	var found []*dotCommand
	for _, c := range dotCommands() {
		if c.name == name {
			return c, nil
		}
		if strings.HasPrefix(c.name, name) && name != "" {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("unknown command .%s: .help lists them", name)
	}
	names := make([]string, len(found))
	for i, c := range found {
		names[i] = "." + c.name
	}
	return nil, fmt.Errorf(".%s could be %s: type more of it", name, strings.Join(names, " or "))
}

// isDotLine reports whether an input line is a dot-command.
func isDotLine(line string) bool {
	return strings.HasPrefix(strings.TrimLeft(line, " \t"), ".")
}

// dot runs one dot-command line.
func (s *Shell) dot(ctx context.Context, line string) error {
	words, err := splitArgs(strings.TrimSpace(line))
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(words[0], ".")
	name = strings.TrimSuffix(name, ";")
	c, err := lookupDot(name)
	if err != nil {
		return err
	}
	s.echoed(line)
	args := words[1:]
	if n := len(args); n > 0 && c.name != "nullvalue" {
		// ".tables;" out of SQL habit
		args[n-1] = strings.TrimSuffix(args[n-1], ";")
		if args[n-1] == "" {
			args = args[:n-1]
		}
	}
	return c.run(s, ctx, args)
}

// splitArgs splits a dot-command line into words. Single or double quotes
// group words with spaces; a doubled quote inside them stands for itself.
func splitArgs(line string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'' || c == '"':
			inWord = true
			j := i + 1
			for ; j < len(line); j++ {
				if line[j] == c {
					if j+1 < len(line) && line[j+1] == c {
						cur.WriteByte(c)
						j++
						continue
					}
					break
				}
				cur.WriteByte(line[j])
			}
			if j >= len(line) {
				return nil, fmt.Errorf("unterminated %c quote in %q", c, line)
			}
			i = j
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	if len(out) == 0 {
		return nil, errors.New("empty command")
	}
	return out, nil
}

func usage(c string) error {
	cmd, _ := lookupDot(c)
	return fmt.Errorf("usage: .%s %s", cmd.name, cmd.args)
}

func (s *Shell) dotHelp(_ context.Context, args []string) error {
	w, terminal, done := s.target()
	defer done()
	width := helpWidth
	if terminal && s.width() > 0 {
		width = s.width()
	}
	if len(args) > 0 {
		c, err := lookupDot(strings.TrimPrefix(args[0], "."))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, ".%s %s\n", c.name, c.args)
		for _, text := range []string{c.short, c.long} {
			for _, l := range wrapText(text, width-4) {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
		return nil
	}
	for _, l := range wrapText("SQL statements end with ';' and may span lines. Dot-commands take one line:", width) {
		fmt.Fprintln(w, l)
	}
	col := 0
	for _, c := range dotCommands() {
		if n := len(c.name) + len(c.args) + 2; !c.hidden && n <= helpColumn {
			col = max(col, n)
		}
	}
	for _, c := range dotCommands() {
		if !c.hidden {
			writeHanging(w, "."+c.name+" "+c.args, c.short, col, width)
		}
	}
	for _, p := range helpNotes {
		for _, l := range wrapText(p, width) {
			fmt.Fprintln(w, l)
		}
	}
	return nil
}

// helpWidth is the width .help wraps to when the output is not a terminal.
const helpWidth = 100

var helpNotes = []string{
	"Commands may be shortened to any unambiguous prefix (.desc users).",
	"Tab completes commands, tables, columns, keywords and named queries; Ctrl-R searches history; " +
		"Ctrl-C cancels the running statement or clears the line; Ctrl-D leaves.",
}

// helpColumn is the widest command .help lines descriptions up after; a
// longer one has its description on the lines below it.
const helpColumn = 28

// writeHanging writes a command and its description, wrapped at word
// boundaries to width, in a column col cells from the left margin.
func writeHanging(w io.Writer, cmd, text string, col, width int) {
	indent := strings.Repeat(" ", 2+col+1)
	lines := wrapText(text, max(width-len(indent), 20))
	if textcell.Width(cmd) > col {
		fmt.Fprintf(w, "  %s\n", cmd)
	} else {
		fmt.Fprintf(w, "  %s %s\n", textcell.Pad(cmd, col, false), lines[0])
		lines = lines[1:]
	}
	for _, l := range lines {
		fmt.Fprintf(w, "%s%s\n", indent, l)
	}
}

func (s *Shell) dotQuit(_ context.Context, args []string) error {
	s.quit = true
	return nil
}
