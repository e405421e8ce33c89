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

// The per-account sign-in limit: at most MaxSignInFailures failed sign-ins
// per username in any SignInWindow. Once reached, every attempt on that
// username is refused, the right password included, until the oldest
// failure leaves the window. Failures are stored, so a restart does not
// lift a lockout; a password reset (SetPassword) does. The per-address
// limit is in memory, in the API (server/api/ratelimit.go).
const (
	MaxSignInFailures = 10
	SignInWindow      = 15 * time.Minute
)

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
// username or password (one message for both) or a disabled account, and a
// *housing.Wait with CodeRateLimited after too many failures.
func (db *DB) SignIn(ctx context.Context, in housing.SignIn) (housing.Session, error) {
	username := housing.NormalizeUsername(in.Username)
	switch {
	case username == "":
		return housing.Session{}, housing.Errorf(housing.CodeInvalid, "Enter your username.")
	case in.Password == "":
		return housing.Session{}, housing.Errorf(housing.CodeInvalid, "Enter your password.")
	case in.DeviceID != "" && !validDeviceID(in.DeviceID):
		return housing.Session{}, housing.Errorf(housing.CodeInvalid, "This device's ID is damaged. Clear the app's data in the browser settings and sign in again.")
	}
	if r := []rune(username); len(r) > housing.MaxUsername {
		username = string(r[:housing.MaxUsername]) // no account is longer; this bounds the failures table
	}
	now := db.Now().UTC()
	if wait, err := db.lockedFor(ctx, username, now); err != nil {
		return housing.Session{}, err
	} else if wait > 0 {
		return housing.Session{}, &housing.Wait{
			Err: housing.Errorf(housing.CodeRateLimited, "Too many sign-in attempts for this account. Wait %d minutes and try again, or ask an admin to reset your password.",
				int((wait+time.Minute-1)/time.Minute)),
			After: wait,
		}
	}

	var officerID, hash string
	var disabled bool
	err := db.db.QueryRowContext(ctx, `SELECT id, password_hash, disabled FROM officers WHERE username = ?`, username).
		Scan(&officerID, &hash, &disabled)
	known := err == nil
	if errors.Is(err, sql.ErrNoRows) {
		hash = dummyHash()
	} else if err != nil {
		return housing.Session{}, fmt.Errorf("find officer: %w", err)
	}
	// The hash is checked with no transaction open: it is the slow part.
	ok, err := checkPassword(hash, in.Password)
	if err != nil {
		return housing.Session{}, err
	}
	if !known || !ok {
		if err := db.recordFailure(ctx, username); err != nil {
			return housing.Session{}, err
		}
		return housing.Session{}, housing.Errorf(housing.CodeUnauthorized, "Wrong username or password.")
	}
	if disabled {
		return housing.Session{}, housing.Errorf(housing.CodeUnauthorized, "This account is switched off. Ask an admin to switch it back on.")
	}
	return db.startSession(ctx, officerID, username, in.DeviceID, cleanDeviceName(in.DeviceName))
}

// startSession makes the session row for an officer whose password was
// right, and clears their failed sign-ins.
func (db *DB) startSession(ctx context.Context, officerID, username, deviceID, deviceName string) (housing.Session, error) {
	tx, err := db.begin(ctx)
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
	if _, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE username = ?`, username); err != nil {
		return housing.Session{}, fmt.Errorf("clear sign-in failures: %w", err)
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

// lockedFor returns how long username must wait before its next attempt:
// 0 below MaxSignInFailures failures in the window, else until enough of
// them have left it.
func (db *DB) lockedFor(ctx context.Context, username string, now time.Time) (time.Duration, error) {
	since := formatTime(now.Add(-SignInWindow))
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM signin_failures WHERE username = ? AND at > ?`, username, since).Scan(&n); err != nil {
		return 0, fmt.Errorf("count sign-in failures: %w", err)
	}
	if n < MaxSignInFailures {
		return 0, nil
	}
	// The lock lifts when the failure that took the count to the limit,
	// counting from the newest, leaves the window.
	var at string
	if err := db.db.QueryRowContext(ctx, `SELECT at FROM signin_failures WHERE username = ? AND at > ? ORDER BY at LIMIT 1 OFFSET ?`,
		username, since, n-MaxSignInFailures).Scan(&at); err != nil {
		return 0, fmt.Errorf("read sign-in failures: %w", err)
	}
	wait := parseTime(at).Add(SignInWindow).Sub(now)
	if wait < time.Second {
		wait = time.Second
	}
	return wait, nil
}

// recordFailure stores a failed sign-in for username and drops failures
// that have left the window, so the table stays small.
func (db *DB) recordFailure(ctx context.Context, username string) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE at <= ?`, formatTime(tx.now.Add(-SignInWindow))); err != nil {
		return fmt.Errorf("prune sign-in failures: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO signin_failures (username, at) VALUES (?, ?)`, username, formatTime(tx.now)); err != nil {
		return fmt.Errorf("record sign-in failure: %w", err)
	}
	return tx.Commit()
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
