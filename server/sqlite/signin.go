package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"doorstep/shared/housing"
)

// The sign-in delay, per account and client address. From one address,
// FreeSignInFailures wrong passwords in a row for a username cost nothing;
// from then on each failure makes that address wait before its next
// attempt on that username: FirstSignInDelay after the
// FreeSignInFailures-th, twice as long after each further one, up to
// MaxSignInDelay. An attempt made while waiting is refused unchecked, the
// right password included (CodeRateLimited, with the wait), so guessing
// from one address slows to a few tries an hour; and since the delay is
// kept per address, it never keeps the real officer out from another one,
// as a per-username lockout did. A right password from the address, a
// password reset (SetPassword), or SignInDelayForgotten without a failure
// clears it. Delays are stored, so a restart does not lift them. The limit
// on every attempt from one address, whatever the username, is in the API
// (server/api/ratelimit.go).
const (
	FreeSignInFailures   = 5
	FirstSignInDelay     = 2 * time.Second
	MaxSignInDelay       = 15 * time.Minute
	SignInDelayForgotten = 24 * time.Hour
)

// signInDelay is how long an address must wait after its failures-th
// failure in a row on one username.
func signInDelay(failures int) time.Duration {
	if failures < FreeSignInFailures {
		return 0
	}
	d := FirstSignInDelay
	for i := FreeSignInFailures; i < failures && d < MaxSignInDelay; i++ {
		d *= 2
	}
	return min(d, MaxSignInDelay)
}

// maxDeviceName bounds the label a device gives itself.
const maxDeviceName = 100

// SignIn checks a username and password and makes a session for the
// device: a fresh 128-bit token, returned once and stored only as its hash.
//
// The device keeps its ID across sign-ins (in.DeviceID, a UUID), so after
// a revocation it goes on numbering its mutations where it left off; a
// device without one gets a UUIDv7 from the server. A device ID already
// used by a different officer is refused (CodeForbidden): on a shared
// phone, each officer's device has its own ID. Signing a device in again
// ends its earlier session.
//
// It returns CodeInvalid for a missing field, CodeUnauthorized for a wrong
// username or password (one message for both), an account with no password
// yet or a disabled account, and CodeRateLimited after too many failures,
// with the wait in RetryAfter.
//
// It takes two transactions, with the password checked between them and
// no transaction open: the check is the slow part, and holding the write
// lock through it would make every phone's sync wait behind every sign-in.
// The first counts the attempt and reads the account; the second starts
// the session.
func (s *SessionService) SignIn(ctx context.Context, in housing.SignIn) (housing.Session, error) {
	username := housing.NormalizeUsername(in.Username)
	switch {
	case username == "":
		return housing.Session{}, housing.Invalid(housing.FieldUsername, "Enter your username.")
	case in.Password == "":
		return housing.Session{}, housing.Invalid(housing.FieldPassword, "Enter your password.")
	case in.DeviceID != "" && !validDeviceID(in.DeviceID):
		return housing.Session{}, housing.Errorf(housing.CodeInvalid, "This device's ID is damaged. Clear the app's data in the browser settings and sign in again.")
	}
	if r := []rune(username); len(r) > housing.MaxUsername {
		username = string(r[:housing.MaxUsername]) // no account is longer; this bounds the failures table
	}
	acct, wait, err := s.takeSignInAttempt(ctx, username, in.RemoteAddr)
	if err != nil {
		return housing.Session{}, err
	} else if wait > 0 {
		return housing.Session{}, &housing.Error{
			Code:       housing.CodeRateLimited,
			Message:    "Too many wrong passwords for this account. Wait " + waitText(wait) + " and try again, or ask an admin to reset your password.",
			RetryAfter: wait,
		}
	}

	// An unknown username, and an account with no password yet, are
	// checked against a dummy hash, so they take as long as a wrong
	// password and do not reveal which usernames exist.
	hash := acct.hash
	if hash == "" {
		hash = dummyHash()
	}
	ok, err := checkPassword(hash, in.Password)
	if err != nil {
		return housing.Session{}, err
	}
	if cheaperThanFull(hash) {
		// A one-time password's hash is cheap (hashDrawnPassword): spend
		// the full cost too, so timing does not tell it apart.
		if _, err := checkPassword(dummyHash(), in.Password); err != nil {
			return housing.Session{}, err
		}
	}
	if acct.hash == "" || !ok {
		return housing.Session{}, housing.Errorf(housing.CodeUnauthorized, "Wrong username or password.")
	}
	if acct.disabled {
		return housing.Session{}, housing.Errorf(housing.CodeUnauthorized, "This account is switched off. Ask an admin to switch it back on.")
	}
	sess, err := s.startSession(ctx, acct.id, username, in.RemoteAddr, in.DeviceID, cleanDeviceName(in.DeviceName))
	// Only a password the server drew is hashed below the full cost, so a
	// cheap hash is an account still on the one-time password an import
	// gave it: the app asks for a password of the officer's own.
	sess.MustChangePassword = err == nil && cheaperThanFull(acct.hash)
	return sess, err
}

