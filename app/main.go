// Command app is Doorstep's WebAssembly client. Build it with `make wasm`;
// the server serves the result as web/app.wasm.
//
// main is the wiring: it registers the pages and hands control to go-app.
// The data wiring (IndexedDB, the outbox and sync) is started here too, before
// RunWhenOnBrowser, and publishes what the screens show as go-app state (for
// example ui.StateSync); package ui itself does no I/O.
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/ui"
)

func main() {
	ui.Routes()
	wire()
	app.RunWhenOnBrowser()
}
