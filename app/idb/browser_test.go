//go:build !js

package idb_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestInBrowser runs this package's js/wasm tests (idb_js_test.go and
// upgrade_js_test.go) in headless Chromium, over its real IndexedDB: it
// builds them as a wasm test binary, serves it with Go's wasm_exec.js and
// reports the binary's output and exit code. It skips without Chromium,
// except under CI=true, where it fails.
func TestInBrowser(t *testing.T) {
	chromium := requireChromium(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "idb.test.wasm")
	build := exec.Command("go", "test", "-c", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the wasm tests: %v\n%s", err, out)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	wasmExec := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")

	args := []string{"idb.test", "-test.v"}
	if testing.Short() {
		args = append(args, "-test.short")
	}
	// The tests in the browser end before this one would be stopped, so a
	// hang shows which of them and where, as go test's own timeout does.
	if deadline, ok := t.Deadline(); ok {
		args = append(args, "-test.timeout="+(time.Until(deadline)*9/10).Round(time.Second).String())
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, runnerPage, quoteArgs(args))
	})
	mux.HandleFunc("/wasm_exec.js", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, wasmExec) })
	mux.HandleFunc("/test.wasm", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/wasm")
		http.ServeFile(w, r, bin)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatalf("open the test page: %v", err)
	}
	type result struct {
		Code int    `json:"code"`
		Out  string `json:"out"`
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[result]("window.testResult", chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run the wasm tests: %v", err)
	}
	t.Logf("output of the tests in Chromium:\n%s", res.Out)
	if res.Code != 0 {
		t.Fatalf("the tests in Chromium exited with code %d", res.Code)
	}
}

// runnerPage runs the wasm test binary with the arguments %s and resolves
// window.testResult to its exit code and output once it exits.
const runnerPage = `<!doctype html>
<meta charset="utf-8">
<title>idb tests</title>
<script src="/wasm_exec.js"></script>
<script>
window.testResult = (async () => {
	const decoder = new TextDecoder();
	let out = "";
	globalThis.fs.writeSync = (fd, buf) => { out += decoder.decode(buf); return buf.length; };
	const go = new Go();
	go.argv = %s;
	let code = -1;
	go.exit = (c) => { code = c; };
	const wasm = await (await fetch("/test.wasm")).arrayBuffer();
	const { instance } = await WebAssembly.instantiate(wasm, go.importObject);
	await go.run(instance);
	return { code, out };
})().catch((e) => ({ code: -2, out: String((e && e.stack) || e) }));
</script>
`

// quoteArgs writes args as a JavaScript array of strings.
func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = fmt.Sprintf("%q", a)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// requireChromium returns the Chromium to drive ($DOORSTEP_CHROMIUM, else
// the first found on the PATH), or ends the test without one: it fails
// under CI=true, where a skipped browser test would hide a broken build, and
// skips otherwise. (server/e2e has the same rule; app/ may not import it.)
func requireChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("DOORSTEP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const why = "Chromium is not installed (apt-get install chromium, or set DOORSTEP_CHROMIUM)"
	if os.Getenv("CI") == "true" {
		t.Fatal("browser test needs a browser under CI=true: " + why)
	}
	t.Skip("browser test skipped: " + why)
	return ""
}
