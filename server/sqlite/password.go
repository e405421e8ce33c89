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
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/width"

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

// The cost of hashing a one-time password the server drew itself
// (housing.NewToken, 128 random bits): argon2's cost defends passwords
// people choose, which can be guessed, while 2^128 draws cannot be searched
// at any cost. At full cost a first import of 2,000 staff spent two minutes
// hashing; at this one, well under a second. A password the officer then
// sets is hashed at full cost. Sign-in reads the cost from the hash, and
// spends the full cost's time either way (SessionService.SignIn), so a
// fast answer does not reveal an account still on its first password.
const (
	drawnTime   = 1
	drawnMemory = 64 // KiB
)

// hashPassword returns password's argon2id hash in the PHC string format
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>", with a fresh random salt.
func hashPassword(password string) (string, error) {
	return hashArgon(password, argonTime, argonMemory)
}

// hashDrawnPassword hashes a password the server drew at random (see
// drawnTime); never one a person chose.
func hashDrawnPassword(password string) (string, error) {
	return hashArgon(password, drawnTime, drawnMemory)
}

func hashArgon(password string, passes, memory uint32) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, passes, memory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, memory, passes, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// cheaperThanFull reports whether the stored hash was made below the full
// cost, so a sign-in against it can spend the rest (see drawnTime).
func cheaperThanFull(encoded string) bool {
	h, err := decodeHash(encoded)
	return err == nil && (h.memory < argonMemory || h.passes < argonTime)
}

// checkPassword reports whether password matches encoded, a hash from
// hashPassword, using the parameters stored in it. A malformed hash is an
// error, never a match.
func checkPassword(encoded, password string) (bool, error) {
	h, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), h.salt, h.passes, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(got, h.key) == 1, nil
}

// argonHash is a stored hash, decoded.
type argonHash struct {
	memory, passes uint32
	threads        uint8
	salt, key      []byte
}

// decodeHash reads a hash in the format hashPassword writes.
func decodeHash(encoded string) (argonHash, error) {
	var h argonHash
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return h, fmt.Errorf("password hash: not argon2id")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return h, fmt.Errorf("password hash: argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.memory, &h.passes, &h.threads); err != nil {
		return h, fmt.Errorf("password hash parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil {
		return h, fmt.Errorf("password hash salt: %w", err)
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) == 0 {
		return h, fmt.Errorf("password hash key: %v", err)
	}
	return h, nil
}

// HashPassword returns the hash of a password that no person chose, for
// ReferenceService.Put to give a new account: one the server made up, or
// the demo's published one (server/demo). It checks only the length
// (housing.CheckPassword), which bounds the work of every sign-in; the rule
// for passwords people choose (hashNewPassword) is applied where they
// choose them, by OfficerService.
func HashPassword(password string) (string, error) {
	if err := housing.CheckPassword("", password); err != nil {
		return "", err
	}
	return hashPassword(password)
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
// (CodeInvalid) what checkNewPassword refuses. Only passwords no person
// chose are hashed without it (HashPassword): the demo's published one is
// ProductName.
func hashNewPassword(username, password string) (string, error) {
	if err := checkNewPassword(username, password); err != nil {
		return "", err
	}
	return hashPassword(password)
}

// minPasswordCore is the fewest letters (and inner digits or symbols) a
// password must keep once the digits and symbols around it are stripped:
// "Summer2026!" is "summer", and guessers try the decorations first.
const minPasswordCore = 6

// checkNewPassword is hashNewPassword's rule. It refuses what
// housing.CheckPassword refuses (too short or long, exactly the username)
// and any control character; then it reads the password as a guesser does
// (see normalizePassword) and refuses it when it is one of the common
// passwords, when what is left after stripping the digits and symbols
// around it is on that list or is ProductName, when it is mostly the
// username (mostlyUsername), or when that stripped core is shorter than
// minPasswordCore.
func checkNewPassword(username, password string) error {
	if strings.ContainsFunc(password, unicode.IsControl) || !utf8.ValidString(password) {
		return housing.Invalid(housing.FieldPassword, "The password has a control character in it (such as NUL or a line break); type it again without pasting.")
	}
	if err := housing.CheckPassword(username, password); err != nil {
		return err
	}
	typed := normalizePassword(password)
	core := strings.TrimFunc(typed, notLetter)
	readings := substitutions(core)
	user := strings.ToLower(username)
	userReadings := substitutions(user)
	if _, common := commonPasswords()[typed]; common {
		return errCommonPassword
	}
	for _, r := range readings {
		if r == ProductName {
			return housing.Invalid(housing.FieldPassword, "The password must not be the name of the app; three random words work well.")
		}
		if _, common := commonPasswords()[r]; common {
			return errCommonPassword
		}
	}
	if mostlyUsername(append(readings, typed), userReadings) {
		return housing.Invalid(housing.FieldPassword, "The password must not be the username, repeated or with a little added; three random words work well.")
	}
	if utf8.RuneCountInString(core) < minPasswordCore {
		return housing.Invalid(housing.FieldPassword, "Without the digits and symbols around it that password is too short to be hard to guess; three random words work well.")
	}
	return nil
}

var errCommonPassword = housing.Invalid(housing.FieldPassword, "That password is one of the most common, so it is among the first an attacker tries. Choose another; three random words work well.")

// normalizePassword folds password into the form a guesser's list holds:
// full-width and other compatibility forms folded to plain ones
// ("１２３４" is "1234"), lower case, and without spaces ("Door Step" is
// "doorstep").
func normalizePassword(password string) string {
	folded := strings.ToLower(width.Fold.String(password))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, folded)
}

// notLetter reports whether r is a digit or symbol, the decoration people
// add around a word to meet a rule.
func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// leet undoes the substitutions people make to a word ("p@ssw0rd"). A 1
// reads as i or l, so substitutions returns both readings.
var (
	leetI = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "@", "a", "5", "s", "$", "s", "7", "t", "!", "i")
	leetL = strings.NewReplacer("0", "o", "1", "l", "3", "e", "4", "a", "@", "a", "5", "s", "$", "s", "7", "t", "!", "i")
)

// substitutions returns s as typed and with the common substitutions undone.
func substitutions(s string) []string {
	return []string{s, leetI.Replace(s), leetL.Replace(s)}
}

// mostlyUsername reports whether any reading of the password contains a
// reading of the username and, with every copy of it taken out, keeps fewer
// than minPasswordCore letters: "zed5zed5", "boss!boss" and "sarah2026!"
// are, while "new sarah words" is a passphrase that happens to hold the
// name and is not.
func mostlyUsername(passwords, users []string) bool {
	for _, p := range passwords {
		for _, u := range users {
			if u == "" || !strings.Contains(p, u) {
				continue
			}
			rest := strings.ReplaceAll(p, u, "")
			if utf8.RuneCountInString(strings.Map(lettersOnly, rest)) < minPasswordCore {
				return true
			}
		}
	}
	return false
}

// lettersOnly is a strings.Map function that keeps only letters.
func lettersOnly(r rune) rune {
	if unicode.IsLetter(r) {
		return r
	}
	return -1
}
