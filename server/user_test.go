package main

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"doorstep/server/demo"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// userCLI runs `doorstep user|sessions ...` against the database in dir
// and returns what it printed.
func userCLI(t *testing.T, dir, stdin string, args ...string) (string, error) {
	t.Helper()
	env := func(name string) string {
		if name == "DOORSTEP_DATA" {
			return dir
		}
		return ""
	}
	var out, errOut bytes.Buffer
	var err error
	switch args[0] {
	case "user":
		err = runUser(context.Background(), args[1:], env, strings.NewReader(stdin), &out, &errOut)
	case "sessions":
		err = runSessions(context.Background(), args[1:], env, &out, &errOut)
	}
	return out.String() + errOut.String(), err
}

// seededDir returns a data folder holding the demo landlord.
func seededDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return dir
}

// canSignIn reports whether username and password make a session.
func canSignIn(t *testing.T, dir, username, password string) error {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = (&sqlite.SessionService{DB: db}).SignIn(context.Background(), housing.SignIn{Username: username, Password: password, DeviceName: "test"})
	return err
}

// signInToken signs username in on a new device and returns its token.
func signInToken(t *testing.T, dir, username, password string) string {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := (&sqlite.SessionService{DB: db}).SignIn(context.Background(), housing.SignIn{Username: username, Password: password, DeviceName: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return s.Token
}

// authenticate reports whether token still opens a session.
func authenticate(t *testing.T, dir, token string) error {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = (&sqlite.SessionService{DB: db}).Authenticate(context.Background(), token)
	return err
}

func TestUserCommand(t *testing.T) {
	dir := seededDir(t)

	t.Run("AddWithPasswordFromStdin", func(t *testing.T) {
		out, err := userCLI(t, dir, "amber lantern river\n", "user", "add", "-username", "nia.clarke", "-name", "Nia Clarke",
			"-role", "supervisor", "-sites", "riverside,hollins", "-functions", "repairs", "-password-stdin")
		if err != nil {
			t.Fatalf("user add: %v\n%s", err, out)
		}
		if strings.Contains(out, "amber lantern river") {
			t.Fatalf("got output %q, want the typed password not echoed", out)
		}
		if err := canSignIn(t, dir, "nia.clarke", "amber lantern river"); err != nil {
			t.Fatalf("the new user signs in: %v", err)
		}
	})

	t.Run("AddWithMadeUpPassword", func(t *testing.T) {
		out, err := userCLI(t, dir, "", "user", "add", "-username", "eve", "-name", "Eve Brown", "-role", "admin")
		if err != nil {
			t.Fatalf("user add: %v\n%s", err, out)
		}
		m := regexp.MustCompile(`Password: (\S+)`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("got output %q, want the made-up password", out)
		}
		if err := canSignIn(t, dir, "eve", m[1]); err != nil {
			t.Fatalf("the new admin signs in: %v", err)
		}
	})

	t.Run("ErrAddPlainWords", func(t *testing.T) {
		out, err := userCLI(t, dir, "", "user", "add", "-username", "sam", "-name", "Sam Hill", "-sites", "atlantis")
		if err == nil || !strings.Contains(err.Error(), `There is no site called "atlantis"`) || strings.Contains(err.Error(), "housing error") {
			t.Fatalf("got %v, %q; want the plain message about the site", err, out)
		}
	})

	t.Run("DisableEnable", func(t *testing.T) {
		if out, err := userCLI(t, dir, "", "user", "disable", "tom"); err != nil {
			t.Fatalf("user disable: %v\n%s", err, out)
		}
		if err := canSignIn(t, dir, "tom", demo.Password); housing.ErrorCode(err) != housing.CodeUnauthorized {
			t.Fatalf("disabled tom signs in: got %v, want unauthorized", err)
		}
		out, err := userCLI(t, dir, "", "user", "list")
		if err != nil || !regexp.MustCompile(`tom\s+Tom Bradley\s+officer\s+northgate,riverside\s+repairs\s+disabled`).MatchString(out) {
			t.Fatalf("user list: got %v\n%s", err, out)
		}
		if out, err := userCLI(t, dir, "", "user", "enable", "tom"); err != nil {
			t.Fatalf("user enable: %v\n%s", err, out)
		}
		if err := canSignIn(t, dir, "tom", demo.Password); err != nil {
			t.Fatalf("enabled tom signs in: %v", err)
		}
	})

	t.Run("ResetPassword", func(t *testing.T) {
		token := signInToken(t, dir, "priya", demo.Password)
		if out, err := userCLI(t, dir, "violet teapot sunday\n", "user", "reset-password", "-password-stdin", "priya"); err != nil || !strings.Contains(out, "signed out") {
			t.Fatalf("reset-password: %v\n%s", err, out)
		}
		if err := canSignIn(t, dir, "priya", "violet teapot sunday"); err != nil {
			t.Fatalf("priya signs in with the new password: %v", err)
		}
		if err := authenticate(t, dir, token); housing.ErrorCode(err) != housing.CodeUnauthorized {
			t.Fatalf("priya's device from before the reset: got %v, want it signed out", err)
		}
	})

	t.Run("ErrWeakPassword", func(t *testing.T) {
		token := signInToken(t, dir, "kwame", demo.Password)
		// Each pair is a password for kwame and one for the new kwame.b:
		// the last is each one's own username.
		for _, pw := range [][2]string{{"password", "password"}, {"12345678", "12345678"}, {"doorstep", "doorstep"},
			{"Doorstep!", "Doorstep!"}, {"iloveyou", "iloveyou"}, {"kwame123", "Kwame.B2026"}} {
			out, err := userCLI(t, dir, pw[0]+"\n", "user", "reset-password", "-password-stdin", "kwame")
			if err == nil || strings.Contains(err.Error(), "housing error") {
				t.Errorf("reset-password to %q: got %v\n%s, want a plain refusal", pw[0], err, out)
			}
			out, err = userCLI(t, dir, pw[1]+"\n", "user", "add", "-username", "kwame.b", "-name", "Kwame Boateng", "-sites", "hollins", "-password-stdin")
			if err == nil || strings.Contains(err.Error(), "housing error") {
				t.Errorf("user add with %q: got %v\n%s, want a plain refusal", pw[1], err, out)
			}
		}
		if err := authenticate(t, dir, token); err != nil {
			t.Fatalf("kwame's device after refused resets: got %v, want it still signed in", err)
		}
		if err := canSignIn(t, dir, "kwame", demo.Password); err != nil {
			t.Fatalf("kwame after refused resets: got %v, want his password unchanged", err)
		}
	})

	t.Run("ErrUsage", func(t *testing.T) {
		for _, args := range [][]string{{"user"}, {"user", "fly"}, {"user", "disable"}, {"sessions", "revoke"}} {
			if _, err := userCLI(t, dir, "", args...); !errors.Is(err, errUsage) {
				t.Errorf("%v: got %v, want a usage error", args, err)
			}
		}
	})
}

func TestSessionsCommand(t *testing.T) {
	dir := seededDir(t)
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	sessions := &sqlite.SessionService{DB: db}
	var tokens []string
	for range 2 {
		s, err := sessions.SignIn(ctx, housing.SignIn{Username: "dan", Password: demo.Password, DeviceName: "Work phone"})
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, s.Token)
	}
	first, _ := sessions.Authenticate(ctx, tokens[0])

	out, err := userCLI(t, dir, "", "sessions", "list", "dan")
	if err != nil || strings.Count(out, "Work phone") != 2 {
		t.Fatalf("sessions list: got %v\n%s", err, out)
	}
	if _, err := userCLI(t, dir, "", "sessions", "revoke", "sarah", first.SessionID); err == nil {
		t.Fatalf("revoking dan's session as sarah: got no error")
	}
	if _, err := sessions.Authenticate(ctx, tokens[0]); err != nil {
		t.Fatalf("after a revoke naming the wrong officer: got %v, want dan's device still signed in", err)
	}
	if out, err := userCLI(t, dir, "", "sessions", "revoke", "dan", first.SessionID); err != nil {
		t.Fatalf("sessions revoke one: %v\n%s", err, out)
	}
	if _, err := sessions.Authenticate(ctx, tokens[0]); housing.ErrorCode(err) != housing.CodeUnauthorized {
		t.Fatalf("the revoked device: got %v, want unauthorized", err)
	}
	out, err = userCLI(t, dir, "", "sessions", "revoke", "dan")
	if err != nil || !strings.Contains(out, "Signed out 1 device(s)") {
		t.Fatalf("sessions revoke all: got %v\n%s", err, out)
	}
	if _, err := sessions.Authenticate(ctx, tokens[1]); housing.ErrorCode(err) != housing.CodeUnauthorized {
		t.Fatalf("dan's other device: got %v, want unauthorized", err)
	}
}
