package sqlite_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"doorstep/shared/housing"
)

// TestNewPassword checks the one rule for a password someone sets, through
// both ways of setting one: adding an account and resetting its password.
func TestNewPassword(t *testing.T) {
	ctx := context.Background()
	db := mustSeed(t)
	lena, err := db.CreateOfficer(ctx, housing.NewOfficer{Username: "lena.novak", Name: "Lena Novak", Role: housing.RoleOfficer,
		Sites: []string{"hollins"}, Password: "kettle orange bicycle"})
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		name     string
		password string // {user} and {USER} stand for the username, as is and in upper case
		message  string // "" means the password is accepted
	}{
		{"OK", "kettle orange bicycle", ""},
		{"OKContainsProductName", "my doorstep has a red door", ""},
		{"ErrCommon", "password", "most common"},
		{"ErrCommonDigits", "12345678", "most common"},
		{"ErrCommonAnyCase", "PassWord1", "most common"},
		{"ErrCommonSpaces", "  sunshine  ", "most common"},
		{"ErrProductName", "doorstep", "name of the app"},
		{"ErrProductNameAnyCase", "DoorStep", "name of the app"},
		{"ErrProductNameDecorated", "Doorstep2026!", "name of the app"},
		{"ErrUsername", "{user}", "username"},
		{"ErrUsernameAnyCase", "{USER}", "username"},
		{"ErrUsernameDecorated", "{user}123!", "username"},
		{"ErrShort", "kettle", "at least 8 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			password := func(username string) string {
				return strings.NewReplacer("{user}", username, "{USER}", strings.ToUpper(username)).Replace(tc.password)
			}
			in := housing.NewOfficer{Username: fmt.Sprintf("new.person%d", i), Name: "New Person", Role: housing.RoleOfficer,
				Sites: []string{"hollins"}}
			in.Password = password(in.Username)
			_, errAdd := db.CreateOfficer(ctx, in)
			errReset := db.SetPassword(ctx, housing.Principal{}, lena.ID, password(lena.Username))
			if tc.message == "" {
				if errAdd != nil || errReset != nil {
					t.Fatalf("got %v (add) and %v (reset), want %q accepted", errAdd, errReset, tc.password)
				}
				return
			}
			for what, err := range map[string]error{"add": errAdd, "reset": errReset} {
				if msg := housing.ErrorMessage(err); housing.ErrorCode(err) != housing.CodeInvalid || !strings.Contains(msg, tc.message) {
					t.Errorf("%s: got %v, want code invalid and a message containing %q", what, err, tc.message)
				}
			}
			if _, err := db.OfficerByUsername(ctx, in.Username); housing.ErrorCode(err) != housing.CodeNotFound {
				t.Errorf("a refused account was added: %v", err)
			}
		})
	}
}

// TestNewPasswordAsAGuesserReadsIt checks that a common password stays
// refused however it is dressed up (case, spaces, full-width forms,
// substitutions, digits and symbols around it), that a password holding the
// username is refused, and that good passwords still pass.
func TestNewPasswordAsAGuesserReadsIt(t *testing.T) {
	ctx := context.Background()
	db := mustSeed(t)
	for i, tc := range []struct {
		name, username, password string
		message                  string // "" means the password is accepted
	}{
		{"ErrCommonDecorated", "", "Password123!", "most common"},
		{"ErrCommonSymbol", "", "password!", "most common"},
		{"ErrCommonSubstituted", "", "Passw0rd!", "most common"},
		{"ErrCommonAt", "", "p@ssw0rd", "most common"},
		{"ErrProductNameSubstituted", "", "d00rst3p!", "name of the app"},
		{"ErrProductNameSpaced", "", "door step", "name of the app"},
		{"ErrUsernameRepeated", "zed5", "Zed5Zed5", "username"},
		{"ErrUsernameTwice", "boss", "boss!boss", "username"},
		{"ErrShortUsernameRepeated", "al", "alalalal", "username"},
		{"ErrFullWidthDigits", "", "１２３４５６７８", "most common"},
		{"ErrNUL", "", "12345678\x00", "control character"},
		{"ErrNewline", "", "kettle\norange", "control character"},
		{"ErrShortCore", "", "2026!!cat!!", "too short"},
		{"OK", "", "kettle orange bicycle", ""},
		{"OKShortUsernameInside", "al", "almond vale tally", ""},
		{"ErrUsernameWithLittleAdded", "zed6", "Zed6cat2026!", "username"},
		{"OKPassphraseHoldingUsername", "lena.n", "lena.n likes green tea", ""},
		{"OKSymbols", "", "9$kQ!2xv#Lm", ""},
		{"OKUnicode", "", "Zoë's garden gate", ""},
		{"OKPassphraseDigits", "", "purple kettle 42", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			username := tc.username
			if username == "" {
				username = fmt.Sprintf("guessed.%d", i)
			}
			_, err := db.CreateOfficer(ctx, housing.NewOfficer{Username: username, Name: "New Person", Role: housing.RoleOfficer,
				Sites: []string{"hollins"}, Password: tc.password})
			if tc.message == "" {
				if err != nil {
					t.Fatalf("got %v, want %q accepted", err, tc.password)
				}
				return
			}
			if msg := housing.ErrorMessage(err); housing.ErrorCode(err) != housing.CodeInvalid || !strings.Contains(msg, tc.message) {
				t.Fatalf("got %v, want code invalid and a message containing %q", err, tc.message)
			}
			if _, err := db.OfficerByUsername(ctx, username); housing.ErrorCode(err) != housing.CodeNotFound {
				t.Errorf("a refused account was added: %v", err)
			}
		})
	}
}
