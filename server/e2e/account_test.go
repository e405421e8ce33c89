package e2e_test

import (
	"context"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"doorstep/app/remote"
	"doorstep/server/e2e"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// TestUserNoDemoByDefault starts the real binary as a landlord would, with
// no -demo: the new data folder holds no demo accounts and so no published
// password, and the first admin comes from `doorstep user add`.
func TestUserNoDemoByDefault(t *testing.T) {
	srv := e2e.StartServerWith(t, e2e.ServerConfig{WebDir: t.TempDir(), NoDemo: true})
	c := &remote.Client{BaseURL: srv.URL}
	_, err := c.SignIn(context.Background(), housing.SignIn{Username: "admin", Password: sqlite.DemoPassword, DeviceName: "e2e"})
	if housing.ErrorCode(err) != housing.CodeUnauthorized {
		t.Fatalf("the demo admin signs in: got %v, want unauthorized", err)
	}
	if n := signinServerCount(t, srv, `SELECT COUNT(*) FROM officers`); n != 0 {
		t.Fatalf("a server started without -demo holds %d accounts, want none", n)
	}
	if strings.Contains(srv.Output(), "Demo sign-ins") {
		t.Errorf("the server printed the demo sign-ins:\n%s", srv.Output())
	}

	accountCLI(t, "kettle orange bicycle\n", "user", "add", "-data", srv.DataDir, "-username", "morgan",
		"-name", "Morgan Ellis", "-role", "admin", "-password-stdin")
	if _, err := c.SignIn(context.Background(), housing.SignIn{Username: "morgan", Password: "kettle orange bicycle", DeviceName: "e2e"}); err != nil {
		t.Fatalf("the first admin signs in: %v", err)
	}
}

// TestUserResetPasswordBinary resets a password with the built binary while
// the server runs: a common password is refused and changes nothing; a
// good one signs out every device of the officer's at once.
func TestUserResetPasswordBinary(t *testing.T) {
	srv := e2e.StartServerWith(t, e2e.ServerConfig{WebDir: t.TempDir()})
	ctx := context.Background()
	var tokens []string
	for _, device := range []string{"Work phone", "Tablet"} {
		c := &remote.Client{BaseURL: srv.URL}
		s, err := c.SignIn(ctx, housing.SignIn{Username: "priya", Password: sqlite.DemoPassword, DeviceName: device})
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, s.Token)
	}

	for _, weak := range []string{"password1", "Doorstep2026", "priya123"} {
		cmd := exec.Command(e2e.Binary(t), "user", "reset-password", "-data", srv.DataDir, "-password-stdin", "priya")
		cmd.Stdin = strings.NewReader(weak + "\n")
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "password") {
			t.Fatalf("reset-password to %q: got %v\n%s, want a refusal that says why", weak, err, out)
		}
	}
	for _, token := range tokens {
		if got := accountMe(t, srv, token); got != http.StatusOK {
			t.Fatalf("after refused resets: GET /me answered %d, want priya still signed in", got)
		}
	}

	accountCLI(t, "violet teapot sunday\n", "user", "reset-password", "-data", srv.DataDir, "-password-stdin", "priya")
	for _, token := range tokens {
		if got := accountMe(t, srv, token); got != http.StatusUnauthorized {
			t.Fatalf("after the reset: GET /me answered %d, want 401 on every device", got)
		}
	}
	c := &remote.Client{BaseURL: srv.URL}
	if _, err := c.SignIn(ctx, housing.SignIn{Username: "priya", Password: "violet teapot sunday", DeviceName: "Work phone"}); err != nil {
		t.Fatalf("sign in with the new password: %v", err)
	}
}

// accountCLI runs the doorstep binary with stdin and fails the test if it
// fails.
func accountCLI(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(e2e.Binary(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("doorstep %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// accountMe returns the status of GET /api/v1/me with token.
func accountMe(t *testing.T, srv *e2e.Server, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/me", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
