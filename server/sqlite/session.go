package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"doorstep/shared/housing"
)

// SessionService implements housing.SessionService over a DB: device
// sessions, a bearer token per signed-in device, stored only as its hash.
// SignIn and its rate limit are in signin.go.
type SessionService struct {
	DB *DB

	// Lifetime is how long a sign-in lasts, used or not; zero means
	// DefaultSessionLifetime.
	Lifetime time.Duration
}

var _ housing.SessionService = (*SessionService)(nil)

// SessionIdle is how long a session lives without being used: 180 days.
// Officers work offline for days at a time and must not be signed out in
// the field, so sessions are long-lived; a lost phone is dealt with by
// revoking its session, which takes effect at once.
const SessionIdle = 180 * 24 * time.Hour

// DefaultSessionLifetime is how long a sign-in lasts however often it is
// used, when SessionService.Lifetime is zero: 30 days. Without a limit a token
// copied off a phone would work for as long as the phone kept syncing. An
// officer whose session ends, offline or not, signs in again and keeps
// every record not yet sent (the phone keeps its outbox and device ID); the
// server answers an ended session with 401 unauthorized, as for one revoked.
const DefaultSessionLifetime = 30 * 24 * time.Hour

// lifetime is s.Lifetime or its default.
func (s *SessionService) lifetime() time.Duration {
	if s.Lifetime > 0 {
		return s.Lifetime
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
//
// It reads in one read transaction, so almost every authenticated request
// is a pure read that never queues behind the single SQLite writer. Once
// every touchEvery a session's last use must be written: then it reads
// again, and writes, in one write transaction, so the principal it returns
// is the one the write recorded.
func (s *SessionService) Authenticate(ctx context.Context, token string) (housing.Principal, error) {
	if !housing.ValidToken(token) {
		return housing.Principal{}, housing.Errorf(housing.CodeUnauthorized, "Sign in to continue.")
	}
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return housing.Principal{}, err
	}
	p, stale, err := s.authenticate(ctx, tx, token)
	tx.Rollback()
	if err != nil || !stale {
		return p, err
	}
	if tx, err = s.DB.begin(ctx); err != nil {
		return housing.Principal{}, err
	}
	defer tx.Rollback()
	if p, stale, err = s.authenticate(ctx, tx, token); err != nil {
		return housing.Principal{}, err
	}
	if stale {
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?`,
			formatTime(tx.now), p.SessionID, formatTime(tx.now)); err != nil {
			return housing.Principal{}, fmt.Errorf("touch session: %w", err)
		}
	}
	return p, tx.Commit()
}

// authenticate is Authenticate inside tx. stale reports that the session's
// last use is more than touchEvery old, so it is due to be written.
func (s *SessionService) authenticate(ctx context.Context, tx *Tx, token string) (p housing.Principal, stale bool, err error) {
	var (
		sessionID, officerID, deviceID string
		created, lastSeen, revoked     string
		disabled                       bool
	)
	err = tx.QueryRowContext(ctx, `
		SELECT s.id, s.officer_id, s.device_id, s.created_at, s.last_seen_at, s.revoked_at, o.disabled
		FROM sessions s JOIN officers o ON o.id = s.officer_id
		WHERE s.token_hash = ?`, housing.HashToken(token)).
		Scan(&sessionID, &officerID, &deviceID, &created, &lastSeen, &revoked, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, housing.Errorf(housing.CodeUnauthorized, "This device is not signed in. Sign in again.")
	} else if err != nil {
		return p, false, fmt.Errorf("find session: %w", err)
	}
	seen := parseTime(lastSeen)
	switch {
	case revoked != "":
		return p, false, housing.Errorf(housing.CodeUnauthorized, "This device was signed out. Sign in again; anything not yet sent is kept on the device.")
	case disabled:
		return p, false, housing.Errorf(housing.CodeUnauthorized, "Your account is switched off. Ask an admin to switch it back on.")
	case tx.now.Sub(seen) > SessionIdle:
		return p, false, housing.Errorf(housing.CodeUnauthorized, "This device has not been used for %d days, so it was signed out. Sign in again.", int(SessionIdle.Hours()/24))
	case tx.now.Sub(parseTime(created)) > s.lifetime():
		return p, false, housing.Errorf(housing.CodeUnauthorized, "This device's sign-in has ended, as every sign-in does after %s. Sign in again; anything not yet sent is kept on the device.", lifetimeText(s.lifetime()))
	}
	o, err := findOfficer(ctx, tx, officerID)
	if err != nil {
		return p, false, err
	}
	return housing.Principal{
		OfficerID: o.ID,
		Name:      o.Name,
		Role:      o.Role,
		Sites:     o.Sites,
		Functions: o.Functions,
		SessionID: sessionID,
		DeviceID:  deviceID,
	}, tx.now.Sub(seen) > touchEvery, nil
}

// SignOut ends the session behind token. Signing out twice is not an
// error; an unknown token is CodeUnauthorized.
func (s *SessionService) SignOut(ctx context.Context, token string) error {
	tx, err := s.DB.begin(ctx)
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
func (s *SessionService) Sessions(ctx context.Context, p housing.Principal, officerID string) ([]housing.Session, error) {
	if officerID == "" {
		officerID = p.OfficerID
	}
	if officerID != p.OfficerID && p.Role != housing.RoleAdmin {
		return nil, housing.Errorf(housing.CodeForbidden, "Only an admin can see another officer's devices.")
	}
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	o, err := findOfficer(ctx, tx, officerID)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT id, device_id, device_name, created_at, last_seen_at
		FROM sessions
		WHERE officer_id = ? AND revoked_at = '' AND last_seen_at >= ? AND created_at >= ?
		ORDER BY last_seen_at DESC, id`, officerID, formatTime(tx.now.Add(-SessionIdle)), formatTime(tx.now.Add(-s.lifetime())))
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	out := []housing.Session{}
	for rows.Next() {
		var ss housing.Session
		var created, seen string
		if err := rows.Scan(&ss.ID, &ss.DeviceID, &ss.DeviceName, &created, &seen); err != nil {
			return nil, fmt.Errorf("scan session: %w", err)
		}
		ss.CreatedAt, ss.LastSeenAt, ss.Officer = parseTime(created), parseTime(seen), o
		out = append(out, ss)
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
func (s *SessionService) RevokeSession(ctx context.Context, p housing.Principal, sessionID string) error {
	tx, err := s.DB.begin(ctx)
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
func (s *SessionService) RevokeSessions(ctx context.Context, officerID string) (int, error) {
	tx, err := s.DB.begin(ctx)
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
