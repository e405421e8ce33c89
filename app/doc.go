// Command app is Doorstep's WebAssembly client. Build it with `make wasm`;
// the server serves the result as web/app.wasm.
//
// main (main.go) is the composition root: it opens the adapters (the
// replica over IndexedDB, the browser, the server's client over fetch),
// registers the handlers with go-app and runs it. The handlers are plain Go
// with native tests: the officer's (officer*.go: records kept on the phone
// through app/replica) and the supervisor's (supervisor.go: reads from the
// server through app/remote). They answer the screens' actions and publish
// what the screens show as go-app state, through the context each is given
// (the contract is app/ui/contract.go); package ui itself does no I/O. What
// they need of the browser is the browser interface (browser.go), and
// browser_js.go, its one implementation, is the only file of this package
// that touches syscall/js. Built natively, main only says how to build the
// client (native.go): there the package exists for its tests.
package main
