package e2e_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"doorstep/app/remote"
	"doorstep/server/e2e"
	"doorstep/shared/housing"
)

// TestUserCommandBinary runs `doorstep user add` and `doorstep user
// disable` from the built binary against the data folder of a running
// server, and signs in over HTTP as the new user. No browser is needed.
func TestUserCommandBinary(t *testing.T) {
	srv := e2e.StartServerWith(t, e2e.ServerConfig{WebDir: t.TempDir()})
	bin := e2e.Binary(t)
	doorstep := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("doorstep %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	doorstep("quiet harbour lights\n", "user", "add", "-data", srv.DataDir, "-username", "lena",
		"-name", "Lena Novak", "-role", "officer", "-sites", "hollins", "-functions", "asb", "-password-stdin")
	c := &remote.Client{BaseURL: srv.URL}
	s, err := c.SignIn(context.Background(), housing.SignIn{Username: "lena", Password: "quiet harbour lights", DeviceName: "e2e"})
	if err != nil {
		t.Fatalf("the new user signs in: %v", err)
	}
	if s.Officer.Name != "Lena Novak" || !housing.ValidToken(s.Token) {
		t.Fatalf("got session %+v", s)
	}

	doorstep("", "user", "disable", "-data", srv.DataDir, "lena")
	_, err = c.SignIn(context.Background(), housing.SignIn{Username: "lena", Password: "quiet harbour lights", DeviceName: "e2e"})
	if housing.ErrorCode(err) != housing.CodeUnauthorized {
		t.Fatalf("the disabled user signs in: got %v, want unauthorized", err)
	}
}
