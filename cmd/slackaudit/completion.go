package main

import (
	"github.com/spf13/cobra"
)

// completionLong and completionExamples are completion's help.
const (
	completionLong = `
Prints a script that makes your shell complete slackaudit's commands, their
flags and act's actions as you type; the script asks slackaudit itself, so it
stays right as slackaudit changes. Load it from your shell's start-up file.`
	completionExamples = `  source <(slackaudit completion bash)       # in ~/.bashrc
  slackaudit completion zsh > "${fpath[1]}/_slackaudit"
  slackaudit completion fish > ~/.config/fish/completions/slackaudit.fish`
)

// newCompletionCmd builds the command that prints root's completion script
// for a shell.
func newCompletionCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:       "completion bash|zsh|fish",
		Short:     "print the script that completes slackaudit's commands and flags in bash, zsh or fish",
		Long:      completionLong,
		Example:   completionExamples,
		Args:      exactArgs(1),
		ValidArgs: []string{"bash", "zsh", "fish"},
		RunE: func(c *cobra.Command, args []string) error {
			w := c.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(w, true)
			case "zsh":
				return root.GenZshCompletion(w)
			case "fish":
				return root.GenFishCompletion(w, true)
			}
			return usagef("completion %q: say bash, zsh or fish", args[0])
		},
	}
}
