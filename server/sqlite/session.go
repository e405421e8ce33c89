package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"doorstep/shared/housing"
)

// This file is device sessions: a bearer token per signed-in device, stored
// only as its hash. *DB implements housing.SessionService; SignIn and its
// rate limit are in signin.go.

var _ housing.SessionService = (*DB)(nil)

// SessionIdle is how long a session lives without being used: 180 days.
// Officers work offline for days at a time and must not be signed out in
// the field, so sessions are long-lived; a lost phone is dealt with by
// revoking its session, which takes effect at once.
const SessionIdle = 180 * 24 * time.Hour

// DefaultSessionLifetime is how long a sign-in lasts however often it is
// used, when DB.SessionLifetime is zero: 30 days. Without a limit a token
// copied off a phone would work for as long as the phone kept syncing. An
// officer whose session ends, offline or not, signs in again and keeps
// every record not yet sent (the phone keeps its outbox and device ID); the
// server answers an ended session with 401 unauthorized, as for one revoked.
const DefaultSessionLifetime = 30 * 24 * time.Hour

// sessionLifetime is DB.SessionLifetime or its default.
func (db *DB) sessionLifetime() time.Duration {
	if db.SessionLifetime > 0 {
		return db.SessionLifetime
	}
	return DefaultSessionLifetime
}

// touchEvery is how stale last_seen_at may get before Authenticate writes
// it again, so that most authenticated requests are pure reads and do not
// queue behind the single SQLite writer.
const touchEvery = time.Hour

