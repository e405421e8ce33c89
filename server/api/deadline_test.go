package api_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doorstep/server/api"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// TestTrickledBodyIsCutOff: a client that sends its body a byte every two
// seconds never trips a per-read timeout, so only a bound on the whole body
// stops it holding a connection forever. The bounds are short here through
// the server's settings; the defaults are minutes.
func TestTrickledBodyIsCutOff(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fx := synctest.Seed(t, db.SQL())
	svc := &sqlite.SyncService{DB: db}
	tom := synctest.NewDevice(t, svc, fx, "tom", "tom-phone")
	c := synctest.NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionRepairs)
	if r := tom.Push(tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c)).Results[0]; r.Status != housing.ResultApplied {
		t.Fatalf("make promise: got %+v", r)
	}
	s, err := api.New(api.Config{
		WebDir: newWebDir(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		ReadTimeout: 3 * time.Second, LongTimeout: 10 * time.Second,
		Services: api.Services{Sessions: testSessions{}, Officers: &sqlite.OfficerService{DB: db}, Sync: svc, Tenants: &sqlite.TenantService{DB: db}, TenantKey: []byte("test key: 32 bytes of anything..")},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")
	quick := fx.Principal("tom", "quick-phone")
	syncBody := `{"protocol":1,"device_id":"quick-phone","mutations":[]}`
	syncHead := func(n int) string {
		return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
			api.SyncPath, addr, testToken(quick), n)
	}

	t.Run("TenantForm", func(t *testing.T) {
		t.Parallel()
		body := "answer=agreed&comment=" + strings.Repeat("x", 40)
		head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n",
			housing.TenantPath(c.Token), addr, len(body))
		if got := sendSlowly(t, addr, head, body, 1); got != http.StatusRequestTimeout {
			t.Errorf("a tenant form trickled a byte every 2s: got status %d, want 408", got)
		}
	})
	// The JSON account routes read their bodies through readJSON; a read
	// deadline there is the same 408 as on sync and the tenant form.
	jsonHead := func(path, auth string, n int) string {
		return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\n%sContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, addr, auth, n)
	}
	t.Run("SignIn", func(t *testing.T) {
		t.Parallel()
		body := `{"username":"tom","password":"x","device_name":"Phone"}`
		if got := sendSlowly(t, addr, jsonHead(api.SessionPath, "", len(body)), body, 1); got != http.StatusRequestTimeout {
			t.Errorf("a sign-in trickled a byte every 2s: got status %d, want 408", got)
		}
	})
	t.Run("AdminUsers", func(t *testing.T) {
		t.Parallel()
		admin := housing.Principal{OfficerID: "admin", Role: housing.RoleAdmin, SessionID: "s", DeviceID: "d"}
		body := `{"username":"newbie","name":"New Officer","role":"officer"}`
		auth := "Authorization: Bearer " + testToken(admin) + "\r\n"
		if got := sendSlowly(t, addr, jsonHead(api.UsersPath, auth, len(body)), body, 1); got != http.StatusRequestTimeout {
			t.Errorf("a new user trickled a byte every 2s: got status %d, want 408", got)
		}
	})
	t.Run("Sync", func(t *testing.T) {
		t.Parallel()
		if got := sendSlowly(t, addr, syncHead(len(syncBody)), syncBody, 1); got != http.StatusRequestTimeout {
			t.Errorf("a sync body trickled a byte every 2s: got status %d, want 408", got)
		}
	})
	// Sync has the longer bound: a body that takes longer than the ordinary
	// bound, but arrives, is answered.
	t.Run("SyncSlowButWhole", func(t *testing.T) {
		t.Parallel()
		third := (len(syncBody) + 2) / 3
		if got := sendSlowly(t, addr, syncHead(len(syncBody)), syncBody, third); got != http.StatusOK {
			t.Errorf("a sync body sent in three parts 2s apart: got status %d, want 200", got)
		}
	})
}

// sendSlowly writes head at once, then body chunk bytes at a time with two
// seconds between, until the body is sent or the server answers; it returns
// the status the server answered with, or 0 if it closed the connection
// without one.
func sendSlowly(t *testing.T, addr, head, body string, chunk int) int {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	answered := make(chan int, 1)
	go func() {
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			answered <- 0
			return
		}
		res.Body.Close()
		answered <- res.StatusCode
	}()
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for sent := 0; sent < len(body); {
		select {
		case status := <-answered:
			return status
		case <-tick.C:
		}
		n := min(chunk, len(body)-sent)
		if _, err := io.WriteString(conn, body[sent:sent+n]); err != nil {
			break // the server has closed the connection; read what it said
		}
		sent += n
	}
	return <-answered
}

// TestUnreadAnswerIsCutOff: a client that asks for a large file and never
// reads it holds the handler in a blocked write until the route's write
// bound ends it and the connection closes, short of the whole file.
func TestUnreadAnswerIsCutOff(t *testing.T) {
	web := newWebDir(t)
	// Incompressible and far larger than the sockets' buffers, so the
	// server's writes block once they are full.
	big := make([]byte, 64<<20)
	rand.Read(big)
	if err := os.WriteFile(filepath.Join(web, "big.png"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := api.New(api.Config{WebDir: web, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), ReadTimeout: time.Second, LongTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "GET /web/big.png HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	// Read nothing until well past the bounds (read, then write: 2s).
	time.Sleep(5 * time.Second)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, res.Body)
	if err == nil || n >= int64(len(big)) {
		t.Errorf("read %d of %d bytes, err %v: want the connection closed part-way", n, len(big), err)
	}
}
