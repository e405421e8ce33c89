package sqlite_test

import (
	"context"
	"testing"

	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// TestOneTimePasswordMustBeChanged follows a new member of staff from the
// import's one-time password to a password of their own.
func TestOneTimePasswordMustBeChanged(t *testing.T) {
	ctx := context.Background()
	im := newImporter(t)
	r := im.run(housing.Principal{}, housing.ImportOptions{}, sampleFiles(t)...)
	sessions := &sqlite.SessionService{DB: im.db}
	first := r.Passwords[1]
	signIn := func(password, device string) (housing.Session, error) {
		return sessions.SignIn(ctx, housing.SignIn{Username: first.Username, Password: password, DeviceName: device, RemoteAddr: "192.0.2.7"})
	}
	phone, err := signIn(first.Password, "Phone")
	if err != nil {
		t.Fatal(err)
	}
	if !phone.MustChangePassword {
		t.Fatalf("signed in with a one-time password, the session does not ask for a new one: %+v", phone)
	}
	tablet, err := signIn(first.Password, "Tablet")
	if err != nil {
		t.Fatal(err)
	}
	p, err := sessions.Authenticate(ctx, phone.Token)
	if err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name      string
		in        housing.PasswordChange
		wantField string
	}{
		{"ErrNoCurrent", housing.PasswordChange{New: "orange tram hillside"}, housing.FieldCurrentPassword},
		{"ErrWrongCurrent", housing.PasswordChange{Current: "not it at all", New: "orange tram hillside"}, housing.FieldCurrentPassword},
		{"ErrSameAgain", housing.PasswordChange{Current: first.Password, New: first.Password}, housing.FieldPassword},
		{"ErrWeak", housing.PasswordChange{Current: first.Password, New: "password"}, housing.FieldPassword},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.RemoteAddr = "192.0.2.7"
			if err := sessions.ChangePassword(ctx, p, tt.in); housing.ErrorCode(err) != housing.CodeInvalid || housing.ErrorField(err) != tt.wantField {
				t.Fatalf("got %v (field %q), want invalid on %s", err, housing.ErrorField(err), tt.wantField)
			}
			if _, err := signIn(first.Password, "Check"); err != nil {
				t.Fatalf("after a refused change the one-time password no longer works: %v", err)
			}
		})
	}

	if err := sessions.ChangePassword(ctx, p, housing.PasswordChange{Current: first.Password, New: "orange tram hillside", RemoteAddr: "192.0.2.7"}); err != nil {
		t.Fatal(err)
	}
	if _, err := sessions.Authenticate(ctx, phone.Token); err != nil {
		t.Errorf("the device that changed the password was signed out: %v", err)
	}
	if _, err := sessions.Authenticate(ctx, tablet.Token); housing.ErrorCode(err) != housing.CodeUnauthorized {
		t.Errorf("the other device still works after the change: %v", err)
	}
	if _, err := signIn(first.Password, "Old"); housing.ErrorCode(err) != housing.CodeUnauthorized {
		t.Errorf("the one-time password still signs in: %v", err)
	}
	again, err := signIn("orange tram hillside", "New")
	if err != nil || again.MustChangePassword {
		t.Errorf("signing in with the officer's own password: %+v, %v; want no request to change it", again, err)
	}
}

// TestWrongCurrentPasswordIsAGuess checks that guessing the current
// password through a signed-in device is slowed as guessing at sign-in is.
func TestWrongCurrentPasswordIsAGuess(t *testing.T) {
	ctx := context.Background()
	im := newImporter(t)
	r := im.run(housing.Principal{}, housing.ImportOptions{}, sampleFiles(t)...)
	sessions := &sqlite.SessionService{DB: im.db}
	s, err := sessions.SignIn(ctx, housing.SignIn{Username: r.Passwords[0].Username, Password: r.Passwords[0].Password, DeviceName: "Phone", RemoteAddr: "192.0.2.8"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := sessions.Authenticate(ctx, s.Token)
	if err != nil {
		t.Fatal(err)
	}
	var last error
	for range sqlite.FreeSignInFailures + 1 {
		last = sessions.ChangePassword(ctx, p, housing.PasswordChange{Current: "a wrong guess", New: "orange tram hillside", RemoteAddr: "192.0.2.8"})
	}
	if housing.ErrorCode(last) != housing.CodeRateLimited || housing.RetryAfter(last) <= 0 {
		t.Errorf("after %d wrong guesses: %v, want rate limited with a wait", sqlite.FreeSignInFailures+1, last)
	}
}
