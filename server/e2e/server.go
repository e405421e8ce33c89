package e2e

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"doorstep/server/demo/demotest"
)

// ServerConfig changes how StartServerWith runs the server. The zero value
// is what StartServer uses.
type ServerConfig struct {
	// WebDir is the -web folder. Default: the repository's web/, with
	// app.wasm built first if it is missing or stale.
	WebDir string
	// DataDir is the -data folder. Default: a new temporary folder, holding
	// a copy of the demo landlord and its history unless NoDemo is set.
	DataDir string
	// NoDemo starts the server as `doorstep run` starts by default, without
	// the demo landlord. Otherwise the harness asks for it with -demo, since
	// nearly every test signs in as a demo officer.
	NoDemo bool
	// Args are more arguments for `doorstep run`.
	Args []string
	// Env adds to the server's environment ("KEY=value").
	Env []string
}

// Server is the doorstep binary running as a subprocess on a free port of
// 127.0.0.1. It keeps its address and data folder across Stop and Start, as
// a restarted real server would, so the browser sees the same origin.
type Server struct {
	URL     string // http://127.0.0.1:PORT, no trailing slash
	Addr    string // 127.0.0.1:PORT
	DataDir string
	WebDir  string

	t   testing.TB
	bin string
	cfg ServerConfig

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
	out  syncBuffer
}

// startTimeout bounds a start, including a first start's migrations and
// demo data.
const startTimeout = 60 * time.Second

// StartServer builds the server (once per test binary), starts it with a
// fresh data folder and the repository's web folder, waits until /healthz
// answers, and stops it when the test ends.
func StartServer(t testing.TB) *Server {
	t.Helper()
	return StartServerWith(t, ServerConfig{})
}

// StartServerWith is StartServer with a ServerConfig.
func StartServerWith(t testing.TB, cfg ServerConfig) *Server {
	t.Helper()
	if cfg.WebDir == "" {
		EnsureWasm(t)
		cfg.WebDir = filepath.Join(RepoRoot(t), "web")
	}
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
		if !cfg.NoDemo {
			// What -demo would seed, copied from one seeded once per test
			// binary: making the history takes most of a second, and
			// nearly every test starts a server. The server, started with
			// -demo, finds the landlord there and seeds nothing.
			demotest.WriteHistory(t, cfg.DataDir)
		}
	}
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{
		URL:     "http://" + addr,
		Addr:    addr,
		DataDir: cfg.DataDir,
		WebDir:  cfg.WebDir,
		t:       t,
		bin:     serverBinary(t),
		cfg:     cfg,
	}
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("server output:\n%s", s.Output())
		}
	})
	s.Start()
	return s
}

// Start starts the server again after Stop or Kill, on the same address and
// data folder, and waits until it answers /healthz.
func (s *Server) Start() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.t.Fatal("e2e: Start: the server is already running")
	}
	args := []string{"run", "-addr", s.Addr, "-data", s.DataDir, "-web", s.WebDir}
	if !s.cfg.NoDemo {
		args = append(args, "-demo")
	}
	args = append(args, s.cfg.Args...)
	cmd := exec.Command(s.bin, args...)
	cmd.Env = append(os.Environ(), s.cfg.Env...)
	cmd.Stdout = &s.out
	cmd.Stderr = &s.out
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("e2e: start server: %v", err)
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	s.cmd, s.done = cmd, done

	deadline := time.Now().Add(startTimeout)
	client := &http.Client{Timeout: time.Second}
	for {
		select {
		case <-done:
			s.cmd = nil
			s.t.Fatalf("e2e: the server exited while starting: %v\n%s", cmd.ProcessState, s.out.String())
		default:
		}
		res, err := client.Get(s.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("e2e: the server did not answer /healthz within %v\n%s", startTimeout, s.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop sends SIGTERM and waits for a graceful exit, killing the server if
// it takes more than ten seconds. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.t.Helper()
	s.signal(syscall.SIGTERM, 10*time.Second)
}

// Kill ends the server at once with SIGKILL, as a crash or a power cut
// would, and waits until it has gone.
func (s *Server) Kill() {
	s.t.Helper()
	s.signal(syscall.SIGKILL, 0)
}

// Restart stops the server gracefully and starts it again.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.Start()
}

// Running reports whether the server process is up.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cmd != nil
}

// Output returns everything the server has printed so far, across restarts.
func (s *Server) Output() string { return s.out.String() }

func (s *Server) signal(sig syscall.Signal, grace time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(sig)
	if grace > 0 {
		select {
		case <-s.done:
		case <-time.After(grace):
			s.t.Errorf("e2e: the server did not stop within %v of %v; killing it", grace, sig)
			s.cmd.Process.Kill()
			<-s.done
		}
	} else {
		<-s.done
	}
	s.cmd = nil
}

// freeAddr returns a 127.0.0.1 address with a port that was free a moment ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("e2e: find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// syncBuffer is a bytes.Buffer that the server's output can be written to
// while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
