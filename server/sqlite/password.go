package sqlite

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/crypto/argon2"

	"doorstep/shared/housing"
)

// Passwords are hashed with argon2id at OWASP's recommended minimum: 19 MiB
// of memory, 2 passes, 1 lane. argon2id is chosen over bcrypt because it is
// memory-hard (a stolen database costs far more to crack on GPUs), it does
// not cut passwords at 72 bytes, and its parameters travel inside each hash
// so they can be raised later without breaking stored ones. On this kind of
// server one hash takes a few tens of milliseconds; the sign-in rate limits
// bound how many run at once, and so the memory they use.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// hashPassword returns password's argon2id hash in the PHC string format
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>", with a fresh random salt.
func hashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword reports whether password matches encoded, a hash from
// hashPassword, using the parameters stored in it. A malformed hash is an
// error, never a match.
func checkPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("password hash: not argon2id")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("password hash: argon2 version %q", parts[2])
	}
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false, fmt.Errorf("password hash parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("password hash salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, fmt.Errorf("password hash key: %v", err)
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when no account has the username typed, so a
// wrong username takes as long as a wrong password and does not reveal
// which usernames exist.
var dummyHash = sync.OnceValue(func() string {
	h, err := hashPassword("no account has this password")
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return h
})

// ProductName is refused as a password, in any case: it is the first word
// anyone guessing at a Doorstep sign-in tries.
const ProductName = "doorstep"

// commonPasswordList is the 10,000 most common passwords of a public list
// of breached passwords (SecLists' 10-million-password-list-top-10000, MIT
// licence; see passwords/README.md), one a line.
//
//go:embed passwords/common.txt
var commonPasswordList string

// commonPasswords is commonPasswordList as a set, in lower case, built on
// first use so that a server that never sets a password never builds it.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 10000)
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.ToLower(strings.TrimRight(line, "\r")); line != "" {
			set[line] = struct{}{}
		}
	}
	return set
})

// hashNewPassword is the one way a password that someone chose becomes a
// stored hash: CreateOfficer and SetPassword both call it, for the API, the
// admin routes and the `doorstep user` command alike. It refuses
// (CodeInvalid) what housing.CheckPassword refuses (too short or long, the
// username), and also, ignoring case and the digits and punctuation around
// it, the username, ProductName and any of the common passwords. Only the
// seeded demo accounts are hashed without it: their published password is
// ProductName.
func hashNewPassword(username, password string) (string, error) {
	if err := checkNewPassword(username, password); err != nil {
		return "", err
	}
	return hashPassword(password)
}

// checkNewPassword is hashNewPassword's rule.
func checkNewPassword(username, password string) error {
	if err := housing.CheckPassword(username, password); err != nil {
		return err
	}
	typed := strings.ToLower(strings.TrimSpace(password))
	switch {
	case decorated(typed, strings.ToLower(username)):
		return housing.Errorf(housing.CodeInvalid, "The password must not be the username.")
	case decorated(typed, ProductName):
		return housing.Errorf(housing.CodeInvalid, "The password must not be the name of the app; three random words work well.")
	}
	if _, common := commonPasswords()[typed]; common {
		return housing.Errorf(housing.CodeInvalid, "That password is one of the most common, so it is among the first an attacker tries. Choose another; three random words work well.")
	}
	return nil
}

// decorated reports whether typed is word with at most digits and symbols
// around it, as people add them to meet a rule ("Doorstep2026!",
// "sarah123").
func decorated(typed, word string) bool {
	if word == "" {
		return false
	}
	i := strings.Index(typed, word)
	if i < 0 {
		return false
	}
	noLetters := func(s string) bool { return !strings.ContainsFunc(s, unicode.IsLetter) }
	return noLetters(typed[:i]) && noLetters(typed[i+len(word):])
}
