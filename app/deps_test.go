//go:build !js

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// goApp is go-app's package, which the client must link.
const goApp = "github.com/maxence-charriere/go-app/v10/pkg/app"

// wasmDeps returns every package the wasm client links, each with the
// packages it imports.
func wasmDeps(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go list -deps for js/wasm: %v\n%s", err, stderr)
	}
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			deps[f[0]] = f[1:]
		}
	}
	if len(deps) == 0 {
		t.Fatal("go list -deps listed no packages")
	}
	// The checks are only worth something if the list is the client's.
	for _, want := range []string{"doorstep/app/ui", goApp} {
		if _, ok := deps[want]; !ok {
			t.Fatalf("go list -deps did not list %s; the check looked at the wrong build", want)
		}
	}
	return deps
}

// TestWasmLinksNoServerCode keeps the wasm small and the layers apart: the
// client must never link the web server, database/sql or SQLite, even through
// a shared package.
func TestWasmLinksNoServerCode(t *testing.T) {
	// database/sql/driver is allowed: it is a few interfaces, and
	// github.com/google/uuid (through go-app) implements them.
	forbidden := []string{
		"github.com/labstack/echo",
		"github.com/mattn/go-sqlite3",
		"doorstep/server",
	}
	for dep := range wasmDeps(t) {
		if dep == "database/sql" {
			t.Errorf("the wasm client links %s", dep)
		}
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("the wasm client links %s", dep)
			}
		}
	}
}

// TestWasmLinksNoTemplates keeps the template engines out of the wasm:
// they hold every exported method of every type alive for reflection, which
// defeats the linker's dead-code removal, and the phone renders with go-app.
func TestWasmLinksNoTemplates(t *testing.T) {
	for dep := range wasmDeps(t) {
		if dep == "text/template" || dep == "html/template" {
			t.Errorf("the wasm client links %s", dep)
		}
	}
}

// TestWasmSpeaksThroughFetch checks the wasm talks to the server through
// app/remote, the one client of the wire, over the browser's fetch. net/http
// is in the list only because go-app's package imports it for its
// server-side Handler, which the client never calls, so the linker drops
// it; a client of ours over net/http would link its transport, about a
// megabyte of app.wasm as served. So no other package may import it, nor
// the decoders the browser makes unnecessary.
func TestWasmSpeaksThroughFetch(t *testing.T) {
	deps := wasmDeps(t)
	if _, ok := deps["doorstep/app/remote"]; !ok {
		t.Error("the wasm client does not link doorstep/app/remote, the one client of the server")
	}
	for pkg, imports := range deps {
		for _, imp := range imports {
			if imp == "net/http" && pkg != goApp {
				t.Errorf("%s imports net/http into the wasm client; use app/remote's Doer (fetch)", pkg)
			}
		}
	}
	// mime/multipart is linked only for net/http's own server code, which the
	// linker drops; a client of ours building a body with it links mime's
	// tables and net/textproto, about 60 KB of app.wasm, where the import's
	// body is a few hand-written lines (app/remote's importBody).
	for pkg, imports := range deps {
		for _, imp := range imports {
			if imp == "mime/multipart" && pkg != "net/http" {
				t.Errorf("%s imports mime/multipart into the wasm client; write the body by hand", pkg)
			}
		}
	}
	for _, dep := range []string{"github.com/andybalholm/brotli", "github.com/klauspost/compress/zstd"} {
		if _, ok := deps[dep]; ok {
			t.Errorf("the wasm client links %s; the browser decodes answers itself", dep)
		}
	}
}
