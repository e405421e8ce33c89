package replica

import (
	"context"
	"errors"
	"strings"

	"doorstep/shared/housing"
)

// SignIn signs this phone in. The same officer signing in again (after the
// server ended the session) keeps everything, and their pending records sync
// afterwards. A different officer on a phone with nothing unsynced starts
// from an empty phone, so the next user never sees the previous user's
// records; with unsynced records of someone else it is refused.
func (r *Replica) SignIn(ctx context.Context, username, password, deviceName string) (housing.Officer, error) {
	r.mu.Lock()
	prev, opened := r.meta, r.opened
	pending := len(r.outbox)
	r.mu.Unlock()
	if !opened {
		return housing.Officer{}, errNotOpen
	}

	sameOfficer := prev.Officer.ID != "" && strings.EqualFold(prev.Officer.Username, strings.TrimSpace(username))
	if !sameOfficer && pending > 0 {
		return housing.Officer{}, housing.Errorf(housing.CodeConflict,
			"%s has %d records on this phone that are not synced yet. They must sign in and sync, or export them, first.", prev.Officer.Name, pending)
	}
	in := housing.SignIn{Username: username, Password: password, DeviceName: deviceName}
	if sameOfficer {
		in.DeviceID = prev.DeviceID // keep numbering this phone's changes where they stand
	}
	s, err := r.transport.SignIn(ctx, in)
	var refused *housing.Error
	if err != nil && !errors.As(err, &refused) {
		// The transport's plain error is no answer from the server (no
		// signal, a captive portal's page), as for Sync.
		return housing.Officer{}, errSignInOffline
	}
	if err != nil {
		return housing.Officer{}, err
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	var b Batch
	m := r.meta
	if !sameOfficer || s.DeviceID != prev.DeviceID {
		// Another officer, or a device the server numbers afresh: start clean.
		b.Clear = len(r.outbox) == 0
		m = Meta{SchemaVersion: SchemaVersion, NextSeq: 1}
		if !b.Clear {
			return housing.Officer{}, housing.Errorf(housing.CodeConflict, "This phone still holds unsynced records; export them before signing in as someone else.")
		}
	}
	m.Officer, m.Token, m.SessionID, m.DeviceID, m.DeviceName = s.Officer, s.Token, s.ID, s.DeviceID, s.DeviceName
	m.NeedsSignIn, m.LastError = false, ""
	b.Meta = &m
	if err := r.commit(ctx, b); errors.Is(err, ErrStale) {
		return housing.Officer{}, errOtherTab
	} else if err != nil {
		return housing.Officer{}, err
	}
	return s.Officer, nil
}

// errSignInOffline is SignIn's answer when the server could not be asked.
var errSignInOffline = housing.Errorf(housing.CodeInternal, "No connection to the server. Signing in needs signal; try again when you have some.")

// SignOut signs this phone out and clears it for the next user. With
// unsynced records it refuses unless force is set (after an export): it never
// deletes them silently.
func (r *Replica) SignOut(ctx context.Context, force bool) error {
	r.mu.Lock()
	n, token, opened := len(r.outbox), r.meta.Token, r.opened
	r.mu.Unlock()
	if !opened {
		return errNotOpen
	}
	if n > 0 && !force {
		return housing.Errorf(housing.CodeConflict, "%d records are not synced yet: sync now or export them first.", n)
	}
	if token != "" {
		// Best effort: offline, the session simply stays until it expires or
		// is revoked; the phone forgets the token either way.
		_ = r.transport.SignOut(ctx, token)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	// A sign-out never clears what another tab saved after this one last
	// looked: that tab's records would go without an export.
	if err := r.commit(ctx, Batch{Clear: true, Meta: &Meta{SchemaVersion: SchemaVersion, NextSeq: 1}}); errors.Is(err, ErrStale) {
		return errOtherTab
	} else if err != nil {
		return err
	}
	return nil
}
