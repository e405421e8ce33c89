//go:build !(js && wasm)

package main

// wire does nothing outside the browser: the officer's data lives in the
// browser's IndexedDB. Natively, package main is only built for go vet and
// the tests of its plain functions.
func wire() {}
