package textcell

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWidth(t *testing.T) {
	for s, want := range map[string]int{
		"":            0,
		"plain":       5,
		"李小龙":         6,
		"ｱｲｳ":         3, // half-width katakana
		"Ａ":           2, // full-width Latin
		"🙂":           2,
		"👩‍💻":         2, // one grapheme joined by ZWJ
		"e\u0301":     1, // e + combining acute
		"Zoë 김":       6,
		"tab\there":   7, // a control character counts as nothing; callers escape them first
		"naïve café ": 11,
	} {
		assert.Equal(t, want, Width(s), "%q", s)
	}
}

func TestTruncate(t *testing.T) {
	assert.Equal(t, "plain", Truncate("plain", 5))
	assert.Equal(t, "pla…", Truncate("plain", 4))
	assert.Equal(t, "李…", Truncate("李小龙", 4), "a wide character that would cross the width is dropped")
	assert.Equal(t, "李小…", Truncate("李小龙", 5))
	assert.Equal(t, "👩‍💻…", Truncate("👩‍💻👩‍💻👩‍💻", 4), "a joined emoji is kept whole")
	assert.Equal(t, "", Truncate("abc", 0))
	assert.Equal(t, "…", Truncate("abc", 1))
}

func TestPad(t *testing.T) {
	assert.Equal(t, "李小龙  ", Pad("李小龙", 8, false))
	assert.Equal(t, "  李小龙", Pad("李小龙", 8, true))
	assert.Equal(t, "toolong", Pad("toolong", 3, false))
}

func TestPrefix(t *testing.T) {
	assert.Equal(t, "李", Prefix("李小龙", 3))
	assert.Equal(t, "ab", Prefix("abc", 2))
	assert.Equal(t, "abc", Prefix("abc", 5))
	assert.Equal(t, "", Prefix("abc", 0))
}
