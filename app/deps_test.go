//go:build !js

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestWasmLinksNoServerCode keeps the wasm small and the layers apart: the
// client must never link the web server, database/sql or SQLite, even through
// a shared package.
func TestWasmLinksNoServerCode(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go list -deps for js/wasm: %v\n%s", err, stderr)
	}
	deps := strings.Fields(string(out))
	if len(deps) == 0 {
		t.Fatal("go list -deps listed no packages")
	}
	// database/sql/driver is allowed: it is a few interfaces, and
	// github.com/google/uuid (through go-app) implements them.
	forbidden := []string{
		"github.com/labstack/echo",
		"github.com/mattn/go-sqlite3",
		"doorstep/server",
	}
	found := map[string]bool{}
	for _, dep := range deps {
		found[dep] = true
		if dep == "database/sql" {
			t.Errorf("the wasm client links %s", dep)
		}
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("the wasm client links %s", dep)
			}
		}
	}
	// The check is only worth something if the list is the client's.
	for _, want := range []string{"doorstep/app/ui", "github.com/maxence-charriere/go-app/v10/pkg/app"} {
		if !found[want] {
			t.Errorf("go list -deps did not list %s; the check looked at the wrong build", want)
		}
	}
}
