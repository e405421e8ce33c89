package sqlite

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"doorstep/shared/housing"
)

// IntegrationService implements housing.IntegrationService over a DB: the
// integration tokens an admin makes for the landlord's other systems, and
// the events feed they read with them (feed_read.go). A token's secret is
// shown once, when it is made; only its hash is stored, as for sessions.
type IntegrationService struct {
	DB *DB
}

var _ housing.IntegrationService = (*IntegrationService)(nil)

// An integration token's secret is IntegrationTokenPrefix and 256 random
// bits in unpadded base64url: 47 characters. The prefix tells it from a
// device's session token (22 characters, housing.ValidToken) at a glance,
// in a script or a secret scanner, and to the server: neither kind of
// token opens the other's routes.
const (
	IntegrationTokenPrefix = "dsi_"
	integrationTokenBytes  = 32
)

// newIntegrationSecret returns a fresh secret from crypto/rand.
func newIntegrationSecret() string {
	b := make([]byte, integrationTokenBytes)
	if _, err := rand.Read(b); err != nil {
		panic("sqlite: no randomness: " + err.Error()) // crypto/rand never fails on supported platforms
	}
	return IntegrationTokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// validIntegrationSecret reports whether s has the shape of a secret from
// newIntegrationSecret.
func validIntegrationSecret(s string) bool {
	rest, ok := strings.CutPrefix(s, IntegrationTokenPrefix)
	if !ok || len(rest) != base64.RawURLEncoding.EncodedLen(integrationTokenBytes) {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil && len(b) == integrationTokenBytes
}

// errNoIntegration is the one answer to every secret that opens nothing
// (malformed, unknown or revoked), so secrets cannot be probed.
var errNoIntegration = housing.Errorf(housing.CodeUnauthorized, "This integration token is not valid, or was revoked. Ask an admin for a new one.")

// CreateToken makes a token for the teams named, or every team
// (housing.AllTeams), and returns it with its secret, shown this once. by
// is the admin making it, or the zero Principal from the command line. It
// returns CodeInvalid for a missing name, no teams or a team that does not
// exist.
func (s *IntegrationService) CreateToken(ctx context.Context, by housing.Principal, in housing.NewIntegrationToken) (housing.IntegrationToken, error) {
	in = in.Clean()
	if err := in.Validate(); err != nil {
		return housing.IntegrationToken{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return housing.IntegrationToken{}, fmt.Errorf("make token ID: %w", err)
	}
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return housing.IntegrationToken{}, err
	}
	defer tx.Rollback()
	if in.Teams[0] != housing.AllTeams {
		r := &readInTx{}
		for _, team := range in.Teams {
			if known, err := r.function(ctx, tx, team); err != nil {
				return housing.IntegrationToken{}, err
			} else if !known {
				return housing.IntegrationToken{}, housing.Invalid(housing.FieldTeams, "There is no team called %q.", team)
			}
		}
	}
	t := housing.IntegrationToken{
		ID: id.String(), Name: in.Name, Teams: in.Teams, Token: newIntegrationSecret(),
		CreatedAt: tx.now, CreatedBy: by.OfficerID,
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO integration_tokens (id, token_hash, name, teams, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
		t.ID, housing.HashToken(t.Token), t.Name, strings.Join(t.Teams, ","), formatTime(t.CreatedAt), t.CreatedBy); err != nil {
		return housing.IntegrationToken{}, mapError(err, "integration token")
	}
	if err := tx.Commit(); err != nil {
		return housing.IntegrationToken{}, fmt.Errorf("commit integration token: %w", err)
	}
	return t, nil
}

// Tokens lists every token, revoked ones too, in the order they were
// made, without their secrets.
func (s *IntegrationService) Tokens(ctx context.Context) ([]housing.IntegrationToken, error) {
	rows, err := s.DB.read.QueryContext(ctx, `SELECT `+tokenColumns+` FROM integration_tokens ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("read integration tokens: %w", err)
	}
	defer rows.Close()
	out := []housing.IntegrationToken{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read integration tokens: %w", err)
	}
	return out, nil
}

// RevokeToken stops the token with id at once: the next read of the feed
// with it is refused. Revoking it again keeps the time it was first
// revoked and is not an error; an unknown id is CodeNotFound.
func (s *IntegrationService) RevokeToken(ctx context.Context, by housing.Principal, id string) error {
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE integration_tokens SET revoked_at = CASE WHEN revoked_at = '' THEN ? ELSE revoked_at END WHERE id = ?`,
		formatTime(tx.now), id)
	if err != nil {
		return fmt.Errorf("revoke integration token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("revoke integration token: %w", err)
	} else if n == 0 {
		return housing.Errorf(housing.CodeNotFound, "There is no integration token %q.", id)
	}
	return tx.Commit()
}

// tokenColumns are read by scanToken, in this order.
const tokenColumns = `id, name, teams, created_at, created_by, last_used_at, revoked_at`

func scanToken(row interface{ Scan(...any) error }) (housing.IntegrationToken, error) {
	var t housing.IntegrationToken
	var teams, created, used, revoked string
	if err := row.Scan(&t.ID, &t.Name, &teams, &created, &t.CreatedBy, &used, &revoked); err != nil {
		return t, fmt.Errorf("scan integration token: %w", err)
	}
	t.Teams = splitIDs(teams)
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = parseTime(created), parseTime(used), parseTime(revoked)
	return t, nil
}

// tokenUseEvery is how stale a token's last use may get before a read of
// the feed writes it again: a system polling every few seconds then costs
// a write a minute, not a write a poll queued behind the phones' syncs.
const tokenUseEvery = time.Minute

// tokenBySecret returns the live token behind secret, read in q, or
// errNoIntegration.
func tokenBySecret(ctx context.Context, q sqlQuerier, secret string) (housing.IntegrationToken, error) {
	if !validIntegrationSecret(secret) {
		return housing.IntegrationToken{}, errNoIntegration
	}
	t, err := scanToken(q.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM integration_tokens WHERE token_hash = ?`, housing.HashToken(secret)))
	switch {
	case errNoRows(err):
		return housing.IntegrationToken{}, errNoIntegration
	case err != nil:
		return housing.IntegrationToken{}, err
	case !t.RevokedAt.IsZero():
		return housing.IntegrationToken{}, errNoIntegration
	}
	return t, nil
}

// touchToken records that the token with id was used now, unless it was
// within tokenUseEvery, in a write transaction of its own.
func (s *IntegrationService) touchToken(ctx context.Context, id string) error {
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE integration_tokens SET last_used_at = ? WHERE id = ? AND last_used_at < ?`,
		formatTime(tx.now), id, formatTime(tx.now.Add(-tokenUseEvery))); err != nil {
		return fmt.Errorf("record integration token use: %w", err)
	}
	return tx.Commit()
}