// Authenticate returns the principal behind token: the officer's role,
// sites and functions, and the session and device it came from. It returns
// CodeUnauthorized for a malformed, unknown, revoked or expired token and
// for a disabled officer.
func (db *DB) Authenticate(ctx context.Context, token string) (housing.Principal, error) {
	if !housing.ValidToken(token) {
		return housing.Principal{}, housing.Errorf(housing.CodeUnauthorized, "Sign in to continue.")
	}
	var (
		sessionID, officerID, deviceID string
		created, lastSeen, revoked     string
		disabled                       bool
	)
	err := db.db.QueryRowContext(ctx, `
		SELECT s.id, s.officer_id, s.device_id, s.created_at, s.last_seen_at, s.revoked_at, o.disabled
		FROM sessions s JOIN officers o ON o.id = s.officer_id
		WHERE s.token_hash = ?`, housing.HashToken(token)).
		Scan(&sessionID, &officerID, &deviceID, &created, &lastSeen, &revoked, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return housing.Principal{}, housing.Errorf(housing.CodeUnauthorized, "This device is not signed in. Sign in again.")
	} else if err != nil {
		return housing.Principal{}, fmt.Errorf("find session: %w", err)
	}
	now := db.Now().UTC()
	seen := parseTime(lastSeen)
	switch {
	case revoked != "":
		return housing.Principal{}, housing.Errorf(housing.CodeUnauthorized, "This device was signed out. Sign in again; anything not yet sent is kept on the device.")
	case disabled:
		return housing.Principal{}, housing.Errorf(housing.CodeUnauthorized, "Your account is switched off. Ask an admin to switch it back on.")
	case now.Sub(seen) > SessionIdle:
		return housing.Principal{}, housing.Errorf(housing.CodeUnauthorized, "This device has not been used for %d days, so it was signed out. Sign in again.", int(SessionIdle.Hours()/24))
	case now.Sub(parseTime(created)) > db.sessionLifetime():
		return housing.Principal{}, housing.Errorf(housing.CodeUnauthorized, "This device's sign-in has ended, as every sign-in does after %s. Sign in again; anything not yet sent is kept on the device.", lifetimeText(db.sessionLifetime()))
	}
	o, err := findOfficer(ctx, db.db, officerID)
	if err != nil {
		return housing.Principal{}, err
	}
	if now.Sub(seen) > touchEvery {
		if _, err := db.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?`,
			formatTime(now), sessionID, formatTime(now)); err != nil {
			return housing.Principal{}, fmt.Errorf("touch session: %w", err)
		}
	}
	return housing.Principal{
		OfficerID: o.ID,
		Name:      o.Name,
		Role:      o.Role,
		Sites:     o.Sites,
		Functions: o.Functions,
		SessionID: sessionID,
		DeviceID:  deviceID,
	}, nil
}

// SignOut ends the session behind token. Signing out twice is not an
// error; an unknown token is CodeUnauthorized.
func (db *DB) SignOut(ctx context.Context, token string) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id string
	err = tx.QueryRowContext(ctx, `SELECT id FROM sessions WHERE token_hash = ?`, housing.HashToken(token)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return housing.Errorf(housing.CodeUnauthorized, "This device is not signed in.")
	} else if err != nil {
		return fmt.Errorf("find session: %w", err)
	}
	if err := revokeSession(ctx, tx, id); err != nil {
		return err
	}
	return tx.Commit()
}

// Sessions lists the live sessions (signed-in devices) of officerID, most
// recently used first; officerID "" means p's own. Only an admin may list
// another officer's (CodeForbidden otherwise); an unknown officer is
// CodeNotFound. Tokens are never returned.
func (db *DB) Sessions(ctx context.Context, p housing.Principal, officerID string) ([]housing.Session, error) {
	if officerID == "" {
		officerID = p.OfficerID
	}
	if officerID != p.OfficerID && p.Role != housing.RoleAdmin {
		return nil, housing.Errorf(housing.CodeForbidden, "Only an admin can see another officer's devices.")
	}
	o, err := findOfficer(ctx, db.db, officerID)
	if err != nil {
		return nil, err
	}
	now := db.Now().UTC()
	rows, err := db.db.QueryContext(ctx, `
		SELECT id, device_id, device_name, created_at, last_seen_at
		FROM sessions
		WHERE officer_id = ? AND revoked_at = '' AND last_seen_at >= ? AND created_at >= ?
		ORDER BY last_seen_at DESC, id`, officerID, formatTime(now.Add(-SessionIdle)), formatTime(now.Add(-db.sessionLifetime())))
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	out := []housing.Session{}
	for rows.Next() {
		var s housing.Session
		var created, seen string
		if err := rows.Scan(&s.ID, &s.DeviceID, &s.DeviceName, &created, &seen); err != nil {
			return nil, fmt.Errorf("scan session: %w", err)
		}
		s.CreatedAt, s.LastSeenAt, s.Officer = parseTime(created), parseTime(seen), o
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return out, nil
}

// lifetimeText says a session lifetime in days, or in hours when shorter
// than two days.
func lifetimeText(d time.Duration) string {
	if d < 48*time.Hour {
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// RevokeSession ends one device's session at once: p's own, or anyone's
// for an admin. It returns CodeNotFound for an unknown session and
// CodeForbidden for someone else's. Revoking twice is not an error.
func (db *DB) RevokeSession(ctx context.Context, p housing.Principal, sessionID string) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var officerID string
	err = tx.QueryRowContext(ctx, `SELECT officer_id FROM sessions WHERE id = ?`, sessionID).Scan(&officerID)
	if errors.Is(err, sql.ErrNoRows) {
		return housing.Errorf(housing.CodeNotFound, "That device was not found; it may have been removed already.")
	} else if err != nil {
		return fmt.Errorf("find session: %w", err)
	}
	if officerID != p.OfficerID && p.Role != housing.RoleAdmin {
		return housing.Errorf(housing.CodeForbidden, "Only an admin can sign out another officer's device.")
	}
	if err := revokeSession(ctx, tx, sessionID); err != nil {
		return err
	}
	return tx.Commit()
}

// RevokeSessions ends every live session of an officer (all their devices)
// and returns how many it ended. It is for the `doorstep sessions revoke`
// command, run by whoever runs the server.
func (db *DB) RevokeSessions(ctx context.Context, officerID string) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := findOfficer(ctx, tx, officerID); err != nil {
		return 0, err
	}
	n, err := revokeOfficerSessions(ctx, tx, officerID)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// revokeSession marks one session revoked, keeping the first revocation time.
func revokeSession(ctx context.Context, tx *Tx, id string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at = ''`, formatTime(tx.now), id); err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return nil
}

// revokeOfficerSessions marks every live session of an officer revoked and
// returns how many there were.
func revokeOfficerSessions(ctx context.Context, tx *Tx, officerID string) (int, error) {
	res, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE officer_id = ? AND revoked_at = ''`, formatTime(tx.now), officerID)
	if err != nil {
		return 0, fmt.Errorf("revoke sessions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
