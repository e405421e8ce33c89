//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main, built for this machine rather than the browser, only says how to
// build the client: the handlers need a browser (main.go), and natively
// this package exists for its tests. Without it `go build ./...` would fail
// to link a package main with no main.
func main() {
	fmt.Fprintln(os.Stderr, "Doorstep's client runs in a browser: build it with `make wasm` (GOOS=js GOARCH=wasm go build ./app), then serve it with `make run`.")
	os.Exit(2)
}
