// Command icongen draws Doorstep's icons into the web folder: a white door on
// its step, on the brand colour. The PNGs are committed; run it again only to
// change the mark:
//
//	go run ./server/internal/icongen -out web
//
// It writes icon-192.png and icon-512.png (a rounded square), icon-maskable-512.png
// (full bleed, the mark inside the maskable safe zone) and icon.svg.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
)

// Brand is Doorstep's colour; white on it has a contrast ratio above 7:1.
var brand = color.NRGBA{R: 0x0b, G: 0x5d, B: 0x4b, A: 0xff}

const brandHex = "#0b5d4b"

// The mark, in a 512-unit square: a door with a round top and a knob, on a
// step. Both the PNGs and the SVG are drawn from these numbers.
const (
	doorLeft, doorRight = 176.0, 336.0
	doorArcY            = 176.0 // centre of the door's round top
	doorBottom          = 376.0
	knobX, knobY, knobR = 300.0, 264.0, 14.0
	stepLeft, stepRight = 128.0, 384.0
	stepTop, stepBottom = 392.0, 432.0
	stepR               = 12.0
	cornerR             = 112.0 // the rounded square of the plain icons
	maskableScale       = 0.8   // keeps the mark inside the 80% safe circle
)

func main() {
	out := flag.String("out", "web", "folder to write the icons to")
	flag.Parse()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(*out, name), b, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	write("icon-192.png", encode(draw(192, false)))
	write("icon-512.png", encode(draw(512, false)))
	write("icon-maskable-512.png", encode(draw(512, true)))
	write("icon.svg", []byte(svg()))
}

// draw renders the icon at size pixels, 4×4 samples a pixel.
func draw(size int, maskable bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const n = 4
	unit := 512.0 / float64(size)
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var bg, white int
			for sy := 0; sy < n; sy++ {
				for sx := 0; sx < n; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/n) * unit
					y := (float64(py) + (float64(sy)+0.5)/n) * unit
					if !maskable && !inRoundRect(x, y, 0, 0, 512, 512, cornerR) {
						continue
					}
					mx, my := x, y
					if maskable {
						mx, my = 256+(x-256)/maskableScale, 256+(y-256)/maskableScale
					}
					if inMark(mx, my) {
						white++
					} else {
						bg++
					}
				}
			}
			covered := bg + white
			if covered == 0 {
				continue
			}
			// Blend white over the brand colour by the share of white samples;
			// alpha is the share of samples inside the icon at all.
			f := float64(white) / float64(covered)
			mix := func(c uint8) uint8 { return uint8(math.Round(float64(c)*(1-f) + 255*f)) }
			img.SetNRGBA(px, py, color.NRGBA{
				R: mix(brand.R), G: mix(brand.G), B: mix(brand.B),
				A: uint8(math.Round(255 * float64(covered) / (n * n))),
			})
		}
	}
	return img
}

func inMark(x, y float64) bool {
	door := x >= doorLeft && x <= doorRight && y <= doorBottom &&
		(y >= doorArcY || math.Hypot(x-256, y-doorArcY) <= (doorRight-doorLeft)/2)
	knob := math.Hypot(x-knobX, y-knobY) <= knobR
	step := inRoundRect(x, y, stepLeft, stepTop, stepRight, stepBottom, stepR)
	return (door && !knob) || step
}

func inRoundRect(x, y, x0, y0, x1, y1, r float64) bool {
	if x < x0 || x > x1 || y < y0 || y > y1 {
		return false
	}
	cx := math.Max(x0+r, math.Min(x, x1-r))
	cy := math.Max(y0+r, math.Min(y, y1-r))
	return math.Hypot(x-cx, y-cy) <= r
}

func encode(img image.Image) []byte {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, img); err != nil {
		log.Fatal(err)
	}
	return b.Bytes()
}

func svg() string {
	r := (doorRight - doorLeft) / 2
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">`+
		`<rect width="512" height="512" rx="%g" fill="%s"/>`+
		`<path d="M%g %gV%gA%g %g 0 0 1 %g %gV%gZ" fill="#fff"/>`+
		`<circle cx="%g" cy="%g" r="%g" fill="%s"/>`+
		`<rect x="%g" y="%g" width="%g" height="%g" rx="%g" fill="#fff"/>`+
		"</svg>\n",
		cornerR, brandHex,
		doorLeft, doorBottom, doorArcY, r, r, doorRight, doorArcY, doorBottom,
		knobX, knobY, knobR, brandHex,
		stepLeft, stepTop, stepRight-stepLeft, stepBottom-stepTop, stepR)
}
