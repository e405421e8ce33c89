package sqlite_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"doorstep/server/demo"
	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// clock is a settable time for db.Now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func withClock(db *store) *clock {
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.Now = c.now
	return c
}
func signIn(user string) housing.SignIn {
	return housing.SignIn{Username: user, Password: demo.Password, DeviceName: "Work phone"}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := housing.ErrorCode(err); got != code {
		t.Fatalf("got error %v (code %q), want code %q", err, got, code)
	}
}

func TestSignIn(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := mustSeed(t)
		s, err := db.SignIn(ctx, housing.SignIn{Username: " Sarah ", Password: demo.Password, DeviceName: "  Work   phone "})
		if err != nil {
			t.Fatal(err)
		}
		if !housing.ValidToken(s.Token) || !housing.ValidID(s.DeviceID) || s.DeviceName != "Work phone" || s.Officer.Username != "sarah" {
			t.Fatalf("got session %+v", s)
		}
		p, err := db.Authenticate(ctx, s.Token)
		if err != nil {
			t.Fatal(err)
		}
		want := housing.Principal{OfficerID: demo.OfficerID("sarah"), Name: "Sarah Okafor", Role: housing.RoleOfficer,
			Sites: []string{"riverside"}, Functions: []string{housing.FunctionTenancy}, SessionID: s.ID, DeviceID: s.DeviceID}
		if got := p; !equalPrincipal(got, want) {
			t.Fatalf("got principal %+v, want %+v", got, want)
		}
	})

	t.Run("ErrWrongPasswordOrUser", func(t *testing.T) {
		db := mustSeed(t)
		_, errPassword := db.SignIn(ctx, housing.SignIn{Username: "sarah", Password: "not her password"})
		_, errUser := db.SignIn(ctx, housing.SignIn{Username: "nobody", Password: demo.Password})
		wantCode(t, errPassword, housing.CodeUnauthorized)
		wantCode(t, errUser, housing.CodeUnauthorized)
		if a, b := housing.ErrorMessage(errPassword), housing.ErrorMessage(errUser); a != b {
			t.Fatalf("got messages %q and %q, want one message for a wrong user and a wrong password", a, b)
		}
	})

	t.Run("ErrMissingField", func(t *testing.T) {
		db := mustOpenStore(t)
		for _, in := range []housing.SignIn{{Password: "x"}, {Username: "sarah"}, {Username: "sarah", Password: "x", DeviceID: "phone-1"}} {
			_, err := db.SignIn(ctx, in)
			wantCode(t, err, housing.CodeInvalid)
		}
	})

	t.Run("DelayGrowsPerAddress", func(t *testing.T) {
		db := mustSeed(t)
		clk := withClock(db)
		guess := housing.SignIn{Username: "tom", Password: "guess", RemoteAddr: "203.0.113.9"}
		for i := 0; i < sqlite.FreeSignInFailures; i++ {
			_, err := db.SignIn(ctx, guess)
			wantCode(t, err, housing.CodeUnauthorized)
		}
		// From here each failure doubles the wait, up to the cap.
		want := sqlite.FirstSignInDelay
		for i := 0; i < 12; i++ {
			for _, password := range []string{"guess", demo.Password} {
				in := guess
				in.Password = password
				_, err := db.SignIn(ctx, in)
				wantCode(t, err, housing.CodeRateLimited)
				if got := housing.RetryAfter(err); got != want {
					t.Fatalf("after %d failures: got a wait of %v, want %v", sqlite.FreeSignInFailures+i, got, want)
				}
			}
			clk.add(want)
			_, err := db.SignIn(ctx, guess)
			wantCode(t, err, housing.CodeUnauthorized)
			want = min(2*want, sqlite.MaxSignInDelay)
		}
		if want != sqlite.MaxSignInDelay {
			t.Fatalf("the wait reached %v, want the cap %v", want, sqlite.MaxSignInDelay)
		}

		// The officer, elsewhere, is not kept out, and signing in there
		// leaves the guesser's delay as it was.
		in := signIn("tom")
		in.RemoteAddr = "198.51.100.20"
		if _, err := db.SignIn(ctx, in); err != nil {
			t.Fatalf("the right password from another address: got %v, want a session", err)
		}
		_, err := db.SignIn(ctx, guess)
		wantCode(t, err, housing.CodeRateLimited)
		// Other accounts from the guesser's address are not delayed.
		other := signIn("sarah")
		other.RemoteAddr = guess.RemoteAddr
		if _, err := db.SignIn(ctx, other); err != nil {
			t.Fatalf("another account from the same address: got %v, want a session", err)
		}
	})

	t.Run("AttemptsSentAtOnceAreAllCounted", func(t *testing.T) {
		db := mustSeed(t)
		withClock(db) // the clock stands still, so no wait passes
		const n = 3 * sqlite.FreeSignInFailures
		codes := make(chan string, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				_, err := db.SignIn(ctx, housing.SignIn{Username: "tom", Password: "guess", RemoteAddr: "203.0.113.9"})
				codes <- housing.ErrorCode(err)
			})
		}
		wg.Wait()
		close(codes)
		count := map[string]int{}
		for c := range codes {
			count[c]++
		}
		if count[housing.CodeUnauthorized] != sqlite.FreeSignInFailures || count[housing.CodeRateLimited] != n-sqlite.FreeSignInFailures {
			t.Fatalf("got %v from %d guesses sent at once, want %d checked and the rest delayed", count, n, sqlite.FreeSignInFailures)
		}
	})

	t.Run("RightPasswordClearsTheDelay", func(t *testing.T) {
		db := mustSeed(t)
		clk := withClock(db)
		for i := 0; i < sqlite.FreeSignInFailures+1; i++ {
			db.SignIn(ctx, housing.SignIn{Username: "tom", Password: "guess"})
			clk.add(sqlite.MaxSignInDelay)
		}
		if _, err := db.SignIn(ctx, signIn("tom")); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < sqlite.FreeSignInFailures; i++ {
			_, err := db.SignIn(ctx, housing.SignIn{Username: "tom", Password: "guess"})
			wantCode(t, err, housing.CodeUnauthorized)
		}
	})

	t.Run("DelayForgottenAfterADay", func(t *testing.T) {
		db := mustSeed(t)
		clk := withClock(db)
		for i := 0; i < sqlite.FreeSignInFailures; i++ {
			db.SignIn(ctx, housing.SignIn{Username: "tom", Password: "guess"})
		}
		clk.add(sqlite.SignInDelayForgotten)
		for i := 0; i < sqlite.FreeSignInFailures; i++ {
			_, err := db.SignIn(ctx, housing.SignIn{Username: "tom", Password: "guess"})
			wantCode(t, err, housing.CodeUnauthorized)
		}
		_, err := db.SignIn(ctx, signIn("tom"))
		wantCode(t, err, housing.CodeRateLimited)
	})

	t.Run("DelaySurvivesRestart", func(t *testing.T) {
		dir := t.TempDir()
		demotest.WriteLandlord(t, dir)
		first, err := sqlite.Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		db := newStore(first)
		clk := withClock(db)
		for i := 0; i < sqlite.FreeSignInFailures; i++ {
			_, err := db.SignIn(ctx, housing.SignIn{Username: "tom", Password: "guess"})
			wantCode(t, err, housing.CodeUnauthorized)
		}
		db.Close()

		again, err := sqlite.Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		db = newStore(again)
		db.Now = clk.now
		_, err = db.SignIn(ctx, signIn("tom"))
		wantCode(t, err, housing.CodeRateLimited)
		if got, want := housing.RetryAfter(err), sqlite.FirstSignInDelay; got != want {
			t.Fatalf("got Retry-After %v, want %v", got, want)
		}
		clk.add(housing.RetryAfter(err))
		if _, err := db.SignIn(ctx, signIn("tom")); err != nil {
			t.Fatalf("after the wait: got %v, want a session", err)
		}
	})

	t.Run("DeviceKeepsItsID", func(t *testing.T) {
		db := mustSeed(t)
		device := "0190f5a2-7b3c-7def-8123-456789abcdef"
		in := signIn("sarah")
		in.DeviceID = strings.ToUpper(device)
		first, err := db.SignIn(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		second, err := db.SignIn(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if first.DeviceID != device || second.DeviceID != device {
			t.Fatalf("got device IDs %q and %q, want %q", first.DeviceID, second.DeviceID, device)
		}
		_, err = db.Authenticate(ctx, first.Token)
		wantCode(t, err, housing.CodeUnauthorized) // signing the device in again ended its old session
		if _, err := db.Authenticate(ctx, second.Token); err != nil {
			t.Fatal(err)
		}

		other := signIn("tom")
		other.DeviceID = device
		_, err = db.SignIn(ctx, other)
		wantCode(t, err, housing.CodeForbidden)
	})
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()

	t.Run("ExpiresWhenIdle", func(t *testing.T) {
		db := mustSeed(t)
		clk := withClock(db)
		db.Lifetime = 4 * sqlite.SessionIdle // so that only idleness can end it
		s, err := db.SignIn(ctx, signIn("priya"))
		if err != nil {
			t.Fatal(err)
		}
		// Use keeps a session alive: each use moves its idle deadline.
		for i := 0; i < 3; i++ {
			clk.add(sqlite.SessionIdle - time.Hour)
			if _, err := db.Authenticate(ctx, s.Token); err != nil {
				t.Fatalf("use %d: %v", i+1, err)
			}
		}
		clk.add(sqlite.SessionIdle + time.Second)
		_, err = db.Authenticate(ctx, s.Token)
		wantCode(t, err, housing.CodeUnauthorized)
	})

	t.Run("ExpiresAfterItsLifetime", func(t *testing.T) {
		db := mustSeed(t)
		clk := withClock(db)
		s, err := db.SignIn(ctx, signIn("priya"))
		if err != nil {
			t.Fatal(err)
		}
		// Daily use does not stretch a session past its lifetime.
		for used := time.Duration(0); used+24*time.Hour <= sqlite.DefaultSessionLifetime; used += 24 * time.Hour {
			clk.add(24 * time.Hour)
			if _, err := db.Authenticate(ctx, s.Token); err != nil {
				t.Fatalf("after %v: %v", used+24*time.Hour, err)
			}
		}
		clk.add(time.Second)
		_, err = db.Authenticate(ctx, s.Token)
		wantCode(t, err, housing.CodeUnauthorized)
		if msg := housing.ErrorMessage(err); !strings.Contains(msg, "30 days") || !strings.Contains(msg, "kept on the device") {
			t.Fatalf("got message %q, want it to say sign-ins last 30 days and nothing unsent is lost", msg)
		}
		p := principal(t, db, "admin")
		if ss, err := db.Sessions(ctx, p, demo.OfficerID("priya")); err != nil || len(ss) != 0 {
			t.Fatalf("got %v, %v; want no live devices listed", ss, err)
		}

		// The phone signs in again as the same device.
		again := signIn("priya")
		again.DeviceID = s.DeviceID
		s2, err := db.SignIn(ctx, again)
		if err != nil || s2.DeviceID != s.DeviceID {
			t.Fatalf("signing in again: got %+v, %v; want the same device", s2, err)
		}
		if _, err := db.Authenticate(ctx, s2.Token); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("LifetimeIsASetting", func(t *testing.T) {
		db := mustSeed(t)
		clk := withClock(db)
		db.Lifetime = 48 * time.Hour
		s, err := db.SignIn(ctx, signIn("priya"))
		if err != nil {
			t.Fatal(err)
		}
		clk.add(48 * time.Hour)
		if _, err := db.Authenticate(ctx, s.Token); err != nil {
			t.Fatal(err)
		}
		clk.add(time.Second)
		_, err = db.Authenticate(ctx, s.Token)
		wantCode(t, err, housing.CodeUnauthorized)
	})

	t.Run("ErrBadToken", func(t *testing.T) {
		db := mustSeed(t)
		for _, token := range []string{"", "not-a-token", housing.NewToken()} {
			_, err := db.Authenticate(ctx, token)
			wantCode(t, err, housing.CodeUnauthorized)
		}
	})
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	db := mustSeed(t)
	phone, err := db.SignIn(ctx, signIn("dan"))
	if err != nil {
		t.Fatal(err)
	}
	tablet, err := db.SignIn(ctx, signIn("dan"))
	if err != nil {
		t.Fatal(err)
	}
	dan, _ := db.Authenticate(ctx, phone.Token)
	sarah := principal(t, db, "sarah")
	admin := principal(t, db, "admin")

	t.Run("Own", func(t *testing.T) {
		ss, err := db.Sessions(ctx, dan, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(ss) != 2 || ss[0].Token != "" {
			t.Fatalf("got %+v, want dan's two devices and no tokens", ss)
		}
	})

	t.Run("ErrSomeoneElses", func(t *testing.T) {
		_, err := db.Sessions(ctx, sarah, dan.OfficerID)
		wantCode(t, err, housing.CodeForbidden)
		err = db.RevokeSession(ctx, sarah, tablet.ID)
		wantCode(t, err, housing.CodeForbidden)
		if _, err := db.Authenticate(ctx, tablet.Token); err != nil {
			t.Fatalf("after a refused revoke: got %v, want the tablet still signed in", err)
		}
	})

	t.Run("AdminRevokes", func(t *testing.T) {
		ss, err := db.Sessions(ctx, admin, dan.OfficerID)
		if err != nil || len(ss) != 2 {
			t.Fatalf("got %v, %v; want dan's two devices", ss, err)
		}
		if err := db.RevokeSession(ctx, admin, tablet.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.Authenticate(ctx, tablet.Token)
		wantCode(t, err, housing.CodeUnauthorized)
		if _, err := db.Authenticate(ctx, phone.Token); err != nil {
			t.Fatalf("the phone: got %v, want it still signed in", err)
		}
		if err := db.RevokeSession(ctx, admin, tablet.ID); err != nil {
			t.Fatalf("revoking twice: %v", err)
		}
		wantCode(t, db.RevokeSession(ctx, admin, "no-such-session"), housing.CodeNotFound)
	})

	t.Run("SignOut", func(t *testing.T) {
		if err := db.SignOut(ctx, phone.Token); err != nil {
			t.Fatal(err)
		}
		_, err := db.Authenticate(ctx, phone.Token)
		wantCode(t, err, housing.CodeUnauthorized)
		ss, err := db.Sessions(ctx, dan, "")
		if err != nil || len(ss) != 0 {
			t.Fatalf("got %v, %v; want no live devices", ss, err)
		}
	})
}

// principal signs a demo user in and returns who they are.
func principal(t *testing.T, db *store, user string) housing.Principal {
	t.Helper()
	s, err := db.SignIn(context.Background(), signIn(user))
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Authenticate(context.Background(), s.Token)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func equalPrincipal(a, b housing.Principal) bool {
	return a.OfficerID == b.OfficerID && a.Name == b.Name && a.Role == b.Role && a.SessionID == b.SessionID &&
		a.DeviceID == b.DeviceID && strings.Join(a.Sites, ",") == strings.Join(b.Sites, ",") &&
		strings.Join(a.Functions, ",") == strings.Join(b.Functions, ",")
}
