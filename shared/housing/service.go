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

	// MustChangePassword says, in SignIn's answer, that the officer signed
	// in with the one-time password an import drew for them: the app asks
	// them to choose their own (ChangePassword) before anything else, so
	// the admin who handed it over no longer knows it.
	MustChangePassword bool `json:"must_change_password,omitempty"`
}

// PasswordChange is the body of POST /api/v1/session/password: an officer
// choosing their own password, proving they know the current one.
type PasswordChange struct {
	Current    string `json:"current_password"`
	New        string `json:"password"`
	RemoteAddr string `json:"-"` // for the same sign-in delay a wrong password costs at sign-in
}

// FieldCurrentPassword names the current password in errors.
const FieldCurrentPassword = "current_password"

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

// The services the server's store implements, one per job, each with the
// error codes its methods return (Code*). The API's handlers call them
// (server/api, api.Services); the store (server/sqlite) implements each as
// a struct of its own.

// SessionService signs officers in and out and turns tokens into principals.
type SessionService interface {
	// SignIn checks a username and password and starts a session for the
	// device. It returns CodeInvalid for a missing field, CodeUnauthorized
	// for a wrong username or password (the same message for both) or a
	// switched-off account, CodeForbidden for a device ID another officer
	// uses, and CodeRateLimited (with a wait, see RetryAfter) after too many
	// wrong passwords.
	SignIn(ctx context.Context, in SignIn) (Session, error)
	// Authenticate returns the principal behind a bearer token. It returns
	// CodeUnauthorized for a malformed, unknown, revoked or expired token or
	// a switched-off officer.
	Authenticate(ctx context.Context, token string) (Principal, error)
	// SignOut ends the session behind token; CodeUnauthorized for an
	// unknown token. Signing out twice is not an error.
	SignOut(ctx context.Context, token string) error
	// Sessions lists an officer's devices: their own, or anyone's for an
	// admin (CodeForbidden otherwise); CodeNotFound for an unknown officer.
	Sessions(ctx context.Context, p Principal, officerID string) ([]Session, error)
	// RevokeSession ends one device's session at once: the officer's own, or
	// anyone's for an admin (CodeForbidden otherwise); CodeNotFound for an
	// unknown session.
	RevokeSession(ctx context.Context, p Principal, sessionID string) error
	// ChangePassword sets p's own password once they give their current
	// one, and signs out their other devices. It returns CodeInvalid on
	// FieldCurrentPassword for a wrong current password (counted like a
	// wrong password at sign-in), on FieldPassword for a weak new one or the
	// current one again, and CodeRateLimited while the sign-in delay for
	// this account and address runs.
	ChangePassword(ctx context.Context, p Principal, in PasswordChange) error
}

// OfficerService manages staff accounts. Only admins reach it through the
// API; the server's `doorstep user` command calls it directly. The methods
// that take an ID return CodeNotFound for an unknown officer.
type OfficerService interface {
	// CreateOfficer returns CodeInvalid for a bad field, an unknown site or
	// function or a weak password, and CodeConflict for a username already
	// taken.
	CreateOfficer(ctx context.Context, in NewOfficer) (Officer, error)
	Officer(ctx context.Context, id string) (Officer, error)
	Officers(ctx context.Context) ([]Officer, error)
	// DisableOfficer ends the officer's sessions at once and returns
	// CodeInvalid for the last admin still able to sign in.
	DisableOfficer(ctx context.Context, id string) error
	EnableOfficer(ctx context.Context, id string) error
	// SetPassword refuses a weak password (CodeInvalid) and ends every
	// session of the officer's except by's own when by is that officer; by
	// is the zero Principal where no one is signed in (the server's command
	// line).
	SetPassword(ctx context.Context, by Principal, id, password string) error
}

// TenantService serves the tenant link pages. Tokens are looked up by hash.
// Every method returns CodeNotFound, with the same message, for a token that
// is malformed, unknown, not yet synced from the officer's phone, or expired.
type TenantService interface {
	TenantCommitment(ctx context.Context, token string) (TenantView, error)
	// TenantRespond records the tenant's answer as a mutation from
	// TenantActor in the change log, so it reaches the officer's and the
	// owning team's phones by sync, and returns the page that then shows. A
	// repeat of the same answer changes nothing. It returns CodeIllegal or
	// CodeInvalid for an answer the promise's state does not allow.
	TenantRespond(ctx context.Context, token string, a CommitmentAction) (TenantView, error)
	// TenantFeedback records feedback given through the link (Source
	// tenant). It returns CodeInvalid for feedback that does not validate
	// and CodeConflict for a feedback ID already given about another
	// promise.
	TenantFeedback(ctx context.Context, token string, f Feedback) error
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
