package housing

import (
	"context"
	"time"
)

// Session is one signed-in device. The token is shown once, when the
// session is made; the server stores only its hash.
type Session struct {
	ID         string    `json:"id"`
	Token      string    `json:"token,omitempty"` // only in SignIn's answer
	DeviceID   string    `json:"device_id"`
	DeviceName string    `json:"device_name"`
	Officer    Officer   `json:"officer"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

// SignIn is the body of POST /api/v1/session.
type SignIn struct {
	Username   string `json:"username"`
	Password   string `json:"password"`
	DeviceName string `json:"device_name"`
	// DeviceID is the device's own ID (a UUID it made), so a phone that signs
	// in again after its session was revoked keeps numbering its mutations
	// where it left off. Empty: the server makes one.
	DeviceID   string `json:"device_id,omitempty"`
	RemoteAddr string `json:"-"` // for rate limiting and the sign-in log
}

// SessionService signs officers in and out and turns tokens into principals.
//
// SignIn returns CodeUnauthorized for a wrong username or password (the same
// message for both), CodeRateLimited after too many attempts, and CodeInvalid
// for a missing field. Authenticate returns CodeUnauthorized for an unknown,
// revoked or expired token or a disabled officer.
type SessionService interface {
	SignIn(ctx context.Context, in SignIn) (Session, error)
	Authenticate(ctx context.Context, token string) (Principal, error)
	SignOut(ctx context.Context, token string) error
	// Sessions lists an officer's devices: their own, or anyone's for an admin.
	Sessions(ctx context.Context, p Principal, officerID string) ([]Session, error)
	// RevokeSession ends one device's session at once: the officer's own, or
	// anyone's for an admin (CodeForbidden otherwise).
	RevokeSession(ctx context.Context, p Principal, sessionID string) error
}

// SyncService applies a device's mutations and returns the changes in its
// scope. It returns CodeUnsupported for another protocol version, CodeGap
// when the batch does not start at the server's last_mutation+1 (the
// error's LastMutation, and the answer's, say where the server stands, so
// the device resends from there), and CodeInvalid for a malformed request. A mutation refused on its merits is not
// an error: it is a Result with status rejected.
type SyncService interface {
	Sync(ctx context.Context, p Principal, req SyncRequest) (SyncResponse, error)
}
