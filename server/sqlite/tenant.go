package sqlite

import (
	"context"
	"fmt"
	"time"

	"doorstep/shared/housing"
)

// TenantService implements housing.TenantService over a DB: what the
// tenant link pages read and write. A token is looked up only by its hash;
// a token that is malformed, unknown, not yet synced or expired gets one
// and the same CodeNotFound, so links cannot be probed. Each method is one
// transaction, from the token's lookup to the page it then shows, so the
// page shows the promise the answer was recorded on.
type TenantService struct {
	DB *DB
}

var _ housing.TenantService = (*TenantService)(nil)

var errNoSuchLink = housing.Errorf(housing.CodeNotFound, "This promise is not here yet.")

// TenantCommitment returns what the tenant may see of the commitment behind
// token.
func (s *TenantService) TenantCommitment(ctx context.Context, token string) (housing.TenantView, error) {
	if !housing.ValidToken(token) {
		return housing.TenantView{}, errNoSuchLink
	}
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return housing.TenantView{}, err
	}
	defer tx.Rollback()
	c, err := commitmentByToken(ctx, tx, token)
	if err != nil {
		return housing.TenantView{}, err
	}
	return tenantView(ctx, tx, c)
}

// TenantRespond records the tenant's answer through the state machine and
// the change log (applyTenantAction) and returns the page that then shows.
func (s *TenantService) TenantRespond(ctx context.Context, token string, a housing.CommitmentAction) (housing.TenantView, error) {
	if !housing.ValidToken(token) {
		return housing.TenantView{}, errNoSuchLink
	}
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return housing.TenantView{}, err
	}
	defer tx.Rollback()
	c, err := commitmentByToken(ctx, tx, token)
	if err != nil {
		return housing.TenantView{}, err
	}
	if c, err = applyTenantAction(ctx, tx, c.ID, a); err != nil {
		return housing.TenantView{}, err
	}
	v, err := tenantView(ctx, tx, c)
	if err != nil {
		return housing.TenantView{}, err
	}
	if err := tx.Commit(); err != nil {
		return housing.TenantView{}, fmt.Errorf("commit tenant answer: %w", err)
	}
	return v, nil
}

// TenantFeedback records feedback given through the link
// (giveTenantFeedback).
func (s *TenantService) TenantFeedback(ctx context.Context, token string, f housing.Feedback) error {
	if !housing.ValidToken(token) {
		return errNoSuchLink
	}
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, err := commitmentByToken(ctx, tx, token)
	if err != nil {
		return err
	}
	if _, err := giveTenantFeedback(ctx, tx, c, f); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit tenant feedback: %w", err)
	}
	return nil
}

// commitmentByToken finds the live commitment behind token, a valid token:
// its link works until housing.TenantLinkLifetime after the commitment
// closed.
func commitmentByToken(ctx context.Context, tx *Tx, token string) (housing.Commitment, error) {
	cs, err := readCommitments(ctx, tx, commitmentFilter{TokenHash: housing.HashToken(token)})
	if err != nil {
		return housing.Commitment{}, err
	}
	if len(cs) == 0 {
		return housing.Commitment{}, errNoSuchLink
	}
	if exp := linkExpiry(cs[0]); !exp.IsZero() && tx.now.After(exp) {
		return housing.Commitment{}, errNoSuchLink
	}
	return cs[0], nil
}

func tenantView(ctx context.Context, tx *Tx, c housing.Commitment) (housing.TenantView, error) {
	var name string
	err := tx.QueryRowContext(ctx, `SELECT name FROM functions WHERE id = ?`, c.FunctionID).Scan(&name)
	if err != nil && !errNoRows(err) {
		return housing.TenantView{}, fmt.Errorf("read function name: %w", err)
	}
	c.Token = ""
	return housing.TenantView{
		Commitment:   c,
		FunctionName: name,
		MadeByFirst:  housing.FirstName(c.MadeByName),
		AddressLine:  housing.AddressLine(c.Address),
		ExpiresAt:    linkExpiry(c),
	}, nil
}

// linkExpiry is when the tenant link stops working: a set time after the
// promise closed; never while it is still open.
func linkExpiry(c housing.Commitment) (t time.Time) {
	if !c.Status.Closed() || c.ClosedAt.IsZero() {
		return t
	}
	return c.ClosedAt.Add(housing.TenantLinkLifetime)
}
