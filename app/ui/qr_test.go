package ui

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"rsc.io/qr"
)

// TestQRPath checks that the SVG path has one square per dark module, inside
// the quiet zone.
func TestQRPath(t *testing.T) {
	url := "https://doorstep.example/t/0123456789abcdef0123456789abcdef"
	code, err := qr.Encode(url, qr.M)
	if err != nil {
		t.Fatal(err)
	}
	dark := 0
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if code.Black(x, y) {
				dark++
			}
		}
	}
	d, size, ok := qrPath(url)
	if !ok {
		t.Fatal("got no path, want one")
	}
	if got := strings.Count(d, "M"); got != dark {
		t.Errorf("got %d squares, want %d", got, dark)
	}
	if want := code.Size + 2*qrQuiet; size != want {
		t.Errorf("got size %d, want %d", size, want)
	}
	if !strings.HasPrefix(d, "M4 4h1v1h-1z") {
		t.Errorf("got path starting %.20q, want the finder pattern's corner at (4,4)", d)
	}
	html := app.HTMLString(QR(url))
	for _, want := range []string{"<svg", `viewBox="0 0 `, `aria-label="QR code for the tenant's link"`, "<path"} {
		if !strings.Contains(html, want) {
			t.Errorf("the QR code lacks %q in %.200s", want, html)
		}
	}
}