// ChangePassword sets p's own password, once they have given their current
// one. A wrong current password counts as a wrong password at sign-in from
// the same address (takeSignInAttempt), so a stolen session cannot be used
// to guess it any faster than the sign-in page allows.
func (s *SessionService) ChangePassword(ctx context.Context, p housing.Principal, in housing.PasswordChange) error {
	switch {
	case in.Current == "":
		return housing.Invalid(housing.FieldCurrentPassword, "Enter the password you signed in with.")
	case in.New == "":
		return housing.Invalid(housing.FieldPassword, "Choose a new password.")
	case in.New == in.Current:
		return housing.Invalid(housing.FieldPassword, "Choose a password different from the one you have now.")
	}
	officers := &OfficerService{DB: s.DB}
	o, err := officers.Officer(ctx, p.OfficerID)
	if err != nil {
		return err
	}
	acct, wait, err := s.takeSignInAttempt(ctx, o.Username, in.RemoteAddr)
	if err != nil {
		return err
	} else if wait > 0 {
		return &housing.Error{
			Code:       housing.CodeRateLimited,
			Message:    "Too many wrong passwords for this account. Wait " + waitText(wait) + " and try again.",
			RetryAfter: wait,
		}
	}
	ok, err := checkPassword(acct.hash, in.Current)
	if err != nil {
		return err
	}
	if !ok {
		return housing.Invalid(housing.FieldCurrentPassword, "That is not the password you signed in with.")
	}
	// SetPassword checks the new password's strength, keeps this device's
	// session and ends the others, and lifts the count takeSignInAttempt
	// just made.
	return officers.SetPassword(ctx, p, p.OfficerID, in.New)
}

// signInAccount is what a sign-in needs of the account it names: hash is
// "" when there is no such account or it has no password yet.
type signInAccount struct {
	id, hash string
	disabled bool
}

