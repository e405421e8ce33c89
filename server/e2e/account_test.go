package e2e_test

import (
	"context"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"doorstep/app/remote"
	"doorstep/server/demo"
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
	_, err := c.SignIn(context.Background(), housing.SignIn{Username: "admin", Password: demo.Password, DeviceName: "e2e"})
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

// TestDemoSeedsOnFirstStart starts the real binary with -demo on an empty
// data folder, as `make run` does the first time: it seeds the demo
// landlord and its history, prints the sign-ins, and a demo officer signs
// in. The other tests start from a copy of a demo seeded once (see
// StartServerWith).
func TestDemoSeedsOnFirstStart(t *testing.T) {
	srv := e2e.StartServerWith(t, e2e.ServerConfig{WebDir: t.TempDir(), DataDir: t.TempDir()})
	if out := srv.Output(); !strings.Contains(out, "seeded the demo landlord") || !strings.Contains(out, "Demo sign-ins") {
		t.Fatalf("a first start with -demo: got output\n%s\nwant it to seed the demo landlord and print the sign-ins", out)
	}
	if n := signinServerCount(t, srv, `SELECT COUNT(*) FROM visits`); n == 0 {
		t.Errorf("the demo landlord has no history")
	}
	c := &remote.Client{BaseURL: srv.URL}
	if _, err := c.SignIn(context.Background(), housing.SignIn{Username: "sarah", Password: demo.Password, DeviceName: "e2e"}); err != nil {
		t.Fatalf("a demo officer signs in: %v", err)
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
		s, err := c.SignIn(ctx, housing.SignIn{Username: "priya", Password: demo.Password, DeviceName: device})
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

// TestSignInAgainAfterLifetime: a sign-in that passes its lifetime while
// the phone is offline ends like a revoked one. At the next sync the
// server answers 401 unauthorized; the phone asks the officer to sign in
// again, keeps the visit saved offline, and sends it once they have.
func TestSignInAgainAfterLifetime(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	signinOnline(t, b, srv.URL, "sarah")

	b.SetOffline(true)
	b.Open(srv.URL + "/visits/new?tenancy=" + demo.TenancyID("RIV-00006"))
	signinWait(t, b, `!!document.querySelector("#purpose-welfare_check") && !!document.querySelector(".chosen-tenancy")`, "the visit form with its tenancy")
	b.Do(chromedpClick("#purpose-welfare_check"))
	signinFill(t, b, "#notes", "Welfare check after the sign-in ran out.")
	b.Do(chromedpClick("#save"))
	signinWait(t, b, `/^\/visits\/[^\/]+$/.test(location.pathname) && location.pathname !== "/visits/new"`, "the visit summary")

	// Meanwhile the sign-in passes its lifetime: it began longer ago than
	// the default allows, though the phone used it just now.
	db, err := sqlite.Open(context.Background(), srv.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now().UTC().Add(-sqlite.DefaultSessionLifetime - time.Hour).Format(time.RFC3339Nano)
	if _, err := db.SQL().Exec(`UPDATE sessions SET created_at = ? WHERE officer_id = ?`, began, demo.OfficerID("sarah")); err != nil {
		t.Fatal(err)
	}
	db.Close()

	b.SetOffline(false)
	signinWait(t, b, `!!document.querySelector(".banner") && document.querySelector(".banner").textContent.includes("Please sign in again")`, "the request to sign in again")
	if got := signinBadge(b); !strings.HasPrefix(got, "1 to sync") {
		t.Errorf("badge %q while the sign-in has ended, want 1 to sync", got)
	}
	const visits = `SELECT COUNT(*) FROM visits WHERE notes = 'Welfare check after the sign-in ran out.'`
	if n := signinServerCount(t, srv, visits); n != 0 {
		t.Fatalf("the server holds %d of the visit before the officer signed in again", n)
	}

	b.Do(chromedpClick(".banner a.button"))
	signinWait(t, b, `location.pathname === "/signin" && !!document.querySelector("#username")`, "the sign-in page")
	signinSubmit(t, b, "sarah", demo.Password)
	signinWait(t, b, `(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "the waiting visit to sync")
	if n := signinServerCount(t, srv, visits); n != 1 {
		t.Errorf("the server holds %d of the visit, want 1", n)
	}
}
