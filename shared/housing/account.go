package housing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what an admin enters for a member of staff.
const (
	MinUsername = 2
	MaxUsername = 40
	MaxName     = 100
	// MinPassword follows the NCSC and NIST advice: length matters, not
	// character classes, so a long passphrase of plain words passes.
	MinPassword = 8
	// MaxPassword bounds the work of hashing one sign-in attempt.
	MaxPassword = 128
)

// NewOfficer is a member of staff as an admin adds them: who they are,
// what they may do and where, and their first password.
type NewOfficer struct {
	Username  string   `json:"username"`
	Name      string   `json:"name"`
	Role      Role     `json:"role"`
	Sites     []string `json:"sites"`     // site IDs
	Functions []string `json:"functions"` // function IDs
	Email     string   `json:"email,omitempty"`
	Password  string   `json:"password,omitempty"`
}

// Validate checks the account's shape and first password. Whether its
// sites and functions exist is checked by the store, which knows them.
func (n NewOfficer) Validate() error {
	o := Officer{Username: n.Username, Name: n.Name, Role: n.Role, Sites: n.Sites, Functions: n.Functions, Email: n.Email}
	if err := o.Validate(); err != nil {
		return err
	}
	return CheckPassword(n.Username, n.Password)
}

// Validate checks a member of staff's account as an admin or an import
// gives it: a username (normalized, see NormalizeUsername), a name, a role,
// and some site or team for anyone but an admin. Whether the sites and
// functions exist is checked by the store, which knows them.
func (o Officer) Validate() error {
	if err := CheckUsername(o.Username); err != nil {
		return err
	}
	if err := CheckName(o.Name); err != nil {
		return err
	}
	if err := CheckEmail(o.Email); err != nil {
		return err
	}
	switch {
	case !o.Role.Valid():
		return Invalid(FieldRole, "Choose a role: officer, supervisor or admin.")
	case o.Role != RoleAdmin && len(o.Sites) == 0 && len(o.Functions) == 0:
		return Invalid(FieldSites, "Choose at least one site or team, or this %s will see nothing.", o.Role)
	}
	return nil
}

// CheckName says what is wrong with a person's name as typed: blank, too
// long, or holding a control character (NUL, a line break) or a bidi
// control (U+202E RIGHT-TO-LEFT OVERRIDE and its kin). A name is shown to
// supervisors, in CSV exports and to tenants; a bidi override there makes
// it read as something else, and a control character breaks the lines it
// is printed on.
func CheckName(s string) error {
	switch {
	case blank(s):
		return Invalid(FieldName, "Enter the person's full name.")
	case utf8.RuneCountInString(s) > MaxName:
		return Invalid(FieldName, "Keep the name under %d characters.", MaxName)
	case !utf8.ValidString(s) || strings.ContainsFunc(s, hiddenRune):
		return Invalid(FieldName, "The name has an invisible or control character in it; type it again without pasting.")
	}
	return nil
}

// hiddenRune reports whether r is a control character or one of the
// Unicode bidirectional formatting characters, which change how the text
// around them is displayed without being seen themselves.
func hiddenRune(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f',
		r >= '\u202a' && r <= '\u202e',
		r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// NormalizeUsername is the form a username is stored and looked up in:
// trimmed and lower case, so "Sarah " and "sarah" are one account.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckUsername says what is wrong with a (normalized) username: 2 to 40
// lower-case letters, digits, dots, dashes or underscores.
func CheckUsername(s string) error {
	switch {
	case s == "":
		return Invalid(FieldUsername, "Enter a username.")
	case len(s) < MinUsername || len(s) > MaxUsername:
		return Invalid(FieldUsername, "A username is %d to %d characters long.", MinUsername, MaxUsername)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return Invalid(FieldUsername, "A username may use only lower-case letters, digits, dots, dashes and underscores, like sarah.okafor.")
		}
	}
	return nil
}

// CheckPassword says what is wrong with a new password for username.
func CheckPassword(username, password string) error {
	switch n := utf8.RuneCountInString(password); {
	case n < MinPassword:
		return Invalid(FieldPassword, "Choose a password of at least %d characters; three random words work well.", MinPassword)
	case n > MaxPassword:
		return Invalid(FieldPassword, "Keep the password under %d characters.", MaxPassword)
	case strings.EqualFold(strings.TrimSpace(password), username):
		return Invalid(FieldPassword, "The password must not be the username.")
	}
	return nil
}

// MaxEmail is the longest email address, as SMTP bounds it.
const MaxEmail = 254

// CheckEmail says what is wrong with a member of staff's email address, or
// nil; blank is fine, as email is optional. It checks the shape only: one
// @ with something either side, no spaces or control characters. Whether
// mail arrives is for the mail server to say.
func CheckEmail(s string) error {
	at := strings.IndexByte(s, '@')
	switch {
	case s == "":
		return nil
	case utf8.RuneCountInString(s) > MaxEmail:
		return Invalid(FieldEmail, "An email address is at most %d characters long.", MaxEmail)
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return Invalid(FieldEmail, "An email address has no spaces in it.")
	case at <= 0 || at == len(s)-1 || strings.Count(s, "@") != 1:
		return Invalid(FieldEmail, "%q is not an email address, like sarah.okafor@example.org.", s)
	}
	return nil
}
