package main

import (
	_ "github.com/apache/arrow-go/v18/arrow"
	_ "github.com/chzyer/readline"
	_ "github.com/duckdb/duckdb-go/v2"
	_ "github.com/slack-go/slack"
	_ "github.com/stretchr/testify/require"
)

func main() {}
