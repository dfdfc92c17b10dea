package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slackaudit/extract/slacktest"
)

func TestBuildVersion(t *testing.T) {
	t.Parallel()
	rev := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123abcd"}}
	for _, c := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"a released module", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: rev}, true, "v1.4.0"},
		{"a checkout: its commit", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: rev}, true, "0123abcd"},
		{"a checkout without VCS stamps", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "(devel)"},
		{"no build information", nil, false, ""},
	} {
		assert.Equal(t, c.want, buildVersion(c.bi, c.ok), c.name)
	}
}

func TestExportManifestRecordsTheVersion(t *testing.T) {
	t.Parallel()
	db, _ := syncedDB(t)
	out := filepath.Join(t.TempDir(), "export")
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" },
		now: func() time.Time { return testNow }, version: "v9.8.7"}
	require.Equal(t, exitOK, run(context.Background(), []string{"export", "--db", db, "--out", out, "--tables", "users"}, e), stderr.String())
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	require.NoError(t, err)
	var m struct {
		Version string `json:"slackaudit_version"`
	}
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "v9.8.7", m.Version)
	assert.Regexp(t, `^Exported 1 table \([\d,]+ rows\) from sync 1 as parquet to `+regexpQuote(out)+"\n  users +[\\d,]+ rows  users\\.parquet\n$", stdout.String())
}

func regexpQuote(s string) string {
	return strings.NewReplacer(`\`, `\\`, ".", `\.`, "+", `\+`, "(", `\(`, ")", `\)`).Replace(s)
}

func TestSyncVerboseShowsTheFloor(t *testing.T) {
	t.Parallel()
	srv, tok := orgServer(t, slacktest.Config{Seed: 31, Users: 60})
	c := newCLI(t, map[string]string{"SLACK_TOKEN": tok})
	r := c.run("sync", "--db", tempDB(t), "--api-url", srv.URL(), "--verbose")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `(?m)^API calls: .*\nfloor \d+\.\d min \([a-z]+\.[a-zA-Z.]+\), took \d+\.\d min$`, r.stdout)
	r = c.run("sync", "--db", tempDB(t), "--api-url", srv.URL())
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "floor ")
}
