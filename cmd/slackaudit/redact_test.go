package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slackapi"
	"slackaudit/extract/slacktest"
	"slackaudit/warehouse"
)

// echoServer answers auth.test as Slack does when it quotes the token back:
// ok:false with the token in warning and response_metadata.messages.
func echoServer(t *testing.T, token string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"ok":false,"error":"invalid_auth","warning":"superfluous_charset; token %[1]s",`+
			`"response_metadata":{"messages":["[ERROR] token %[1]s was revoked","[WARN] Bearer %[1]s"],"warnings":["%[1]s"]}}`, token)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// assertNotStored fails if any text column of any table in the warehouse
// holds one of the secrets. Views are left out: they show what the tables
// hold, and a leftover Arrow view of an older sync cannot be read safely.
func assertNotStored(t *testing.T, path string, secrets ...string) {
	t.Helper()
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	rows, err := db.SQL().Query(`SELECT c.table_name, c.column_name FROM information_schema.columns c
		JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.data_type = 'VARCHAR' AND t.table_schema = 'main' AND t.table_type = 'BASE TABLE' ORDER BY ALL`)
	require.NoError(t, err)
	type col struct{ table, column string }
	var cols []col
	for rows.Next() {
		var c col
		require.NoError(t, rows.Scan(&c.table, &c.column))
		cols = append(cols, c)
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.NotEmpty(t, cols)
	for _, c := range cols {
		for _, s := range secrets {
			var n int
			q := fmt.Sprintf("SELECT count(*) FROM %q WHERE contains(%q, ?)", c.table, c.column)
			require.NoError(t, db.SQL().QueryRow(q, s).Scan(&n), q)
			assert.Zero(t, n, "%s.%s holds a secret", c.table, c.column)
		}
	}
}

func TestSyncEchoedTokenIsNeverStoredOrPrinted(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, token string
		fromFile    bool
	}{
		{"a token of Slack's shape, from SLACK_TOKEN", "xoxp-2024-echo-0123456789-abcdef", false},
		// Only the exact value the command read can redact this one.
		{"a token of no known shape, from --token-file", "s3cr3t-Echo-Value-7d1e0c5b", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := echoServer(t, tc.token)
			db := tempDB(t)
			c := newCLI(t, map[string]string{"SLACK_TOKEN": tc.token})
			args := []string{"sync", "--db", db, "--api-url", srv.URL + "/api/"}
			if tc.fromFile {
				file := filepath.Join(t.TempDir(), "token")
				require.NoError(t, os.WriteFile(file, []byte(tc.token+"\n"), 0o600))
				c = newCLI(t, nil)
				c.secrets = append(c.secrets, tc.token)
				args = append(args, "--token-file", file)
			}
			r := c.run(args...) // c.run fails the test if the token reaches stdout or stderr
			assert.Equal(t, exitFailure, r.code)
			assert.Contains(t, r.stderr, "invalid_auth")
			assert.Contains(t, r.stderr, "[redacted]", "Slack's message is kept, the token in it is not")
			stored := queryString(t, db, "SELECT error FROM sync_runs WHERE status = 'failed'")
			assert.Contains(t, stored, "invalid_auth")
			assert.Contains(t, stored, "was revoked", "the message Slack sent is stored")
			assert.Contains(t, stored, "[redacted]")
			assertNotStored(t, db, tc.token)
		})
	}
}

func TestSyncProxyCredentialsInAPIURLAreNeverStoredOrPrinted(t *testing.T) {
	t.Parallel()
	const password = "hunter2-Proxy-Pass"
	srv, tok := orgServer(t, slacktest.Config{Seed: 5, Users: 30})
	db := tempDB(t)
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	c.secrets = append(c.secrets, password)
	withCreds := strings.Replace(srv.URL(), "http://", "http://audit:"+password+"@", 1)
	r := c.run("sync", "--db", db, "--api-url", withCreds, "--verbose")
	require.Equal(t, exitOK, r.code, r.stderr)
	apiURL := queryString(t, db, "SELECT api_url FROM sync_runs")
	assert.Equal(t, strings.Replace(srv.URL(), "http://", "http://[redacted]@", 1), apiURL)
	assertNotStored(t, db, password, tok)

	// A failing sync through the same URL: the stored error and the
	// message hold neither the password nor the token.
	echo := echoServer(t, tok)
	failing := strings.Replace(echo.URL, "http://", "http://audit:"+password+"@", 1) + "/api/"
	r = c.run("sync", "--db", db, "--api-url", failing)
	assert.Equal(t, exitFailure, r.code)
	assertNotStored(t, db, password, tok)
}

func TestTokenFileOpenToOthersIsWarnedAbout(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "xoxp-any")
	file := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(file, []byte("xoxp-1-2-3-token-file\n"), 0o600))
	c := newCLI(t, nil)
	c.secrets = append(c.secrets, "xoxp-1-2-3-token-file")
	r := c.run("sync", "--db", tempDB(t), "--api-url", srv.URL+"/api/", "--token-file", file)
	assert.Equal(t, exitFailure, r.code, "the echo server refuses every token")
	assert.NotContains(t, r.stderr, "warning", "a file only its owner can open gets no warning")

	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o620} {
		require.NoError(t, os.Chmod(file, mode))
		r = c.run("sync", "--db", tempDB(t), "--api-url", srv.URL+"/api/", "--token-file", file)
		assert.Equal(t, exitFailure, r.code)
		assert.Contains(t, r.stderr, fmt.Sprintf("warning: --token-file %s is open to other users (permissions %04o): run chmod 600 %s", file, mode, file))
	}
}

func TestTokenFileThatIsNotARegularFileIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	srv := echoServer(t, "xoxp-any")
	c := newCLI(t, nil)
	cases := []struct{ file, want string }{
		{dir, "is a folder"},
		{fifo, "is not a regular file (p"},
		{os.DevNull, "is not a regular file (D"},
	}
	for _, tc := range cases {
		done := make(chan result, 1)
		go func() {
			done <- c.run("sync", "--db", tempDB(t), "--api-url", srv.URL+"/api/", "--token-file", tc.file)
		}()
		select {
		case r := <-done:
			assert.Equal(t, exitUsage, r.code, tc.file)
			assert.Contains(t, r.stderr, "--token-file "+tc.file+" "+tc.want, tc.file)
			assert.Contains(t, r.stderr, "chmod 600")
		case <-time.After(20 * time.Second):
			t.Fatalf("--token-file %s: the command blocked instead of refusing the file", tc.file)
		}
	}
}

// TestPanicIsAnInternalErrorNotAUsageError runs a command that panics,
// added to a tree of its own rather than to the one run builds.
func TestPanicIsAnInternalErrorNotAUsageError(t *testing.T) {
	t.Parallel()
	const tok = "xoxp-9-panic-token-value"
	boom := &cobra.Command{Use: "boom", Short: "panics", Args: exactArgs(0),
		RunE: func(*cobra.Command, []string) error {
			panic("cannot go on with token " + tok)
		}}
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
		now: time.Now, red: &slackapi.Redactor{}}
	root := newRootCmd(e)
	root.AddCommand(boom)
	code := e.execute(context.Background(), root, []string{"boom"})
	assert.Equal(t, exitFailure, code, "a crash is a failure, not a usage error")
	assert.Contains(t, errb.String(), "slackaudit boom: internal error: cannot go on with token [redacted]")
	assert.Contains(t, errb.String(), "This is a bug in slackaudit")
	assert.Contains(t, errb.String(), "goroutine ", "the stack is printed")
	assert.Contains(t, errb.String(), "redact_test.go", "the stack names where it panicked")
	assert.NotContains(t, errb.String(), tok)
	assert.Nil(t, lookupIn(newRootCmd(e), "boom"), "the tree run builds has no such command")
}

func lookupIn(root *cobra.Command, name string) *cobra.Command {
	for _, c := range root.Commands() {
		if c.Name() == name {
			return c
		}
	}
	return nil
}
