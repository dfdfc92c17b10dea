package shell

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHistoryFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "cfg", "slackaudit", "history")
	h, entries, err := openHistory(path)
	require.NoError(t, err)
	assert.Empty(t, entries)
	require.NoError(t, h.add("SELECT 1;"))
	require.NoError(t, h.add(".tables"))
	require.NoError(t, h.close())

	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "history names people: owner only")
	dir, err := os.Stat(filepath.Dir(path))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), dir.Mode().Perm())

	h, entries, err = openHistory(path)
	require.NoError(t, err)
	assert.Equal(t, []string{"SELECT 1;", ".tables"}, entries)
	h.close()

	// A long history is cut to the newest entries, keeping the file private.
	var b strings.Builder
	for i := range historyLimit + 10 {
		fmt.Fprintf(&b, "SELECT %d;\n", i)
	}
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	h, entries, err = openHistory(path)
	require.NoError(t, err)
	h.close()
	require.Len(t, entries, historyLimit)
	assert.Equal(t, "SELECT 10;", entries[0])
	st, err = os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
}
