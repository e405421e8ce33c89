// Package e2e runs Doorstep as a user meets it: the real server binary as a
// subprocess, and the app in a real, headless Chromium driven by chromedp.
//
// A browser test in any package starts with
//
//	func TestMain(m *testing.M) { e2e.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		e2e.RequireChromium(t)
//		srv := e2e.StartServer(t)
//		b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
//		b.Open(srv.URL + "/") // returns once the wasm has mounted
//		...
//	}
//
// The server binary is built once per test binary; web/app.wasm is built
// with `make wasm` first if it is missing or stale. Without Chromium a test
// is skipped, naming what is missing, except under CI=true, where it fails.
package e2e
