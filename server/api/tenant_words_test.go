package api

import (
	"html/template"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestShorten(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"FitsWhole", "Parts are on order", 18, "Parts are on order"},
		{"EndsAtAWord", "Parts are on order from the supplier", 20, "Parts are on…"},
		{"CutsALongWord", strings.Repeat("a", 30), 10, "aaaaaaa…"},
		{"CountsEscapes", "it's", 4, "i…"},
		{"CountsEscapesWhole", "it's", 8, "it's"},
		{"KeepsRunesWhole", "🏠🏠🏠", 10, "🏠…"},
		{"InvalidUTF8", "\xff\xff\xff\xff", 6, "\xff…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := shorten(tc.in, tc.max)
			if got != tc.want {
				t.Errorf("shorten(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
			if n := len(template.HTMLEscapeString(got)); n > tc.max && got != tc.in {
				t.Errorf("shorten(%q, %d) escapes to %d bytes, over %d", tc.in, tc.max, n, tc.max)
			}
			if got != tc.in && !utf8.ValidString(strings.TrimSuffix(got, "…")) && utf8.ValidString(tc.in) {
				t.Errorf("shorten(%q, %d) = %q splits a character", tc.in, tc.max, got)
			}
		})
	}
}

// TestEscapedSizeBoundsTheEscaper checks escapedSize against what
// html/template writes for every ASCII character and a few others, so the
// page's budget cannot be broken by an escape the bound forgot.
func TestEscapedSizeBoundsTheEscaper(t *testing.T) {
	tpl := template.Must(template.New("").Parse(`<p>{{.}}</p>`))
	runes := []rune{'é', '€', '🏠', utf8.RuneError}
	for r := rune(0); r < utf8.RuneSelf; r++ {
		runes = append(runes, r)
	}
	for _, r := range runes {
		var b strings.Builder
		if err := tpl.Execute(&b, string(r)); err != nil {
			t.Fatal(err)
		}
		if got := b.Len() - len("<p></p>"); got > escapedSize(r) {
			t.Errorf("html/template writes %q in %d bytes; escapedSize says at most %d", r, got, escapedSize(r))
		}
	}
}

func TestLatestHistory(t *testing.T) {
	lines := func(n int) []historyItem { return make([]historyItem, n) }
	for _, tc := range []struct {
		name      string
		in        int
		kept      int
		earlier   string
		wantStart int
	}{
		{"All", historyShown, historyShown, "", 0},
		{"OneEarlier", historyShown + 1, historyShown, "1 earlier change is not listed here.", 2},
		{"ManyEarlier", historyShown + 45, historyShown, "45 earlier changes are not listed here.", 46},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kept, earlier, start := latestHistory(lines(tc.in))
			if len(kept) != tc.kept || earlier != tc.earlier || start != tc.wantStart {
				t.Errorf("got %d lines, %q, start %d; want %d, %q, %d", len(kept), earlier, start, tc.kept, tc.earlier, tc.wantStart)
			}
		})
	}
}
