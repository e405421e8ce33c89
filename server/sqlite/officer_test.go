package sqlite_test

import (
	"context"
	"strings"
	"testing"

	"doorstep/server/demo"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

func TestCreateOfficer(t *testing.T) {
	ctx := context.Background()
	db := mustSeed(t)
	ok := housing.NewOfficer{Username: "Lena.Novak", Name: " Lena Novak ", Role: housing.RoleOfficer,
		Sites: []string{"hollins", "riverside", "hollins"}, Functions: []string{"repairs"}, Email: " lena.novak@example.org ", Password: "three random words"}

	t.Run("OK", func(t *testing.T) {
		o, err := db.CreateOfficer(ctx, ok)
		if err != nil {
			t.Fatal(err)
		}
		if o.Username != "lena.novak" || o.Name != "Lena Novak" || strings.Join(o.Sites, ",") != "hollins,riverside" || !housing.ValidID(o.ID) ||
			o.Email != "lena.novak@example.org" || o.Imported {
			t.Fatalf("got %+v", o)
		}
		if _, err := db.SignIn(ctx, housing.SignIn{Username: "lena.novak", Password: "three random words"}); err != nil {
			t.Fatalf("sign in as the new officer: %v", err)
		}
		var hash string
		if err := db.SQL().QueryRow(`SELECT password_hash FROM officers WHERE id = ?`, o.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(hash, "three random words") {
			t.Fatalf("got stored password %q, want an argon2id hash", hash)
		}
	})

	for _, tc := range []struct {
		name    string
		change  func(*housing.NewOfficer)
		code    string
		message string
	}{
		{"ErrUsernameTaken", func(n *housing.NewOfficer) { n.Username = "SARAH" }, housing.CodeConflict, `The username "sarah" is taken; choose another.`},
		{"ErrUnknownSite", func(n *housing.NewOfficer) { n.Sites = []string{"hillside"} }, housing.CodeInvalid, `There is no site called "hillside". Choose from: hollins, northgate, riverside.`},
		{"ErrUnknownFunction", func(n *housing.NewOfficer) { n.Functions = []string{"gardening"} }, housing.CodeInvalid, `There is no team called "gardening".`},
		{"ErrShortPassword", func(n *housing.NewOfficer) { n.Password = "abc" }, housing.CodeInvalid, "at least 8 characters"},
		{"ErrBadUsername", func(n *housing.NewOfficer) { n.Username = "lena novak" }, housing.CodeInvalid, "only lower-case letters"},
		{"ErrNoScope", func(n *housing.NewOfficer) { n.Username, n.Sites, n.Functions = "x.y", nil, nil }, housing.CodeInvalid, "will see nothing"},
		{"ErrNameNUL", func(n *housing.NewOfficer) { n.Name = "Lena\x00Novak" }, housing.CodeInvalid, "invisible or control character"},
		{"ErrNameRightToLeftOverride", func(n *housing.NewOfficer) { n.Name = "Lena \u202ekavoN" }, housing.CodeInvalid, "invisible or control character"},
		{"ErrRole", func(n *housing.NewOfficer) { n.Username, n.Role = "x.z", "boss" }, housing.CodeInvalid, "Choose a role"},
		{"ErrEmail", func(n *housing.NewOfficer) { n.Email = "lena at example.org" }, housing.CodeInvalid, "no spaces"},
		{"ErrEmailNoAt", func(n *housing.NewOfficer) { n.Email = "lena.example.org" }, housing.CodeInvalid, "is not an email address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			in.Username = "new.person"
			tc.change(&in)
			_, err := db.CreateOfficer(ctx, in)
			wantCode(t, err, tc.code)
			if msg := housing.ErrorMessage(err); !strings.Contains(msg, tc.message) {
				t.Fatalf("got message %q, want it to contain %q", msg, tc.message)
			}
		})
	}
}

func TestDisableOfficer(t *testing.T) {
	ctx := context.Background()
	db := mustSeed(t)
	owen := demo.OfficerID("owen")
	s, err := db.SignIn(ctx, signIn("owen"))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("EndsSessionsAndSignIn", func(t *testing.T) {
		if err := db.DisableOfficer(ctx, owen); err != nil {
			t.Fatal(err)
		}
		_, err := db.Authenticate(ctx, s.Token)
		wantCode(t, err, housing.CodeUnauthorized)
		_, err = db.SignIn(ctx, signIn("owen"))
		wantCode(t, err, housing.CodeUnauthorized)
		if msg := housing.ErrorMessage(err); !strings.Contains(msg, "switched off") {
			t.Fatalf("got message %q, want it to say the account is switched off", msg)
		}
	})

	t.Run("EnableLetsThemSignInAgain", func(t *testing.T) {
		if err := db.EnableOfficer(ctx, owen); err != nil {
			t.Fatal(err)
		}
		_, err := db.Authenticate(ctx, s.Token)
		wantCode(t, err, housing.CodeUnauthorized) // old sessions stay ended
		if _, err := db.SignIn(ctx, signIn("owen")); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ErrLastAdmin", func(t *testing.T) {
		err := db.DisableOfficer(ctx, demo.OfficerID("admin"))
		wantCode(t, err, housing.CodeInvalid)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		wantCode(t, db.DisableOfficer(ctx, "nobody"), housing.CodeNotFound)
	})
}

func TestSetPassword(t *testing.T) {
	ctx := context.Background()

	t.Run("LiftsTheDelay", func(t *testing.T) {
		db := mustSeed(t)
		grace := demo.OfficerID("grace")
		for i := 0; i < sqlite.FreeSignInFailures; i++ {
			db.SignIn(ctx, housing.SignIn{Username: "grace", Password: "guess"})
		}
		_, err := db.SignIn(ctx, signIn("grace"))
		wantCode(t, err, housing.CodeRateLimited)

		wantCode(t, db.SetPassword(ctx, housing.Principal{}, grace, "grace"), housing.CodeInvalid)
		if err := db.SetPassword(ctx, housing.Principal{}, grace, "kettle orange bicycle"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SignIn(ctx, housing.SignIn{Username: "grace", Password: "kettle orange bicycle"}); err != nil {
			t.Fatalf("after a reset: got %v, want the delay lifted and the new password to work", err)
		}
		_, err = db.SignIn(ctx, signIn("grace"))
		wantCode(t, err, housing.CodeUnauthorized)
	})

	t.Run("EndsEveryDevice", func(t *testing.T) {
		db := mustSeed(t)
		phone, err := db.SignIn(ctx, signIn("tom"))
		if err != nil {
			t.Fatal(err)
		}
		tablet, err := db.SignIn(ctx, signIn("tom"))
		if err != nil {
			t.Fatal(err)
		}
		sarah, err := db.SignIn(ctx, signIn("sarah"))
		if err != nil {
			t.Fatal(err)
		}
		adminToken := mustToken(t, db, "admin")
		admin, err := db.Authenticate(ctx, adminToken)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, admin, demo.OfficerID("tom"), "kettle orange bicycle"); err != nil {
			t.Fatal(err)
		}
		for name, token := range map[string]string{"phone": phone.Token, "tablet": tablet.Token} {
			_, err := db.Authenticate(ctx, token)
			wantCode(t, err, housing.CodeUnauthorized)
			if t.Failed() {
				t.Fatalf("tom's %s is still signed in after an admin reset his password", name)
			}
		}
		if _, err := db.Authenticate(ctx, sarah.Token); err != nil {
			t.Fatalf("another officer's device: got %v, want it still signed in", err)
		}
		if _, err := db.Authenticate(ctx, adminToken); err != nil {
			t.Fatalf("the admin: got %v, want them still signed in", err)
		}
	})

	t.Run("OwnKeepsThisDevice", func(t *testing.T) {
		db := mustSeed(t)
		here, err := db.SignIn(ctx, signIn("admin"))
		if err != nil {
			t.Fatal(err)
		}
		other, err := db.SignIn(ctx, signIn("admin"))
		if err != nil {
			t.Fatal(err)
		}
		me, err := db.Authenticate(ctx, here.Token)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, me, me.OfficerID, "kettle orange bicycle"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, here.Token); err != nil {
			t.Fatalf("the device the admin changed their password on: got %v, want it still signed in", err)
		}
		_, err = db.Authenticate(ctx, other.Token)
		wantCode(t, err, housing.CodeUnauthorized)
	})

	t.Run("FromTheCommandLineEndsAll", func(t *testing.T) {
		db := mustSeed(t)
		s, err := db.SignIn(ctx, signIn("admin"))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, housing.Principal{}, demo.OfficerID("admin"), "kettle orange bicycle"); err != nil {
			t.Fatal(err)
		}
		_, err = db.Authenticate(ctx, s.Token)
		wantCode(t, err, housing.CodeUnauthorized)
	})

	t.Run("ErrRefusedChangesNothing", func(t *testing.T) {
		db := mustSeed(t)
		s, err := db.SignIn(ctx, signIn("dan"))
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.SetPassword(ctx, housing.Principal{}, demo.OfficerID("dan"), "password1"), housing.CodeInvalid)
		if _, err := db.Authenticate(ctx, s.Token); err != nil {
			t.Fatalf("after a refused reset: got %v, want the device still signed in", err)
		}
		if _, err := db.SignIn(ctx, signIn("dan")); err != nil {
			t.Fatalf("after a refused reset: got %v, want the old password to work", err)
		}
		wantCode(t, db.SetPassword(ctx, housing.Principal{}, "no-such-officer", "kettle orange bicycle"), housing.CodeNotFound)
	})
}

// mustToken signs a demo user in on a new device and returns its token.
func mustToken(t *testing.T, db *store, user string) string {
	t.Helper()
	s, err := db.SignIn(context.Background(), signIn(user))
	if err != nil {
		t.Fatal(err)
	}
	return s.Token
}
