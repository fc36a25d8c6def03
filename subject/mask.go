package subject

import (
	"strings"
	"unicode/utf8"
)

// Mask keeps the first head and the last tail runes of s and replaces each
// rune between with '*'. When s is too short to keep both and still hide
// something (runes <= head+tail) it masks all but the last min(tail, runes-1)
// runes, so a masked value never shows whole. Negative counts mean 0.
func Mask(s string, head, tail int) string {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return ""
	}
	head, tail = max(head, 0), max(tail, 0)
	if head >= n-tail {
		head, tail = 0, min(tail, n-1)
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for _, r := range s {
		if i < head || i >= n-tail {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}
