package housing

import "testing"

func TestCheckName(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"OK", "Lena Novak", true},
		{"OKAccents", "Zoë O'Brien-Núñez", true},
		{"OKArabic", "ليلى", true},
		{"ErrBlank", "  ", false},
		{"ErrNUL", "Lena\x00Novak", false},
		{"ErrNewline", "Lena\nNovak", false},
		{"ErrRightToLeftOverride", "Lena \u202ekavoN", false},
		{"ErrIsolate", "Lena \u2067Novak\u2069", false},
		{"ErrLeftToRightMark", "Lena\u200e", false},
		{"ErrInvalidUTF8", "Lena\xff", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckName(tc.in)
			if got := err == nil; got != tc.ok {
				t.Fatalf("CheckName(%q) = %v, want ok %v", tc.in, err, tc.ok)
			}
			if err != nil && ErrorCode(err) != CodeInvalid {
				t.Fatalf("got code %q, want %q", ErrorCode(err), CodeInvalid)
			}
		})
	}
}
