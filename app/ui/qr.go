package ui

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"rsc.io/qr"
)

// qrQuiet is the blank margin round a QR code, in modules, that scanners
// need to find it.
const qrQuiet = 4

// QR draws url as a QR code in inline SVG, so it shows offline and scales
// sharply to any size. A URL too long to encode shows as text instead.
func QR(url string) app.UI {
	d, size, ok := qrPath(url)
	if !ok {
		return app.P().Class("qr-missing").Text("This link is too long for a QR code; share it instead.")
	}
	view := "0 0 " + strconv.Itoa(size) + " " + strconv.Itoa(size)
	return svgEl("svg").
		Attr("viewBox", view).
		Attr("role", "img").
		Attr("aria-label", "QR code for the tenant's link").
		Attr("shape-rendering", "crispEdges").
		Class("qr").
		Body(
			svgEl("rect").Attr("width", size).Attr("height", size).Attr("fill", "#fff"),
			svgEl("path").Attr("d", d).Attr("fill", "#000"),
		)
}

// qrPath is the SVG path of url's dark modules, one unit square each,
// offset by the quiet zone, and the side of the whole code in units.
func qrPath(url string) (d string, size int, ok bool) {
	code, err := qr.Encode(url, qr.M)
	if err != nil {
		return "", 0, false
	}
	var b strings.Builder
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if code.Black(x, y) {
				b.WriteString("M" + strconv.Itoa(x+qrQuiet) + " " + strconv.Itoa(y+qrQuiet) + "h1v1h-1z")
			}
		}
	}
	return b.String(), code.Size + 2*qrQuiet, true
}