// startSession makes the session row for an officer whose password was
// right, and clears the sign-in delay of the address they signed in from.
func (s *SessionService) startSession(ctx context.Context, officerID, username, address, deviceID, deviceName string) (housing.Session, error) {
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return housing.Session{}, err
	}
	defer tx.Rollback()
	if deviceID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return housing.Session{}, fmt.Errorf("device id: %w", err)
		}
		deviceID = id.String()
	} else {
		deviceID = strings.ToLower(deviceID)
		var others int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE device_id = ? AND officer_id != ?`, deviceID, officerID).Scan(&others); err != nil {
			return housing.Session{}, fmt.Errorf("check device: %w", err)
		}
		if others > 0 {
			return housing.Session{}, housing.Errorf(housing.CodeForbidden, "This device was set up for another officer. Sign out fully (or clear the app's data) before signing in as yourself.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE device_id = ? AND revoked_at = ''`, formatTime(tx.now), deviceID); err != nil {
			return housing.Session{}, fmt.Errorf("end the device's earlier session: %w", err)
		}
	}
	sid, err := uuid.NewV7()
	if err != nil {
		return housing.Session{}, fmt.Errorf("session id: %w", err)
	}
	token := housing.NewToken()
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO sessions (id, token_hash, officer_id, device_id, device_name, created_at, last_seen_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		sid.String(), housing.HashToken(token), officerID, deviceID, deviceName, formatTime(tx.now), formatTime(tx.now)); err != nil {
		return housing.Session{}, mapError(err, "session")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM signin_delays WHERE username = ? AND address = ?`, username, address); err != nil {
		return housing.Session{}, fmt.Errorf("clear sign-in delay: %w", err)
	}
	o, err := findOfficer(ctx, tx, officerID)
	if err != nil {
		return housing.Session{}, err
	}
	if err := tx.Commit(); err != nil {
		return housing.Session{}, fmt.Errorf("commit session: %w", err)
	}
	return housing.Session{
		ID:         sid.String(),
		Token:      token,
		DeviceID:   deviceID,
		DeviceName: deviceName,
		Officer:    o,
		CreatedAt:  tx.now,
		LastSeenAt: tx.now,
	}, nil
}

// takeSignInAttempt decides whether address may try a password for
// username now. If its failures in a row have earned a delay that has not
// yet passed, it returns the wait and records nothing. Otherwise it counts
// the attempt as a failure before the password is checked, in the same
// transaction as the decision, so that attempts sent at once cannot all
// slip through before any is counted; startSession clears the count when
// the password was right. A count idle for SignInDelayForgotten starts
// again, and such rows of every address are deleted here, so the table
// holds only recent guessing. It also reads the account username names.
func (s *SessionService) takeSignInAttempt(ctx context.Context, username, address string) (signInAccount, time.Duration, error) {
	var acct signInAccount
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return acct, 0, err
	}
	defer tx.Rollback()
	forgotten := formatTime(tx.now.Add(-SignInDelayForgotten))
	if _, err := tx.ExecContext(ctx, `DELETE FROM signin_delays WHERE failed_at <= ?`, forgotten); err != nil {
		return acct, 0, fmt.Errorf("prune sign-in delays: %w", err)
	}
	var failures int
	var failedAt string
	err = tx.QueryRowContext(ctx, `SELECT failures, failed_at FROM signin_delays WHERE username = ? AND address = ?`, username, address).
		Scan(&failures, &failedAt)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return acct, 0, fmt.Errorf("read sign-in delay: %w", err)
	}
	if wait := parseTime(failedAt).Add(signInDelay(failures)).Sub(tx.now); failures > 0 && wait > 0 {
		return acct, wait, nil
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO signin_delays (username, address, failures, failed_at) VALUES (?, ?, 1, ?)
		ON CONFLICT (username, address) DO UPDATE SET failures = failures + 1, failed_at = excluded.failed_at`,
		username, address, formatTime(tx.now)); err != nil {
		return acct, 0, fmt.Errorf("count sign-in attempt: %w", err)
	}
	err = tx.QueryRowContext(ctx, `SELECT id, password_hash, disabled FROM officers WHERE username = ?`, username).
		Scan(&acct.id, &acct.hash, &acct.disabled)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return acct, 0, fmt.Errorf("find officer: %w", err)
	}
	return acct, 0, tx.Commit()
}

// clearSignInDelays lifts every address's delay on username, for a
// password reset: the officer must be able to sign in with the new
// password at once.
func clearSignInDelays(ctx context.Context, tx *Tx, username string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM signin_delays WHERE username = ?`, username); err != nil {
		return fmt.Errorf("clear sign-in delays: %w", err)
	}
	return nil
}

// waitText says a wait in the words a person would use, rounded up.
func waitText(d time.Duration) string {
	switch secs := int((d + time.Second - 1) / time.Second); {
	case secs <= 1:
		return "a second"
	case secs < 60:
		return fmt.Sprintf("%d seconds", secs)
	case secs <= 60:
		return "a minute"
	default:
		return fmt.Sprintf("%d minutes", (secs+59)/60)
	}
}

// validDeviceID reports whether s is a UUID, in either case.
func validDeviceID(s string) bool { return housing.ValidID(strings.ToLower(s)) }

// cleanDeviceName trims a device's label and cuts it to maxDeviceName
// characters; a device that gives none is called "Unnamed device".
func cleanDeviceName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "Unnamed device"
	}
	if utf8.RuneCountInString(s) > maxDeviceName {
		s = string([]rune(s)[:maxDeviceName])
	}
	return s
}
