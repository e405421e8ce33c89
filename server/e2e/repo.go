package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

// RepoRoot returns the folder holding Doorstep's go.mod, found by walking up
// from the working directory (a test runs in its package's folder).
func RepoRoot(t testing.TB) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("e2e: no go.mod above the working directory")
		}
		dir = parent
	}
}

// build holds what is built once per test binary.
var build struct {
	sync.Mutex
	dir    string // temporary folder of the server binary
	server string
	err    error
	wasm   bool
}

// serverBinary builds the doorstep binary into a temporary folder, once.
func serverBinary(t testing.TB) string {
	t.Helper()
	build.Lock()
	defer build.Unlock()
	if build.server == "" && build.err == nil {
		build.err = func() error {
			root, err := repoRoot()
			if err != nil {
				return err
			}
			dir, err := os.MkdirTemp("", "doorstep-e2e-")
			if err != nil {
				return err
			}
			build.dir = dir
			bin := filepath.Join(dir, "doorstep")
			cmd := exec.Command("go", "build", "-o", bin, "./server")
			cmd.Dir = root
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("e2e: go build ./server: %v\n%s", err, out)
			}
			build.server = bin
			return nil
		}()
	}
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.server
}

// EnsureWasm builds web/app.wasm and web/app.wasm.br with `make wasm` unless
// they are up to date (make decides, from file times). A lock keeps test
// binaries that run at once from building it together.
func EnsureWasm(t testing.TB) {
	t.Helper()
	build.Lock()
	defer build.Unlock()
	if build.wasm {
		return
	}
	root := RepoRoot(t)
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatal("e2e: make is needed to build web/app.wasm (apt-get install make)")
	}
	sum := sha256.Sum256([]byte(root))
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), "doorstep-wasm-"+hex.EncodeToString(sum[:6])+".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)

	cmd := exec.Command("make", "--no-print-directory", "wasm")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("e2e: make wasm: %v\n%s", err, out)
	}
	build.wasm = true
}

// CopyWebDir returns a temporary copy of the built web folder, for a test
// that changes the assets (to release a new version, say).
func CopyWebDir(t testing.TB) string {
	t.Helper()
	EnsureWasm(t)
	src := filepath.Join(RepoRoot(t), "web")
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// Main runs the tests of a package that uses the harness, then removes what
// it built. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	build.Lock()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	build.Unlock()
	os.Exit(code)
}

// ArtifactPath returns a path for a file a test leaves behind (a
// screenshot) under the repository's git-ignored test-artifacts folder.
func ArtifactPath(t testing.TB, name string) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(t), "test-artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}
